import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin, updatePin } from '../../../src/lib/board';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

const sync = (from: Y.Doc, to: Y.Doc) =>
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('a client re-sending its edits after the server lost some of them', () => {
	it.each([
		[1, 2],
		[2, 1]
	])('is accepted after a concurrent title (issue 12; client ids %i, %i)', (idA, idB) => {
		const server = new Y.Doc();
		const a = new Y.Doc();
		const b = new Y.Doc();
		a.clientID = idA;
		b.clientID = idB;
		const pinId = addPin(a, { kind: 'notitie', title: 'Gedeeld', lon: 5.8, lat: 51.8 }).id;
		sync(a, server);
		sync(server, b);
		// B offline: sets the title and adds a pin.
		updatePin(b, pinId, { title: 'Titel van B' });
		addPin(b, { kind: 'notitie', title: 'Nieuw van B', lon: 5.8, lat: 51.8 });
		// A online: sets the title; the server stores it.
		updatePin(a, pinId, { title: 'Titel van A' });
		const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(server));
		validateBoardUpdate(fromA, server);
		Y.applyUpdate(server, fromA);
		const stored = Y.encodeStateAsUpdate(server);
		// B reconnects: its title loses, its pin is applied.
		const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(server));
		validateBoardUpdate(fromB, server);
		Y.applyUpdate(server, fromB);
		sync(server, b);
		// The server restarts from what was stored; B re-sends.
		const restarted = new Y.Doc();
		Y.applyUpdate(restarted, stored);
		const again = Y.encodeStateAsUpdate(b, Y.encodeStateVector(restarted));
		expect(() => validateBoardUpdate(again, restarted)).not.toThrow();
		Y.applyUpdate(restarted, again);
		const pins = restarted.getMap<Y.Map<unknown>>('pins');
		expect(pins.size).toBe(2);
		expect(pins.get(pinId)!.get('title')).toBe(
			b.getMap<Y.Map<unknown>>('pins').get(pinId)!.get('title')
		);
	});

	it('still refuses a field deleted through a new value that is itself deleted', () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		const pinId = addPin(client, { kind: 'notitie', title: 'Gedeeld', lon: 5.8, lat: 51.8 }).id;
		sync(client, server);
		const before = Y.encodeStateVector(client);
		client.transact(() => {
			const pin = client.getMap<Y.Map<unknown>>('pins').get(pinId)!;
			pin.set('title', 'even');
			pin.delete('title');
		});
		const update = Y.encodeStateAsUpdate(client, before);
		expect(() => validateBoardUpdate(update, server)).toThrow(/deletes the field .*\.title/);
	});
});
