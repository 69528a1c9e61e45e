import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addFollowUp,
	addGesprek,
	addToGesprekList,
	createUndoManager,
	getGesprek,
	insertNotes,
	removeGesprek,
	updateGesprek
} from '../../src/lib/board';
import { localOrigin } from '../../src/lib/board/common';
import { erasedMap, forgetHistoryOnRemoteRemoval } from '../../src/lib/board/erase';
import { addConfidentialGesprek, getOrgNotes, insertOrgNotes } from '../../src/lib/board/org-notes';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { eraseAt, notTakenOn, received, storedRowsWith } from '../support/erased';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * A device that still holds an erased household's data (a field worker's tablet that was offline,
 * a tab kept open) comes back after the erasure (the real server, PostgreSQL 15). Nothing of the
 * household is stored again or reaches a colleague: confidential notes it typed for an erased
 * gesprek, edits it made to the gesprek, nor the whole gesprek brought back by undoing its own
 * deletion; the device is told what was not taken, and its own copy follows the server.
 */

const base = { date: '2026-11-21', heldBy: 'Erik', outcome: 'gesproken' } as const;

describe('a device that comes back after an erasure', () => {
	let server: ServerProcess;
	let sql: postgres.Sql;
	let users: Record<'owner' | 'device' | 'colleague', SeededUser>;
	let addresses: string[] = [];
	const clients: TestClient[] = [];

	const connect = async (user: SeededUser, room = 'spoorbuurt') => {
		const c = connectClient(server.port, room, { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};
	const erase = (addressId: string) => eraseAt(server.url, users.owner.cookie, addressId);
	const stored = (text: string) => storedRowsWith(sql, text);
	/** Back online, and the server has answered the sync (what it lacked of the device is sent). */
	const reconnect = async (...cs: TestClient[]) => {
		for (const c of cs) c.provider.connect();
		for (const c of cs) await whenSynced(c);
	};
	/**
	 * An undo history. The page's (`forget`) drops itself when an erasure arrives; one without that
	 * (a page loaded before this release, a client of one's own) still holds the erased gesprek:
	 * the server must not take it back either.
	 */
	const withUndo = (c: TestClient, { forget }: { forget: boolean }) => {
		const undo = createUndoManager(c.doc);
		if (forget) forgetHistoryOnRemoteRemoval(c.doc, undo, localOrigin(c.doc));
		return undo;
	};

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		users = await seedServerUsers(target, {
			owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
			device: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } }
		});
		server = await startServer(target);
		sql = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
		const rows = await sql<{ id: string }[]>`
			select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 6`;
		addresses = rows.map((r) => r.id);
	}, 90_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
		await sql?.end();
	});

	it('does not store confidential notes typed offline for an erased gesprek', async () => {
		const SECRET = 'Offlinevertrouwelijknaerasurexq';
		const colleagueOrg = await connect(users.colleague, 'spoorbuurt/org');
		const wire = received(colleagueOrg);
		const board = await connect(users.device);
		const org = await connect(users.device, 'spoorbuurt/org');
		const told = notTakenOn(org);
		// A confidential gesprek without notes yet: typing creates its notes in the organisation's document.
		const g = addConfidentialGesprek(board.doc, org.doc, users.device.organisationId, {
			...base,
			addressId: addresses[0]!
		});
		await expect.poll(() => stored(g.id)).toBeGreaterThan(0);
		board.provider.disconnect();
		org.provider.disconnect();
		await erase(addresses[0]!);

		insertOrgNotes(board.doc, org.doc, g.id, 0, SECRET);
		await reconnect(org, board);
		await expect.poll(() => told).toEqual([`notes/${g.id} erased`]);
		await expect.poll(() => getOrgNotes(org.doc, g.id)).toBe('');
		expect(getGesprek(board.doc, g.id)).toBe(null);
		expect(await stored(SECRET)).toBe(0);
		expect(wire.text()).not.toContain(SECRET);
		expect(getOrgNotes(colleagueOrg.doc, g.id)).toBe('');
	});

	it('does not store notes for a gesprek a colleague deleted meanwhile (reason: deleted)', async () => {
		const NOTE = 'Notitievooreenverwijderdgesprekxq';
		const colleague = await connect(users.colleague);
		const board = await connect(users.device);
		const org = await connect(users.device, 'spoorbuurt/org');
		const told = notTakenOn(org);
		const g = addConfidentialGesprek(board.doc, org.doc, users.device.organisationId, {
			...base,
			addressId: addresses[1]!
		});
		await expect.poll(() => getGesprek(colleague.doc, g.id) !== null).toBe(true);
		org.provider.disconnect();
		removeGesprek(colleague.doc, g.id);
		await expect.poll(() => getGesprek(board.doc, g.id)).toBe(null);
		insertOrgNotes(board.doc, org.doc, g.id, 0, NOTE);
		await reconnect(org);
		await expect.poll(() => told).toEqual([`notes/${g.id} deleted`]);
		expect(await stored(NOTE)).toBe(0);
	});

	it("drops the offline device's edits of an erased gesprek (Yjs discards them; nothing is said)", async () => {
		const S = {
			notes: 'Offlinegedeeldenotitiexq',
			talent: 'Offlinetalentxq',
			followUp: 'Offlinevervolgxq',
			heldBy: 'Offlinegespreksvoerderxq'
		};
		const colleague = await connect(users.colleague);
		const wire = received(colleague);
		const board = await connect(users.device);
		const told = notTakenOn(board);
		const g = addGesprek(board.doc, { ...base, addressId: addresses[2]!, notes: 'Eerst' });
		await expect.poll(() => getGesprek(colleague.doc, g.id) !== null).toBe(true);
		board.provider.disconnect();
		await erase(addresses[2]!);
		await expect.poll(() => getGesprek(colleague.doc, g.id)).toBe(null);

		insertNotes(board.doc, g.id, 0, S.notes);
		addToGesprekList(board.doc, g.id, 'talents', S.talent);
		addFollowUp(board.doc, g.id, { what: S.followUp, who: 'Buurtcoach' } as never);
		updateGesprek(board.doc, g.id, { heldBy: S.heldBy });
		const sent = Y.getState(board.doc.store, board.doc.clientID);
		await reconnect(board);
		// The server has read them: a later edit of the device reaches the colleague.
		addGesprek(board.doc, { ...base, addressId: addresses[5]! });
		await expect
			.poll(() => Y.getState(colleague.doc.store, board.doc.clientID))
			.toBeGreaterThan(sent);
		expect(getGesprek(board.doc, g.id)).toBe(null);
		for (const text of Object.values(S)) {
			expect(await stored(text)).toBe(0);
			expect(wire.text()).not.toContain(text);
		}
		expect(told).toEqual([]);
	});

	it('does not take back a gesprek the device deleted offline and undoes after the erasure', async () => {
		const SECRET = 'Offlineverwijderdenteruggehaaldxq';
		const colleague = await connect(users.colleague);
		const wire = received(colleague);
		const board = await connect(users.device);
		const undo = withUndo(board, { forget: false });
		const told = notTakenOn(board);
		const g = addGesprek(board.doc, { ...base, addressId: addresses[3]!, notes: SECRET });
		undo.stopCapturing();
		await expect.poll(() => getGesprek(colleague.doc, g.id) !== null).toBe(true);
		const before = wire.text().length;
		board.provider.disconnect();
		removeGesprek(board.doc, g.id);
		await erase(addresses[3]!);
		await reconnect(board);

		expect(undo.undo()).not.toBe(null);
		await expect.poll(() => told).toEqual([`gesprekken/${g.id} erased`]);
		await expect.poll(() => getGesprek(board.doc, g.id)).toBe(null);
		expect(getGesprek(colleague.doc, g.id)).toBe(null);
		expect(wire.text().slice(before)).not.toContain(SECRET);
		expect(await stored(SECRET)).toBe(0);
	});

	it('does not take back a gesprek a tab kept open deleted before the erasure and undoes', async () => {
		const SECRET = 'Openetabverwijderdteruggehaaldxq';
		const colleague = await connect(users.colleague);
		const board = await connect(users.device);
		const undo = withUndo(board, { forget: false });
		const told = notTakenOn(board);
		const g = addGesprek(board.doc, { ...base, addressId: addresses[4]!, notes: SECRET });
		undo.stopCapturing();
		await expect.poll(() => getGesprek(colleague.doc, g.id) !== null).toBe(true);
		removeGesprek(board.doc, g.id);
		await expect.poll(() => getGesprek(colleague.doc, g.id)).toBe(null);
		await erase(addresses[4]!);
		const wire = received(colleague);

		undo.undo();
		await expect.poll(() => told).toEqual([`gesprekken/${g.id} erased`]);
		await expect.poll(() => getGesprek(board.doc, g.id)).toBe(null);
		expect(getGesprek(colleague.doc, g.id)).toBe(null);
		expect(wire.text()).not.toContain(SECRET);
		expect(await stored(SECRET)).toBe(0);
	});

	it("the page's undo history lets go of a gesprek it deleted itself once the erasure arrives", async () => {
		const SECRET = 'Paginageschiedenisvergeetxq';
		const board = await connect(users.device);
		const undo = withUndo(board, { forget: true });
		const g = addGesprek(board.doc, { ...base, addressId: addresses[4]!, notes: SECRET });
		undo.stopCapturing();
		await expect.poll(() => stored(g.id)).toBeGreaterThan(0);
		board.provider.disconnect();
		removeGesprek(board.doc, g.id);
		// Deleted, yet kept in memory for the undo history.
		expect(Buffer.from(Y.encodeStateAsUpdate(board.doc)).includes(SECRET)).toBe(true);
		await erase(addresses[4]!);
		await reconnect(board);
		await expect.poll(() => undo.canUndo()).toBe(false);
		// Garbage-collected: nothing of it is left in the device's document.
		await expect
			.poll(() => Buffer.from(Y.encodeStateAsUpdate(board.doc)).includes(SECRET))
			.toBe(false);
	});

	it('keeps the record of erased gesprekken from clients: a modified one cannot strike an id off', async () => {
		const board = await connect(users.device);
		const g = addGesprek(board.doc, { ...base, addressId: addresses[5]! });
		await expect.poll(() => stored(g.id)).toBeGreaterThan(0);
		await erase(addresses[5]!);
		await expect.poll(() => erasedMap(board.doc).has(g.id)).toBe(true);
		const closed: number[] = [];
		board.provider.on('connection-close', (event: CloseEvent | null) => {
			if (event) closed.push(event.code);
		});
		erasedMap(board.doc).delete(g.id);
		erasedMap(board.doc).set('made-up-id', true);
		// Refused as a whole (4422), like any write into a top-level type outside the layout.
		await expect.poll(() => closed).toContain(4422);
		board.destroy();
		const fresh = await connect(users.colleague);
		expect(erasedMap(fresh.doc).has(g.id)).toBe(true);
		expect(erasedMap(fresh.doc).has('made-up-id')).toBe(false);
	});
});
