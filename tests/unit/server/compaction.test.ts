import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Db } from '../../../src/lib/server/db';
import { DEMO_BOARD, ensureDemoBoard } from '../../../src/lib/server/demo';
import { UpdateStore } from '../../../src/lib/server/sync/store';
import { migratedDb } from '../../support/db';
import { DRIVERS } from '../../support/drivers';

/** Makes a document edit by edit, recording each update as the server would store it. */
function editHistory(edits: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const pins = doc.getMap<Y.Map<unknown>>('pins');
	for (let i = 0; i < edits; i++) {
		if (i % 10 === 9) {
			pins.delete(`p${i - 5}`);
		} else if (i % 3 === 0 && pins.has(`p${i - 1}`)) {
			pins.get(`p${i - 1}`)!.set('title', `bewerkt ${i}`);
		} else {
			const pin = new Y.Map<unknown>();
			pin.set('title', `pin ${i}`);
			pin.set('kind', 'notitie');
			pins.set(`p${i}`, pin);
		}
	}
	return { doc, updates };
}

function contentOf(update: Uint8Array): unknown {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	return doc.getMap('pins').toJSON();
}

describe.each(DRIVERS)('compaction on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('merges the log into one row that holds the same document, smaller', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		const { doc, updates } = editHistory(600);
		for (const u of updates) await store.append(DEMO_BOARD.id, u);
		const before = await store.storedBytes(DEMO_BOARD.id);
		expect(before.rows).toBe(updates.length);

		expect(await store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(doc))).toBe(
			updates.length
		);

		const rows = await store.load(DEMO_BOARD.id);
		expect(rows).toHaveLength(1);
		// Same content as the live document, and the same state as Yjs encodes it.
		expect(contentOf(rows[0]!.data)).toEqual(doc.getMap('pins').toJSON());
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, rows[0]!.data);
		expect(Y.encodeStateAsUpdate(reloaded)).toEqual(Y.encodeStateAsUpdate(doc));
		const after = await store.storedBytes(DEMO_BOARD.id);
		expect(after.bytes).toBeLessThan(before.bytes);
		expect(after.bytes).toBeLessThanOrEqual(2 * Y.encodeStateAsUpdate(doc).byteLength);
	});

	it('keeps updates stored while it runs', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		const { doc, updates } = editHistory(80);
		// The live document on the server: each update reaches it before it is stored.
		const live = new Y.Doc();
		const receive = async (u: Uint8Array) => {
			Y.applyUpdate(live, u);
			await store.append(DEMO_BOARD.id, u);
		};
		for (const u of updates.slice(0, 40)) await receive(u);
		await Promise.all([
			store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(live)),
			(async () => {
				for (const u of updates.slice(40)) await receive(u);
			})()
		]);
		const merged = Y.mergeUpdates((await store.load(DEMO_BOARD.id)).map((r) => r.data));
		expect(contentOf(merged)).toEqual(doc.getMap('pins').toJSON());
	});

	it('keeps the rows of another writer it never saw (two processes on one database)', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		// Two server processes load the same stored board, then each stores its own clients' edits.
		const base = new Y.Doc();
		base.getMap('pins').set('base', 'gedeeld');
		await store.append(DEMO_BOARD.id, Y.encodeStateAsUpdate(base));
		const [a, b] = [new Y.Doc(), new Y.Doc()];
		for (const live of [a, b]) {
			for (const row of await store.load(DEMO_BOARD.id)) Y.applyUpdate(live, row.data);
		}
		const stored = (live: Y.Doc) => {
			const rows: Promise<number>[] = [];
			live.on('update', (u: Uint8Array) => rows.push(store.append(DEMO_BOARD.id, u)));
			return () => Promise.all(rows);
		};
		const [storedA, storedB] = [stored(a), stored(b)];
		for (let i = 0; i < 5; i++) {
			a.getMap('pins').set(`a${i}`, `van a ${i}`);
			b.getMap('pins').set(`b${i}`, `van b ${i}`);
		}
		b.getMap('pins').delete('base');
		await Promise.all([storedA(), storedB()]);

		// A compacts with its own state (which lacks B's edits); then B with its own.
		await store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(a));
		const afterA = contentOf(
			Y.mergeUpdates((await store.load(DEMO_BOARD.id)).map((r) => r.data))
		) as Record<string, string>;
		expect(Object.keys(afterA).sort()).toEqual(
			['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4'].sort()
		);
		b.getMap('pins').set('b5', 'later');
		await storedB();
		await store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(b));
		const rows = await store.load(DEMO_BOARD.id);
		expect(rows).toHaveLength(1);
		expect(Object.keys(contentOf(rows[0]!.data) as object)).toHaveLength(11);
	});

	it('runs concurrent compactions of two writers without losing a row', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		const [a, b] = [new Y.Doc(), new Y.Doc()];
		for (const [live, name] of [
			[a, 'a'],
			[b, 'b']
		] as const) {
			live.on('update', (u: Uint8Array) => void store.append(DEMO_BOARD.id, u));
			for (let i = 0; i < 20; i++) live.getMap('pins').set(`${name}${i}`, i);
		}
		await expect.poll(async () => (await store.load(DEMO_BOARD.id)).length).toBe(40);
		await Promise.all([
			store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(a)),
			store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(b))
		]);
		const merged = Y.mergeUpdates((await store.load(DEMO_BOARD.id)).map((r) => r.data));
		expect(Object.keys(contentOf(merged) as object)).toHaveLength(40);
	});

	it('with the rows each live document holds (known), merges only the others', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		const base = new Y.Doc();
		base.getMap('pins').set('base', 'gedeeld');
		base.getMap('pins').set('blijft', 'ja');
		await store.append(DEMO_BOARD.id, Y.encodeStateAsUpdate(base));
		// Two processes: each its live document and the seqs it holds, as postgres-hooks keeps them.
		const writers = [0, 1].map(() => ({ doc: new Y.Doc(), known: new Set<number>() }));
		for (const w of writers) {
			for (const row of await store.load(DEMO_BOARD.id)) {
				Y.applyUpdate(w.doc, row.data);
				w.known.add(row.seq);
			}
			w.doc.on('update', (u: Uint8Array) => {
				void store.append(DEMO_BOARD.id, u).then((seq) => w.known.add(seq));
			});
		}
		const [a, b] = writers as [(typeof writers)[0], (typeof writers)[0]];
		a.doc.getMap('pins').set('a', 'van a');
		b.doc.getMap('pins').set('b', 'van b');
		// A deletion stored by the other writer must survive: the live document of A still has it.
		b.doc.getMap('pins').delete('base');
		await expect.poll(() => a.known.size + b.known.size).toBe(2 + 1 + 2);

		const compactWith = (w: typeof a) =>
			store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(w.doc), w);
		expect(await compactWith(a)).toBe(4);
		const afterA = await store.load(DEMO_BOARD.id);
		expect(afterA).toHaveLength(1);
		expect(contentOf(afterA[0]!.data)).toEqual({ a: 'van a', b: 'van b', blijft: 'ja' });
		// A's new row holds B's edits, which A's live document lacks: it is not known to A.
		expect(a.known.has(afterA[0]!.seq)).toBe(false);

		// Only A's own edit again: the stored row is known to nobody and merged by B as well.
		a.doc.getMap('pins').set('a2', 'nog een');
		await expect.poll(() => a.known.size).toBe(1);
		expect(await compactWith(b)).toBe(2);
		const rows = await store.load(DEMO_BOARD.id);
		expect(rows).toHaveLength(1);
		expect(contentOf(rows[0]!.data)).toEqual({
			a: 'van a',
			a2: 'nog een',
			b: 'van b',
			blijft: 'ja'
		});
	});

	it('writes the live state as it is when it holds every row', async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		const store = new UpdateStore(db);
		const { doc, updates } = editHistory(30);
		// Rows written by "another process" that this document has seen all the same (relayed).
		for (const u of updates) await store.append(DEMO_BOARD.id, u);
		const known = new Set<number>();
		expect(
			await store.compact(DEMO_BOARD.id, () => Y.encodeStateAsUpdate(doc), { known, doc })
		).toBe(updates.length);
		const [row] = await store.load(DEMO_BOARD.id);
		expect(new Uint8Array(row!.data)).toEqual(Y.encodeStateAsUpdate(doc));
		expect([...known]).toEqual([row!.seq]);
	});
});
