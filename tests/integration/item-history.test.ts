import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGesprek, updateGesprek } from '../../src/lib/board';
import { addConfidentialGesprek } from '../../src/lib/board/org-notes';
import type { HistoryEntry } from '../../src/lib/board/restore';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The item history through the real server (PGlite and PostgreSQL 15): two people change a gesprek's fields from their own
 * Node clients, and the history endpoint names both, each change with its old and new value; a
 * change of confidential notes is listed (without text) only for that organisation; people who are
 * not members get 404.
 */

type Who = 'owner' | 'editor' | 'viewer' | 'outsider';

describe.each(DRIVERS)('item history through the server on %s', (driver) => {
	let server: ServerProcess;
	let users: Record<Who, SeededUser>;
	let addressId = '';
	const clients: TestClient[] = [];

	const history = async (user: SeededUser, id: string) => {
		const res = await fetch(`${server.url}/boards/spoorbuurt/geschiedenis?kind=gesprek&id=${id}`, {
			headers: { cookie: user.cookie, accept: 'application/json' }
		});
		return {
			status: res.status,
			entries: res.ok ? ((await res.json()) as { entries: HistoryEntry[] }).entries : []
		};
	};
	const connect = async (user: SeededUser, doc = 'spoorbuurt') => {
		const client = connectClient(server.port, doc, { cookie: user.cookie });
		clients.push(client);
		await whenSynced(client);
		return client;
	};

	beforeAll(async () => {
		const target = await freshDatabase(driver);
		const db = await openDb({ dataDir: target.dataDir ?? '', databaseUrl: target.databaseUrl });
		try {
			await ensureDemoBoard(db);
			const [row] = await db.query<{ id: string }>(
				`select id from public.addresses where board_id = 'spoorbuurt' order by id limit 1`
			);
			addressId = row!.id;
		} finally {
			await db.close();
		}
		users = await seedServerUsers(target, {
			owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
			editor: {
				org: 'Bindkracht10',
				displayName: 'Erik Bewerker',
				boards: { spoorbuurt: 'editor' }
			},
			viewer: { org: 'HAN', displayName: 'Vera Kijker', boards: { spoorbuurt: 'viewer' } },
			outsider: { org: 'Elders', displayName: 'Otto Buiten' }
		});
		server = await startServer(target);
	}, 90_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
	});

	it('names both people who changed a gesprek, each change with its old and new value', async () => {
		const olga = await connect(users.owner);
		const erik = await connect(users.editor);
		const g = addGesprek(olga.doc, {
			addressId,
			date: '2026-11-20',
			heldBy: 'Anna',
			outcome: 'later'
		});
		await expect
			.poll(() => erik.doc.getMap('gesprekken').has(g.id), { timeout: 10_000 })
			.toBe(true);
		updateGesprek(olga.doc, g.id, { heldBy: 'Bram' });
		updateGesprek(erik.doc, g.id, { outcome: 'gesproken' });

		// A viewer reads it too.
		await expect
			.poll(
				async () =>
					(await history(users.viewer, g.id)).entries
						.filter((e) => e.op === 'set')
						.map((e) => [e.field, e.oldValue, e.newValue, e.actorName, e.organisationName])
						.sort(),
				{ timeout: 10_000 }
			)
			.toEqual([
				['heldBy', 'Anna', 'Bram', 'Olga Eigenaar', 'Woonwaarts'],
				['outcome', 'later', 'gesproken', 'Erik Bewerker', 'Bindkracht10']
			]);
		expect((await history(users.viewer, g.id)).entries.map((e) => e.op)).toContain('create');
		// Not a member: as if the board did not exist.
		expect((await history(users.outsider, g.id)).status).toBe(404);
	});

	it('shows a change of confidential notes only to that organisation, and never their text', async () => {
		const erik = await connect(users.editor);
		const erikOrg = await connect(users.editor, 'spoorbuurt/org');
		const g = addConfidentialGesprek(erik.doc, erikOrg.doc, users.editor.organisationId, {
			addressId,
			date: '2026-11-21',
			heldBy: 'Erik',
			outcome: 'gesproken',
			notes: 'Vertrouwelijkgeheimxq'
		});
		await expect
			.poll(
				async () =>
					(await history(users.editor, g.id)).entries
						.filter((e) => e.confidential)
						.map((e) => e.field),
				{ timeout: 10_000 }
			)
			.toEqual(['notes']);
		const own = await history(users.editor, g.id);
		expect(JSON.stringify(own.entries)).not.toContain('Vertrouwelijkgeheimxq');
		// Another organisation on the same board sees that the gesprek exists, not the notes' history.
		const other = await history(users.owner, g.id);
		expect(other.status).toBe(200);
		expect(other.entries.map((e) => e.op)).toContain('create');
		expect(other.entries.filter((e) => e.confidential)).toEqual([]);
	});
});
