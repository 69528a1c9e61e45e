import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Db } from '../../../src/lib/server/db';
import { DEMO_BOARD, ensureDemoBoard } from '../../../src/lib/server/demo';
import { postgresHooks } from '../../../src/lib/server/sync/postgres-hooks';
import { SyncServer } from '../../../src/lib/server/sync/server';
import { UpdateStore } from '../../../src/lib/server/sync/store';
import { migratedDb } from '../../support/db';
import { DRIVERS } from '../../support/drivers';

const SECRET = 'Geheimepintitelvandefamilie';

/** Stores a board log of several updates, one of which holds SECRET. */
async function storeHistory(store: UpdateStore): Promise<void> {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const pins = doc.getMap<Y.Map<unknown>>('pins');
	for (const [id, title] of [
		['p1', SECRET],
		['p2', 'Blijvende pin']
	]) {
		const pin = new Y.Map<unknown>();
		pin.set('title', title);
		pins.set(id!, pin);
	}
	for (const u of updates) await store.append(DEMO_BOARD.id, u);
}

const holds = (data: Uint8Array, text: string) => Buffer.from(data).includes(Buffer.from(text));

describe.each(DRIVERS)('SyncServer.withDocument on %s', (driver) => {
	let db: Db | undefined;
	let server: SyncServer | undefined;
	afterEach(async () => {
		await server?.close();
		await db?.close();
		server = db = undefined;
	});

	it('loads a document nobody has open, changes, stores and compacts it, then unloads it', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		await storeHistory(store);
		expect((await store.load(DEMO_BOARD.id)).some((r) => holds(r.data, SECRET))).toBe(true);
		server = new SyncServer({ hooks: postgresHooks(db), debounceMs: 10_000, maxWaitMs: 10_000 });

		const removed = await server.withDocument(DEMO_BOARD.id, (doc) => {
			const pins = doc.getMap('pins');
			const had = pins.has('p1');
			pins.delete('p1');
			return had;
		});

		expect(removed).toBe(true);
		expect(server.loadedBoards).toBe(0);
		const rows = await store.load(DEMO_BOARD.id);
		expect(rows).toHaveLength(1);
		expect(holds(rows[0]!.data, SECRET)).toBe(false);
		expect(holds(rows[0]!.data, 'Blijvende pin')).toBe(true);
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, rows[0]!.data);
		expect(Object.keys(reloaded.getMap('pins').toJSON())).toEqual(['p2']);
	});

	it('rejects when the change could not be stored', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const hooks = postgresHooks(db);
		server = new SyncServer({
			hooks: {
				...hooks,
				onStoreDocument: () => Promise.reject(new Error('disk full'))
			},
			debounceMs: 10_000,
			maxWaitMs: 10_000,
			log: () => {}
		});
		await expect(
			server.withDocument(DEMO_BOARD.id, (doc) => doc.getMap('pins').set('x', 1))
		).rejects.toThrow(/storing document spoorbuurt failed/);
	});

	it('refuses an unknown board like the sync socket does', async () => {
		db = await migratedDb(driver);
		server = new SyncServer({ hooks: postgresHooks(db), debounceMs: 10, maxWaitMs: 10 });
		await expect(server.withDocument('bestaat-niet', () => undefined)).rejects.toThrow(
			/board not found/
		);
		expect(server.loadedBoards).toBe(0);
	});
});
