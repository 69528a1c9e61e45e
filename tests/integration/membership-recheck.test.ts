import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/lib/server/db';
import { seedServerUsers, type SeedUser } from '../support/accounts';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * A membership changed where this process does not hear of it (another process without Redis, or
 * an owner through the Supabase API, which row-level security allows) reaches its open sockets at
 * the next check of their session: removed, the socket closes with 4403; demoted, its edits go
 * nowhere. Before, the check looked at the session only, and the socket kept its access.
 */
const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
	editor: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } }
} satisfies Record<string, SeedUser>;

describe('memberships changed elsewhere', { timeout: 60_000 }, () => {
	let server: ServerProcess | undefined;
	let db: Db | undefined;
	const clients: TestClient[] = [];

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await server?.stop('SIGKILL');
		await db?.close();
	});

	async function start() {
		const target = (await freshDatabase('postgres')) as { databaseUrl: string };
		const users = await seedServerUsers(target, CAST);
		server = await startServer({
			databaseUrl: target.databaseUrl,
			extra: { BUURTBORD_SESSION_RECHECK_MS: '200' }
		});
		db = await openDb({ databaseUrl: target.databaseUrl, dataDir: '' });
		const client = (cookie: string) => {
			const c = connectClient(server!.port, 'spoorbuurt', { cookie });
			clients.push(c);
			return c;
		};
		return { users, client, db };
	}

	it('a member removed in the database is cut off at the next check', async () => {
		const { users, client, db } = await start();
		const editor = client(users.editor.cookie);
		await whenSynced(editor);
		const closes: number[] = [];
		editor.provider.on('connection-close', (event: CloseEvent | null) => {
			if (event) closes.push(event.code);
		});
		await db.query('delete from public.board_members where user_id = $1', [users.editor.id]);
		await expect.poll(() => closes, { timeout: 5000 }).toContain(4403);
	});

	it('a member made viewer in the database edits nothing after the next check', async () => {
		const { users, client, db } = await start();
		const owner = client(users.owner.cookie);
		const editor = client(users.editor.cookie);
		await Promise.all([whenSynced(owner), whenSynced(editor)]);
		addPin(editor, 'before', 'Voor');
		await expect.poll(() => titles(owner)).toContain('Voor');
		await db.query(`update public.board_members set role = 'viewer' where user_id = $1`, [
			users.editor.id
		]);
		// The check runs every 200 ms here: after a few, the socket is read-only.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		addPin(editor, 'after', 'Na');
		addPin(owner, 'marker', 'Daarna van de eigenaar');
		await expect.poll(() => titles(editor)).toContain('Daarna van de eigenaar');
		expect(titles(owner)).not.toContain('Na');
	});
});
