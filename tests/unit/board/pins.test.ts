import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	BoardInputError,
	addPin,
	getPin,
	listPins,
	observePins,
	removePin,
	updatePin
} from '../../../src/lib/board/pins';
import { link, sync } from '../../support/ydocs';

const at = { lon: 5.87, lat: 51.83 };

describe('pin commands', () => {
	it('adds a pin with a uuid, trimmed title and creation time', () => {
		const doc = new Y.Doc();
		const pin = addPin(doc, {
			kind: 'gesprek',
			title: '  Koffie bij nr. 12 ',
			addressId: 'a-12',
			...at
		});
		expect(pin.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(pin.title).toBe('Koffie bij nr. 12');
		expect(pin.kind).toBe('gesprek');
		expect(pin.addressId).toBe('a-12');
		expect(new Date(pin.createdAt).toISOString()).toBe(pin.createdAt);
		expect(getPin(doc, pin.id)).toEqual(pin);
		expect(listPins(doc)).toEqual([pin]);
	});

	it('stores each pin as a Y.Map of fields keyed by id', () => {
		const doc = new Y.Doc();
		const pin = addPin(doc, { kind: 'notitie', title: 'x', ...at });
		const fields = doc.getMap('pins').get(pin.id);
		expect(fields).toBeInstanceOf(Y.Map);
		expect((fields as Y.Map<unknown>).get('title')).toBe('x');
		expect(pin.addressId).toBeNull();
	});

	it.each([
		[{ kind: 'gesprek', title: '   ', ...at }, /title/],
		[{ kind: 'gesprek', title: 'x'.repeat(201), ...at }, /at most 200/],
		[{ kind: 'feest', title: 'x', ...at }, /kind/],
		[{ kind: 'gesprek', title: 'x', lon: 200, lat: 51 }, /lon/],
		[{ kind: 'gesprek', title: 'x', lon: Number.NaN, lat: 51 }, /lon/],
		[{ kind: 'gesprek', title: 'x', ...at, colour: 'red' }, /colour/]
	])('refuses bad input %#', (input, message) => {
		const doc = new Y.Doc();
		// @ts-expect-error: deliberately wrong input
		expect(() => addPin(doc, input)).toThrow(BoardInputError);
		// @ts-expect-error: deliberately wrong input
		expect(() => addPin(doc, input)).toThrow(message);
		expect(listPins(doc)).toEqual([]);
	});

	it('accepts a 200 character title', () => {
		const doc = new Y.Doc();
		expect(addPin(doc, { kind: 'gesprek', title: 'x'.repeat(200), ...at }).title).toHaveLength(200);
	});

	it('updates title and kind, validating them', () => {
		const doc = new Y.Doc();
		const pin = addPin(doc, { kind: 'gesprek', title: 'Eerste', ...at });
		const changed = updatePin(doc, pin.id, { title: ' Tweede ', kind: 'initiatief' });
		expect(changed).toEqual({ ...pin, title: 'Tweede', kind: 'initiatief' });
		expect(getPin(doc, pin.id)).toEqual(changed);
		expect(() => updatePin(doc, pin.id, { title: '' })).toThrow(BoardInputError);
		// @ts-expect-error: lon cannot be changed through updatePin
		expect(() => updatePin(doc, pin.id, { lon: 1 })).toThrow(BoardInputError);
		expect(() => updatePin(doc, 'nope', { title: 'x' })).toThrow(/No pin/);
	});

	it('removes pins', () => {
		const doc = new Y.Doc();
		const pin = addPin(doc, { kind: 'gesprek', title: 'Weg', ...at });
		expect(removePin(doc, pin.id)).toBe(true);
		expect(removePin(doc, pin.id)).toBe(false);
		expect(getPin(doc, pin.id)).toBeNull();
		expect(listPins(doc)).toEqual([]);
	});

	it('lists pins oldest first and skips unreadable entries', () => {
		const doc = new Y.Doc();
		const a = addPin(doc, { kind: 'gesprek', title: 'a', ...at });
		const b = addPin(doc, { kind: 'gesprek', title: 'b', ...at });
		// Make the order by time explicit.
		(doc.getMap('pins').get(a.id) as Y.Map<unknown>).set('createdAt', '2020-01-01T00:00:00.000Z');
		const broken = new Y.Map<unknown>();
		broken.set('title', 42);
		doc.getMap('pins').set('broken', broken);
		expect(listPins(doc).map((p) => p.title)).toEqual(['a', 'b']);
		expect(getPin(doc, 'broken')).toBeNull();
		expect(b.title).toBe('b');
	});

	it('notifies observers of changes to pins and their fields', () => {
		const doc = new Y.Doc();
		let calls = 0;
		const stop = observePins(doc, () => calls++);
		const pin = addPin(doc, { kind: 'gesprek', title: 'a', ...at });
		updatePin(doc, pin.id, { title: 'b' });
		removePin(doc, pin.id);
		expect(calls).toBe(3);
		stop();
		addPin(doc, { kind: 'gesprek', title: 'c', ...at });
		expect(calls).toBe(3);
	});
});

describe('two documents syncing', () => {
	it('a pin added in one appears in the other', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const unlink = link(a, b);
		const pin = addPin(a, { kind: 'initiatief', title: 'Geveltuin', addressId: 'x-1', ...at });
		expect(getPin(b, pin.id)).toEqual(pin);
		removePin(b, pin.id);
		expect(listPins(a)).toEqual([]);
		unlink();
	});

	it('merges concurrent edits of different fields of one pin', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const pin = addPin(a, { kind: 'gesprek', title: 'Origineel', ...at });
		sync(a, b);
		// Both offline: a changes the title, b the kind.
		updatePin(a, pin.id, { title: 'Nieuwe titel' });
		updatePin(b, pin.id, { kind: 'notitie' });
		sync(a, b);
		const expected = { ...pin, title: 'Nieuwe titel', kind: 'notitie' };
		expect(getPin(a, pin.id)).toEqual(expected);
		expect(getPin(b, pin.id)).toEqual(expected);
	});

	it('converges on concurrent edits of the same field and concurrent adds', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const pin = addPin(a, { kind: 'gesprek', title: 'Origineel', ...at });
		sync(a, b);
		updatePin(a, pin.id, { title: 'Van a' });
		updatePin(b, pin.id, { title: 'Van b' });
		addPin(a, { kind: 'notitie', title: 'Nieuw in a', ...at });
		addPin(b, { kind: 'notitie', title: 'Nieuw in b', ...at });
		sync(a, b);
		expect(listPins(a)).toEqual(listPins(b));
		expect(listPins(a)).toHaveLength(3);
		expect(['Van a', 'Van b']).toContain(getPin(a, pin.id)?.title);
	});

	it('an edit wins over a concurrent removal only if the removal came first', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const pin = addPin(a, { kind: 'gesprek', title: 'x', ...at });
		sync(a, b);
		removePin(a, pin.id);
		updatePin(b, pin.id, { title: 'y' });
		sync(a, b);
		// Removing the pin removes its field map, so the edit inside it goes with it.
		expect(getPin(a, pin.id)).toBeNull();
		expect(getPin(b, pin.id)).toBeNull();
	});
});
