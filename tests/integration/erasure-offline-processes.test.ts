import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGesprek, createUndoManager, getGesprek, removeGesprek } from '../../src/lib/board';
import { addConfidentialGesprek, getOrgNotes, insertOrgNotes } from '../../src/lib/board/org-notes';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { eraseAt, notTakenOn, received, storedRowsWith } from '../support/erased';
import { startRedis, type TestRedis } from '../support/redis';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The erasure's record travels with the board's document, so it holds on every process behind
 * Redis: an owner erases through one process, the device that still holds the household comes
 * back on another (PostgreSQL 15), and neither its undo nor its confidential notes are taken.
 */

const base = { date: '2026-11-21', heldBy: 'Erik', outcome: 'gesproken' } as const;

describe('a device that comes back to another process after an erasure', () => {
	let redis: TestRedis;
	let servers: ServerProcess[] = [];
	let sql: postgres.Sql;
	let users: Record<'owner' | 'device' | 'colleague', SeededUser>;
	let addresses: string[] = [];
	const clients: TestClient[] = [];

	const connect = async (server: ServerProcess, user: SeededUser, room = 'spoorbuurt') => {
		const c = connectClient(server.port, room, { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};

	beforeAll(async () => {
		redis = await startRedis();
		const { databaseUrl } = (await freshDatabase('postgres')) as { databaseUrl: string };
		users = await seedServerUsers(
			{ databaseUrl },
			{
				owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
				device: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
				colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } }
			}
		);
		const env = { databaseUrl, extra: { REDIS_URL: redis.url } };
		servers = await Promise.all([startServer(env), startServer(env)]);
		sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
		const rows = await sql<{ id: string }[]>`
			select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 2`;
		addresses = rows.map((r) => r.id);
	}, 120_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const s of servers) await s.stop('SIGKILL');
		await redis?.stop();
		await sql?.end();
	});

	it('takes neither the undone gesprek nor its new notes on the process the erasure did not run on', async () => {
		const [first, second] = servers as [ServerProcess, ServerProcess];
		const NOTES = 'Tweedeprocesvertrouwelijkxq';
		const SHARED = 'Tweedeprocesgedeeldxq';
		// Both documents stay loaded on the second process while the device is away.
		const colleague = await connect(second, users.colleague);
		const colleagueOrg = await connect(second, users.colleague, 'spoorbuurt/org');
		const wire = received(colleague);
		const wireOrg = received(colleagueOrg);
		// A tablet with confidential notes typed offline for a gesprek erased meanwhile.
		const tablet = await connect(second, users.device);
		const org = await connect(second, users.device, 'spoorbuurt/org');
		const toldOrg = notTakenOn(org);
		const secret = addConfidentialGesprek(tablet.doc, org.doc, users.device.organisationId, {
			...base,
			addressId: addresses[1]!
		});
		await expect.poll(() => getGesprek(colleague.doc, secret.id) !== null).toBe(true);
		for (const c of [tablet, org]) c.provider.disconnect();
		insertOrgNotes(tablet.doc, org.doc, secret.id, 0, NOTES);
		await eraseAt(first.url, users.owner.cookie, addresses[1]!);
		await expect.poll(() => getGesprek(colleague.doc, secret.id), { timeout: 5000 }).toBe(null);
		for (const c of [org, tablet]) c.provider.connect();
		await expect.poll(() => toldOrg).toEqual([`notes/${secret.id} erased`]);
		await expect.poll(() => getOrgNotes(org.doc, secret.id)).toBe('');

		// A device that deletes a gesprek offline (its undo history keeps it) and undoes that later.
		const board = await connect(second, users.device);
		// Without the page's forgetHistoryOnRemoteRemoval (a page from before the erasure record).
		const undo = createUndoManager(board.doc);
		const told = notTakenOn(board);
		const shared = addGesprek(board.doc, { ...base, addressId: addresses[0]!, notes: SHARED });
		undo.stopCapturing();
		await expect.poll(() => getGesprek(colleague.doc, shared.id) !== null).toBe(true);
		board.provider.disconnect();
		removeGesprek(board.doc, shared.id);
		await eraseAt(first.url, users.owner.cookie, addresses[0]!);
		await expect.poll(() => getGesprek(colleague.doc, shared.id), { timeout: 5000 }).toBe(null);
		board.provider.connect();
		await whenSynced(board);
		const seen = wire.text().length;
		undo.undo();
		await expect.poll(() => told).toEqual([`gesprekken/${shared.id} erased`]);
		await expect.poll(() => getGesprek(board.doc, shared.id)).toBe(null);
		expect(wire.text().slice(seen)).not.toContain(SHARED);
		expect(wireOrg.text()).not.toContain(NOTES);
		expect(await storedRowsWith(sql, SHARED)).toBe(0);
		expect(await storedRowsWith(sql, NOTES)).toBe(0);
	});
});
