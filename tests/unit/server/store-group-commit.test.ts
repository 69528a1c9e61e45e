import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoard } from '../../../src/lib/server/boards';
import type { Db } from '../../../src/lib/server/db';
import { UpdateStore } from '../../../src/lib/server/sync/store';
import { migratedDb } from '../../support/db';
import { DRIVERS } from '../../support/drivers';

function pinUpdate(title: string): Uint8Array {
	const doc = new Y.Doc();
	const pin = new Y.Map<unknown>();
	pin.set('title', title);
	doc.getMap('pins').set(title, pin);
	return Y.encodeStateAsUpdate(doc);
}

function titles(rows: { data: Uint8Array }[]): string[] {
	const doc = new Y.Doc();
	for (const row of rows) Y.applyUpdate(doc, row.data);
	return [...doc.getMap('pins').keys()].sort();
}

describe.each(DRIVERS)('storing updates of many boards at once on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('stores every update of every board, each with its own seq in the order they came', async () => {
		db = await migratedDb(driver);
		const boards = ['a', 'b', 'c', 'd', 'e'];
		for (const id of boards) {
			await createBoard(db, { id, name: id, centerLon: 5.87, centerLat: 51.83, zoom: 15 });
		}
		const store = new UpdateStore(db);
		// 5 boards × 40 edits, all at once: most wait behind a running insert and go in together.
		const appends = boards.flatMap((id) =>
			Array.from({ length: 40 }, (_, i) => ({ id, title: `${id}-${i}` }))
		);
		const seqs = await Promise.all(appends.map((a) => store.append(a.id, pinUpdate(a.title))));

		expect(new Set(seqs).size).toBe(appends.length);
		for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
		for (const id of boards) {
			const rows = await store.load(id);
			expect(rows).toHaveLength(40);
			expect(titles(rows)).toEqual(
				appends
					.filter((a) => a.id === id)
					.map((a) => a.title)
					.sort()
			);
			// Each seq the store answered is the row of that very update.
			for (const row of rows) {
				const title = titles([row])[0]!;
				expect(seqs[appends.findIndex((a) => a.title === title)]).toBe(row.seq);
			}
		}
	});

	it('refuses only the update of a board that is gone; the others going in with it are stored', async () => {
		db = await migratedDb(driver);
		await createBoard(db, {
			id: 'here',
			name: 'here',
			centerLon: 5.87,
			centerLat: 51.83,
			zoom: 15
		});
		const store = new UpdateStore(db);
		const first = store.append('here', pinUpdate('first'));
		// These queue behind the first insert and would go in as one statement.
		const results = await Promise.allSettled([
			store.append('here', pinUpdate('before')),
			store.append('gone', pinUpdate('lost')),
			store.append('here', pinUpdate('after'))
		]);
		await first;

		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(titles(await store.load('here'))).toEqual(['after', 'before', 'first']);
		expect(await store.load('gone')).toEqual([]);
	});

	it('with a commit interval, appends spread over it go in as one insert, and a lone one at once', async () => {
		db = await migratedDb(driver);
		const boards = ['a', 'b', 'c', 'd', 'e'];
		for (const id of boards) {
			await createBoard(db, { id, name: id, centerLon: 5.87, centerLat: 51.83, zoom: 15 });
		}
		const inserts: number[] = [];
		const count = (sql: string) => {
			if (sql.startsWith('insert into public.board_updates')) inserts.push(performance.now());
		};
		// Small inserts run prepared, larger ones as plain queries: both count.
		const counted: Db = {
			...db,
			query: (sql, params) => {
				count(sql);
				return db!.query(sql, params);
			},
			prepared: (sql, params) => {
				count(sql);
				return db!.prepared(sql, params);
			}
		};
		const store = new UpdateStore(counted, { commitIntervalMs: 300 });
		const started = performance.now();
		await store.append('a', pinUpdate('lone'));
		expect(inserts).toHaveLength(1);
		expect(inserts[0]! - started).toBeLessThan(200);
		// One board after another, 20 ms apart, as debounced writers of several boards do.
		const later: Promise<number>[] = [];
		for (const id of boards) {
			later.push(store.append(id, pinUpdate(`${id}-later`)));
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await Promise.all(later);
		expect(inserts).toHaveLength(2);
		expect(inserts[1]! - inserts[0]!).toBeGreaterThanOrEqual(290);
		for (const id of boards) expect(titles(await store.load(id))).toContain(`${id}-later`);
	});
});
