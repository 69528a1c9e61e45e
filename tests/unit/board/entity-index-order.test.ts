import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Fields } from '../../../src/lib/board/common';
import { EntityIndex } from '../../../src/lib/board/entity-index';

interface E {
	id: string;
	createdAt: string;
}

function index(doc: Y.Doc) {
	const map = doc.getMap<Fields>('things');
	const read = (id: string): E | null => {
		const m = map.get(id);
		return m ? { id, createdAt: String(m.get('createdAt')) } : null;
	};
	return { map, entities: new EntityIndex<E>(map, read) };
}

function put(map: Y.Map<Fields>, id: string, createdAt: string) {
	const m = new Y.Map<unknown>() as Fields;
	m.set('createdAt', createdAt);
	map.set(id, m);
}

describe('the entity list after adds and deletes from others', () => {
	it('stays oldest first, as a full sort would have it, and keeps unchanged objects', () => {
		const doc = new Y.Doc();
		const { map, entities } = index(doc);
		doc.transact(() => {
			for (let i = 0; i < 500; i++) put(map, `e${i}`, `2026-11-${10 + (i % 20)}T10:00`);
		});
		let list = entities.list;
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		for (let step = 0; step < 200; step++) {
			doc.transact(() => {
				// A few at a time, as remote edits arrive: some added (also older ones, from a device
				// that was offline), some deleted, one changed.
				const n = 1 + Math.floor(random() * 3);
				for (let k = 0; k < n; k++) {
					if (random() < 0.6)
						put(map, `n${step}-${k}`, `2026-11-${10 + Math.floor(random() * 20)}T09:00`);
					else {
						const keys = [...map.keys()];
						map.delete(keys[Math.floor(random() * keys.length)]!);
					}
				}
				const keys = [...map.keys()];
				(map.get(keys[0]!) as Fields).set('note', step);
			});
			const next = entities.list;
			const sorted = [...next].sort((a, b) =>
				a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1
			);
			expect(next.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
			expect(next.map((e) => e.id).sort()).toEqual([...map.keys()].sort());
			const kept = next.filter((e) => list.includes(e)).length;
			expect(kept).toBeGreaterThan(next.length - 10);
			for (const e of next) expect(entities.get(e.id)).toBe(e);
			list = next;
		}
		entities.destroy();
	});
});
