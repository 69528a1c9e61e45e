import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, addPin, type NewGesprek } from '../../../src/lib/board';
import { BOARD_LAYOUT, LIMITS } from '../../../src/lib/board/layout';
import { takeValidPart } from '../../../src/lib/server/sync/repair';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

const gesprek: NewGesprek = {
	addressId: 'adres-1',
	date: '2024-03-12',
	heldBy: 'Fatma',
	outcome: 'gesproken',
	notes: 'Eerste indruk.'
};

/** A server document and a client that shares its state; `edit` makes the client's next update. */
function setup() {
	const server = new Y.Doc();
	const client = new Y.Doc();
	const pin = addPin(client, {
		kind: 'notitie',
		title: 'Bankje',
		addressId: null,
		lon: 5.87,
		lat: 51.83
	});
	const g = addGesprek(client, gesprek);
	Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
	const edit = (fn: () => void) => {
		const sv = Y.encodeStateVector(client);
		client.transact(fn);
		return Y.encodeStateAsUpdate(client, sv);
	};
	/** Takes the update's valid part into the server, then the server's answer into the client. */
	const take = (update: Uint8Array) => {
		expect(() => validateBoardUpdate(update, server)).toThrow();
		const part = takeValidPart(update, server, BOARD_LAYOUT);
		expect(part).not.toBeNull();
		Y.applyUpdate(server, part!.update);
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		const json = (doc: Y.Doc) => ({
			pins: doc.getMap('pins').toJSON(),
			gesprekken: doc.getMap('gesprekken').toJSON()
		});
		expect(json(client)).toEqual(json(server));
		return part!.notTaken.map((p) => `${p.path.join('/')} ${p.reason}`).sort();
	};
	const pins = client.getMap<Y.Map<unknown>>('pins');
	const gesprekken = client.getMap<Y.Map<unknown>>('gesprekken');
	return {
		server,
		client,
		pin: pins.get(pin.id)!,
		pinId: pin.id,
		g: gesprekken.get(g.id)!,
		gId: g.id,
		edit,
		take,
		pins
	};
}

describe('taking the valid part of an update (issue 12)', () => {
	it('puts back previous values, drops unknown fields, keeps the valid changes of the same update', () => {
		const { server, pin, pinId, edit, take } = setup();
		const notTaken = take(
			edit(() => {
				pin.set('kind', 42);
				pin.set('bsn', '123456789');
				pin.delete('createdAt');
				pin.set('title', 'Bankje bij de speeltuin');
			})
		);
		expect(notTaken).toEqual([
			`pins/${pinId}/bsn unknown`,
			`pins/${pinId}/createdAt required`,
			`pins/${pinId}/kind invalid`
		]);
		const stored = server.getMap<Y.Map<unknown>>('pins').get(pinId)!;
		expect(stored.toJSON()).toMatchObject({ kind: 'notitie', title: 'Bankje bij de speeltuin' });
		expect(stored.has('bsn')).toBe(false);
		expect(stored.get('createdAt')).toEqual(expect.any(String));
	});

	it('drops a new entity without a required field, keeps a valid one and fixes a new one inside', () => {
		const { server, edit, take, pins } = setup();
		const notTaken = take(
			edit(() => {
				const broken = new Y.Map<unknown>();
				broken.set('title', 'zonder soort');
				pins.set('kapot', broken);
				const extra = new Y.Map<unknown>();
				for (const [k, v] of Object.entries({
					kind: 'notitie',
					title: 'met extra veld',
					addressId: null,
					lon: 5.8,
					lat: 51.8,
					createdAt: new Date().toISOString(),
					geheim: 'x'
				}))
					extra.set(k, v);
				pins.set('extra', extra);
			})
		);
		expect(notTaken).toEqual(['pins/extra/geheim unknown', 'pins/kapot required']);
		const stored = server.getMap<Y.Map<unknown>>('pins');
		expect(stored.has('kapot')).toBe(false);
		expect(stored.get('extra')?.toJSON()).toMatchObject({ title: 'met extra veld' });
		expect(stored.get('extra')?.has('geheim')).toBe(false);
	});

	it('drops list items and text over the limit, and invalid list items; keeps the rest', () => {
		const { server, g, gId, edit, take } = setup();
		const talents = g.get('talents') as Y.Array<unknown>;
		const notes = g.get('notes') as Y.Text;
		const notTaken = take(
			edit(() => {
				// One Yjs item (a client's consecutive values merge): its valid values stay.
				talents.push(['koken', 42, 'x'.repeat(LIMITS.listItem + 1)]);
				talents.push(['tuinieren']);
				notes.insert(notes.length, ' Tweede.');
				notes.insert(0, 'y'.repeat(LIMITS.notes));
			})
		);
		expect(notTaken).toEqual([
			`gesprekken/${gId}/notes too-long`,
			`gesprekken/${gId}/talents invalid`
		]);
		const stored = server.getMap<Y.Map<unknown>>('gesprekken').get(gId)!;
		expect((stored.get('talents') as Y.Array<string>).toArray()).toEqual(['koken', 'tuinieren']);
		expect((stored.get('notes') as Y.Text).length).toBeLessThanOrEqual(LIMITS.notes);
	});

	it('drops an unknown top-level type, keeping none of its values', () => {
		const { server, client, edit, take, pins, pinId } = setup();
		const notTaken = take(
			edit(() => {
				client.getMap('geheim').set('bsn', '123456789');
				pins.get(pinId)!.set('title', 'Nieuwe titel');
			})
		);
		expect(notTaken).toEqual(['geheim unknown']);
		expect(server.getMap('geheim').size).toBe(0);
		expect(JSON.stringify(Y.encodeStateAsUpdate(server))).not.toContain('123456789');
		expect(server.getMap<Y.Map<unknown>>('pins').get(pinId)!.get('title')).toBe('Nieuwe titel');
	});
});
