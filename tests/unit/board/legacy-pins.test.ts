import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listInitiatieven } from '../../../src/lib/board/initiatieven';
import { retireLegacyPins } from '../../../src/lib/board/legacy-pins';
import { listNotities } from '../../../src/lib/board/notities';
import { listPins } from '../../../src/lib/board/pins';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';
import { sync } from '../../support/ydocs';

/** A stored board as an older client wrote it: pins in the top-level `pins` map. */
function legacyBoard(): Uint8Array {
	const doc = new Y.Doc();
	const pins = doc.getMap<Y.Map<unknown>>('pins');
	const put = (id: string, fields: Record<string, unknown>) => {
		const m = new Y.Map<unknown>();
		for (const [k, v] of Object.entries({ id, ...fields })) m.set(k, v);
		pins.set(id, m);
	};
	put('p1', {
		kind: 'initiatief',
		title: 'Voortuinen samen opknappen',
		addressId: 'obrechtstraat-3',
		lon: 5.873,
		lat: 51.833,
		createdAt: '2025-03-01T10:00:00.000Z'
	});
	put('p2', {
		kind: 'gesprek',
		title: 'Koffie bij nr. 12',
		addressId: 'obrechtstraat-12',
		lon: 5.874,
		lat: 51.834,
		createdAt: '2025-03-02T10:00:00.000Z'
	});
	put('p3', {
		kind: 'notitie',
		title: 'Bankje is kapot',
		addressId: null,
		lon: 5.875,
		lat: 51.835,
		createdAt: '2025-03-03T10:00:00.000Z'
	});
	// Written by a newer client: not readable as a pin, so left alone.
	put('p4', { kind: 'iets-nieuws', title: 5 });
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return state;
}

function open(state: Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return doc;
}

describe('retiring legacy pins', () => {
	it('turns every stored pin into an initiatief or a notitie, keeping title, place and date', () => {
		const doc = open(legacyBoard());
		expect(retireLegacyPins(doc)).toEqual({ initiatieven: 1, notities: 2, alreadyDone: 0 });

		expect(listInitiatieven(doc)).toMatchObject([
			{
				id: 'pin-p1',
				title: 'Voortuinen samen opknappen',
				status: 'idee',
				place: { addressId: 'obrechtstraat-3' },
				addressIds: ['obrechtstraat-3'],
				createdAt: '2025-03-01T10:00:00.000Z'
			}
		]);
		const notes = listNotities(doc).sort((a, b) => a.id.localeCompare(b.id));
		expect(notes).toMatchObject([
			{ id: 'pin-p2', text: 'Gesprek: Koffie bij nr. 12', lon: 5.874, lat: 51.834 },
			{ id: 'pin-p3', text: 'Bankje is kapot', createdAt: '2025-03-03T10:00:00.000Z' }
		]);
		// Only the unreadable one stays.
		expect(listPins(doc)).toEqual([]);
		expect([...doc.getMap('pins').keys()]).toEqual(['p4']);
	});

	it('is idempotent: a second run changes nothing', () => {
		const doc = open(legacyBoard());
		retireLegacyPins(doc);
		const after = Y.encodeStateVector(doc);
		expect(retireLegacyPins(doc)).toEqual({ initiatieven: 0, notities: 0, alreadyDone: 0 });
		expect(Y.encodeStateVector(doc)).toEqual(after);
	});

	it('two clients upgrading the same board at once converge, with one item per pin', () => {
		const stored = legacyBoard();
		const a = open(stored);
		const b = open(stored);
		retireLegacyPins(a);
		retireLegacyPins(b);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(listInitiatieven(doc).map((i) => i.id)).toEqual(['pin-p1']);
			expect(
				listNotities(doc)
					.map((n) => n.id)
					.sort()
			).toEqual(['pin-p2', 'pin-p3']);
			expect(listPins(doc)).toEqual([]);
		}
		expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b));
		// A third client that arrives later finds the items and only deletes its own stale pins.
		const c = open(stored);
		sync(a, c);
		expect(retireLegacyPins(c)).toEqual({ initiatieven: 0, notities: 0, alreadyDone: 0 });
	});

	it('a client that upgrades while another still adds a note to an old pin loses nothing of it', () => {
		const stored = legacyBoard();
		const a = open(stored);
		const b = open(stored);
		retireLegacyPins(a);
		b.getMap<Y.Map<unknown>>('notities').set('n-new', new Y.Map());
		sync(a, b);
		expect(b.getMap('notities').has('n-new')).toBe(true);
		expect(b.getMap('notities').has('pin-p2')).toBe(true);
	});

	it('writes what the sync server accepts from a client', () => {
		const doc = open(legacyBoard());
		const before = Y.encodeStateVector(doc);
		retireLegacyPins(doc);
		const update = Y.encodeStateAsUpdate(doc, before);
		expect(() => validateBoardUpdate(update, open(legacyBoard()))).not.toThrow();
	});
});
