import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * Board updates that are cheap to send and were costly to check (validate.ts), for the tests that
 * the check stays about as fast as Yjs applying them.
 */

/**
 * `items` deleted pins: a delete set of `ranges` ranges that each delete the first pin again,
 * followed by the one that deletes them all. Every struct was compared with every range (two bytes
 * each).
 */
export function manyDeleteRanges(items: number, ranges: number, client = 987_654_321): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = client;
	const pins = doc.getMap('pins');
	doc.transact(() => {
		for (let i = 0; i < items; i++) pins.set(`p${i}`, 1);
	});
	const structs = Y.encodeStateAsUpdate(doc);
	const e = encoding.createEncoder();
	// The structs, without their empty delete set (its count, 0).
	encoding.writeUint8Array(e, structs.subarray(0, structs.length - 1));
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, ranges + 1);
	for (let i = 0; i < ranges; i++) {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 1);
	}
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, items);
	return encoding.toUint8Array(e);
}

/**
 * A new pin whose title and kind are set `times` times each, alternately, so that Yjs keeps every
 * value as an item of its own: each value's place in its field was looked up in all the others.
 */
export function manyValuesOfOneField(times: number, id = 'veel-waarden'): Uint8Array {
	const doc = new Y.Doc({ gc: false });
	const pin = new Y.Map<unknown>();
	doc.getMap('pins').set(id, pin);
	pin.set('id', id);
	pin.set('addressId', null);
	pin.set('lon', 5.87);
	pin.set('lat', 51.83);
	pin.set('createdAt', 1);
	for (let i = 0; i < times; i++) {
		pin.set('title', `titel ${i}`);
		pin.set('kind', `soort ${i}`);
	}
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}
