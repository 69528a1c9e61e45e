import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, getGesprek, householdWithdrawn, patchConsent } from '../../src/lib/board';
import type { HistoryEntry } from '../../src/lib/board/restore';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The item history shows only what happened (the real server, PGlite): a client that writes Yjs
 * directly moves a withdrawn household's gesprek to another address; the server does not take the
 * move (consent-guard.ts), and the gesprek's history then holds no "A → A" row for it, while a
 * move the server takes (another household's gesprek) is listed with its old and new address.
 */

const base = { date: '2026-11-20', heldBy: 'Erik', outcome: 'gesproken' } as const;

describe('item history of a move the server did not take', () => {
	let server: ServerProcess;
	let users: Record<'editor' | 'attacker', SeededUser>;
	let home = '';
	let away = '';
	let neighbour = '';
	const clients: TestClient[] = [];

	const connect = async (user: SeededUser) => {
		const c = connectClient(server.port, 'spoorbuurt', { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};
	const history = async (id: string): Promise<HistoryEntry[]> => {
		const res = await fetch(`${server.url}/boards/spoorbuurt/geschiedenis?kind=gesprek&id=${id}`, {
			headers: { cookie: users.editor.cookie, accept: 'application/json' }
		});
		expect(res.status).toBe(200);
		return ((await res.json()) as { entries: HistoryEntry[] }).entries;
	};
	const fieldChanges = async (id: string, field: string) =>
		(await history(id)).filter((e) => e.field === field).map((e) => [e.oldValue, e.newValue]);

	beforeAll(async () => {
		const target = await freshDatabase('pglite');
		const db = await openDb({ dataDir: target.dataDir ?? '' });
		try {
			await ensureDemoBoard(db);
			const rows = await db.query<{ id: string }>(
				"select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 3"
			);
			[home, away, neighbour] = rows.map((r) => r.id) as [string, string, string];
		} finally {
			await db.close();
		}
		users = await seedServerUsers(target, {
			editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			attacker: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } }
		});
		server = await startServer(target);
	}, 90_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
	});

	it('lists no change of address for a refused move, and the taken move with both addresses', async () => {
		const editor = await connect(users.editor);
		const attacker = await connect(users.attacker);
		const told: NotTaken[] = [];
		attacker.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			told.push(...(decodeNotTaken(decoder)?.parts ?? []));
		};
		const older = addGesprek(editor.doc, { ...base, addressId: home, talents: ['Zingen'] }).id;
		const marked = addGesprek(editor.doc, { ...base, addressId: home, round: 2 }).id;
		const other = addGesprek(editor.doc, { ...base, addressId: neighbour }).id;
		patchConsent(editor.doc, marked, { withdrawn: true });
		await expect.poll(() => householdWithdrawn(attacker.doc, home)).toBe(true);
		await expect.poll(() => getGesprek(attacker.doc, other)?.addressId).toBe(neighbour);

		const gesprekken = attacker.doc.getMap<Y.Map<unknown>>('gesprekken');
		gesprekken.get(older)!.set('addressId', away);
		await expect
			.poll(() => told.map((p) => p.path.join('/')))
			.toEqual([`gesprekken/${older}/addressId`]);
		await expect.poll(() => getGesprek(attacker.doc, older)?.addressId).toBe(home);
		// A move the server takes, and after it a change of the refused gesprek: both in the history
		// (written in batches) once the later one is.
		gesprekken.get(other)!.set('addressId', away);
		gesprekken.get(older)!.set('outcome', 'later');
		await expect
			.poll(() => fieldChanges(older, 'outcome'), { timeout: 10_000 })
			.toEqual([['gesproken', 'later']]);
		await expect
			.poll(() => fieldChanges(other, 'addressId'), { timeout: 10_000 })
			.toEqual([[neighbour, away]]);
		expect(await fieldChanges(older, 'addressId')).toEqual([]);
		expect((await history(older)).map((e) => e.op).sort()).toEqual(['create', 'set']);
	});
});
