import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin } from '../../../src/lib/board';
import { UpdateRefusal } from '../../../src/lib/server/sync/hooks';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

/** The updates `fn` makes on `doc`, one per transaction. */
function updates(doc: Y.Doc, fn: () => void): Uint8Array[] {
	const out: Uint8Array[] = [];
	const on = (u: Uint8Array) => out.push(u);
	doc.on('update', on);
	try {
		fn();
	} finally {
		doc.off('update', on);
	}
	return out;
}

describe('structs that wait for missing parts (pending)', () => {
	it('are checked with the update that completes them', () => {
		const server = new Y.Doc();
		const attacker = new Y.Doc();
		const [first, second] = updates(attacker, () => {
			const id = addPin(attacker, { kind: 'notitie', title: 'Gewoon', lon: 5.8, lat: 51.8 }).id;
			const pin = attacker.getMap<Y.Map<unknown>>('pins').get(id)!;
			pin.set('bsn', '123456789');
		});
		// The second part depends on the first: the server cannot place it yet and Yjs keeps it.
		expect(() => validateBoardUpdate(second!, server)).not.toThrow();
		Y.applyUpdate(server, second!);
		expect(server.store.pendingStructs).not.toBeNull();
		// The valid-looking first part makes the field visible: refused.
		expect(() => validateBoardUpdate(first!, server)).toThrow(UpdateRefusal);
		expect(() => validateBoardUpdate(first!, server)).toThrow(/unknown field "bsn"/);
	});
});
