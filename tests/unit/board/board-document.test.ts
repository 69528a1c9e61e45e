import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDocument } from '../../../src/lib/board/board.svelte';

const at = { lon: 5.87, lat: 51.83 };

/*
 * Vitest resolves Svelte's server build here, where effects do not run; that `pins` re-renders
 * components on remote changes is covered by the e2e test (the list updates live).
 */
describe('BoardDocument', () => {
	it('reads pins and runs commands', () => {
		const board = new BoardDocument();
		const pin = board.addPin({ kind: 'gesprek', title: 'a', ...at });
		expect(board.pins).toEqual([pin]);
		board.updatePin(pin.id, { title: 'b' });
		expect(board.pin(pin.id)?.title).toBe('b');
		expect(board.removePin(pin.id)).toBe(true);
		expect(board.pins).toEqual([]);
		board.destroy();
	});

	it('sees remote changes on the next read (the cache is dropped on every change)', () => {
		const remote = new Y.Doc();
		const board = new BoardDocument();
		expect(board.pins).toEqual([]);
		const fields = new Y.Map<unknown>();
		const stored = {
			kind: 'notitie',
			title: 'op afstand',
			addressId: null,
			...at,
			createdAt: '2030-01-01T00:00:00.000Z'
		};
		for (const [key, value] of Object.entries(stored)) fields.set(key, value);
		remote.getMap('pins').set('remote-1', fields);
		Y.applyUpdate(board.doc, Y.encodeStateAsUpdate(remote));
		expect(board.pins).toEqual([{ id: 'remote-1', ...stored }]);
		board.destroy();
	});
});
