import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addFollowUp,
	addGesprek,
	addInitiatief,
	addNotitie,
	addPin,
	addThema,
	addToGesprekList,
	createUndoManager,
	deleteNotes,
	ensureDefaultThemas,
	insertNotes,
	mergeThema,
	removeFromGesprekList,
	removeGesprek,
	removeInitiatief,
	removePin,
	setConsent,
	updateFollowUp,
	updateGesprek,
	updateInitiatief,
	updateNotitie,
	updatePin,
	type NewGesprek
} from '../../../src/lib/board';
import { UpdateRefusal } from '../../../src/lib/server/sync/hooks';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

const gesprek: NewGesprek = {
	addressId: 'adres-1',
	date: '2024-03-12',
	heldBy: 'Fatma',
	outcome: 'gesproken',
	themeIds: ['groen'],
	followUps: [{ what: 'Voortuin', who: 'Ahmed' }],
	consent: { recordedBy: 'Fatma', date: '2024-03-12' },
	notes: 'Eerste indruk.'
};

/** A server document and a client editing against it; every client update goes through the check. */
function setup() {
	const server = new Y.Doc();
	const client = new Y.Doc();
	/** The update `fn` makes on `doc` (the client by default). */
	const capture = (fn: (doc: Y.Doc) => void, doc: Y.Doc = client): Uint8Array => {
		const updates: Uint8Array[] = [];
		const onUpdate = (u: Uint8Array) => updates.push(u);
		doc.on('update', onUpdate);
		try {
			fn(doc);
		} finally {
			doc.off('update', onUpdate);
		}
		return Y.mergeUpdates(updates);
	};
	/** Validates then applies, as the sync server does. */
	const send = (fn: (doc: Y.Doc) => void): void => {
		const update = capture(fn);
		validateBoardUpdate(update, server);
		Y.applyUpdate(server, update);
	};
	/** `fn` runs on a fresh copy of the server's document; its update must be refused. */
	const refused = (fn: (doc: Y.Doc) => void, reason: RegExp): void => {
		const fork = new Y.Doc();
		Y.applyUpdate(fork, Y.encodeStateAsUpdate(server));
		const update = capture(fn, fork);
		const before = Y.encodeStateAsUpdate(server);
		expect(() => validateBoardUpdate(update, server)).toThrow(UpdateRefusal);
		expect(() => validateBoardUpdate(update, server)).toThrow(reason);
		// Nothing was applied by the check.
		expect(Y.encodeStateAsUpdate(server)).toEqual(before);
	};
	return { server, client, capture, send, refused };
}

function gesprekFields(doc: Y.Doc, id: string): Y.Map<unknown> {
	return doc.getMap<Y.Map<unknown>>('gesprekken').get(id)!;
}

describe('validateBoardUpdate accepts what the model commands write', () => {
	it('every command, one update at a time', () => {
		const { server, client, send } = setup();
		send((d) => ensureDefaultThemas(d));
		let id = '';
		send((d) => (id = addGesprek(d, gesprek).id));
		send((d) => updateGesprek(d, id, { outcome: 'later', round: 2, talents: ['koken'] }));
		send((d) => addToGesprekList(d, id, 'wishes', 'Bankje voor de deur'));
		send((d) => removeFromGesprekList(d, id, 'themeIds', 'groen'));
		let followUpId = '';
		send((d) => (followUpId = addFollowUp(d, id, { what: 'Bellen', due: '2024-05-01' }).id));
		send((d) => updateFollowUp(d, id, followUpId, { status: 'klaar' }));
		send((d) => insertNotes(d, id, 5, ' en verder'));
		send((d) => deleteNotes(d, id, 0, 3));
		// Last: a household that withdrew its consent gets nothing personal added any more.
		send((d) => setConsent(d, id, { recordedBy: 'Fatma', date: '2024-06-01', withdrawn: true }));
		let themaId = '';
		send((d) => (themaId = addThema(d, { name: 'Spelen', colour: '#123456' }).id));
		send((d) => mergeThema(d, 'eenzaamheid', themaId));
		let initiatiefId = '';
		send((d) => {
			initiatiefId = addInitiatief(d, {
				title: 'Koffieochtend',
				place: { addressId: 'adres-1' },
				themeIds: [themaId],
				addressIds: ['adres-1', 'adres-2']
			}).id;
		});
		send((d) => updateInitiatief(d, initiatiefId, { place: { lon: 5.87, lat: 51.83 } }));
		send((d) => updateInitiatief(d, initiatiefId, { addressIds: ['adres-3'] }));
		let notitieId = '';
		send(
			(d) => (notitieId = addNotitie(d, { text: 'Veel jonge gezinnen', lon: 5.87, lat: 51.83 }).id)
		);
		send((d) => updateNotitie(d, notitieId, { text: 'Veel ouderen' }));
		let pinId = '';
		send((d) => (pinId = addPin(d, { kind: 'gesprek', title: 'Pin', lon: 5.87, lat: 51.83 }).id));
		send((d) => updatePin(d, pinId, { title: 'Pin 2' }));
		send((d) => removePin(d, pinId));
		send((d) => removeInitiatief(d, initiatiefId));
		send((d) => removeGesprek(d, id));
		expect(server.getMap('gesprekken').toJSON()).toEqual(client.getMap('gesprekken').toJSON());
		expect(server.getMap('themas').toJSON()).toEqual(client.getMap('themas').toJSON());
	});

	it('a whole offline document as sync step 2, and undo', () => {
		const { server, client, capture, send } = setup();
		const undo = createUndoManager(client);
		const full = capture((d) => {
			ensureDefaultThemas(d);
			for (let i = 0; i < 20; i++) addGesprek(d, { ...gesprek, addressId: `adres-${i}` });
			addInitiatief(d, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		});
		expect(() => validateBoardUpdate(full, server)).not.toThrow();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
		undo.stopCapturing();
		const [first] = [...client.getMap('gesprekken').keys()];
		send((d) => updateGesprek(d, first!, { heldBy: 'Joost' }));
		send(() => undo.undo());
		send(() => undo.redo());
	});

	it('undoing the removal of a gesprek (Yjs re-creates the entity and its fields)', () => {
		const { server, client, send } = setup();
		let id = '';
		send((d) => (id = addGesprek(d, gesprek).id));
		const undo = createUndoManager(client);
		send((d) => removeGesprek(d, id));
		send(() => undo.undo());
		expect(server.getMap('gesprekken').toJSON()).toEqual(client.getMap('gesprekken').toJSON());
		expect(Object.keys(server.getMap('gesprekken').toJSON())).toEqual([id]);
		send(() => undo.redo());
		expect(server.getMap('gesprekken').size).toBe(0);
	});

	it('an update whose dependency arrives later (kept pending, checked with it)', () => {
		const { server, capture } = setup();
		let id = '';
		const first = capture((d) => (id = addGesprek(d, gesprek).id));
		const second = capture((d) => insertNotes(d, id, 0, 'Later getypt. '));
		validateBoardUpdate(second, server);
		Y.applyUpdate(server, second);
		validateBoardUpdate(first, server);
		Y.applyUpdate(server, first);
		expect(server.getMap<Y.Map<unknown>>('gesprekken').get(id)!.get('notes')!.toString()).toBe(
			'Later getypt. Eerste indruk.'
		);
	});
});

describe('validateBoardUpdate refuses updates that break the model', () => {
	it('an unknown top-level type, or a list where a map belongs', () => {
		const { refused } = setup();
		refused((d) => d.getMap('geheim').set('x', 1), /unknown top-level type "geheim"/);
		refused((d) => d.getText('notes').insert(0, 'hallo'), /unknown top-level type/);
		refused((d) => d.getArray('pins').insert(0, [1]), /list content in the map pins/);
	});

	it('an entity that is not a map, or has an unknown or missing field', () => {
		const { refused } = setup();
		refused((d) => d.getMap('notities').set('n1', 'tekst'), /a plain value where notities\.n1/);
		/** A notitie's map with every field the layout asks for. */
		const notitie = () => {
			const m = new Y.Map();
			for (const [k, v] of Object.entries({ text: 'x', lon: 5, lat: 51, createdAt: '2024-01-01' }))
				m.set(k, v);
			return m;
		};
		refused((d) => {
			const m = notitie();
			m.set('bsn', '123456789');
			d.getMap('notities').set('n1', m);
		}, /unknown field "bsn"/);
		refused((d) => {
			const m = new Y.Map();
			m.set('text', 'x');
			d.getMap('notities').set('n1', m);
		}, /without required field "lon"/);
		// A required field's only value, deleted again in the same update.
		refused((d) => {
			const m = notitie();
			d.getMap('notities').set('n2', m);
			m.delete('lon');
		}, /without required field "lon"/);
	});

	it('wrong field types on an existing entity (resolved in the live document)', () => {
		const { send, refused } = setup();
		let id = '';
		send((d) => (id = addGesprek(d, gesprek).id));
		refused((d) => gesprekFields(d, id).set('round', 'twee'), /invalid value at .*\.round/);
		refused((d) => gesprekFields(d, id).set('outcome', 'thuis'), /invalid value at .*\.outcome/);
		refused((d) => gesprekFields(d, id).set('date', '2024-02-30'), /\.date/);
		refused((d) => gesprekFields(d, id).set('notes', 'platte tekst'), /a plain value where/);
		refused((d) => gesprekFields(d, id).set('themeIds', new Y.Map()), /wrong type at .*themeIds/);
		refused((d) => gesprekFields(d, id).set('x', 1), /unknown field "x"/);
		refused(
			(d) => (gesprekFields(d, id).get('themeIds') as Y.Array<unknown>).push([42]),
			/invalid value at/
		);
		refused(
			(d) =>
				(gesprekFields(d, id).get('followUps') as Y.Array<Y.Map<unknown>>)
					.get(0)
					.set('status', 'done'),
			/\.status/
		);
		refused(
			(d) => (gesprekFields(d, id).get('notes') as Y.Text).format(0, 3, { bold: true }),
			/unsupported content/
		);
		refused(
			(d) => (gesprekFields(d, id).get('notes') as Y.Text).insertEmbed(0, { img: 1 }),
			/unsupported content|embedded/
		);
	});

	it('oversized values, lists and text', () => {
		const { send, refused } = setup();
		refused(
			(d) =>
				addPin(d, { kind: 'gesprek', title: 'x', lon: 5, lat: 51 }) &&
				d.getMap<Y.Map<unknown>>('pins').forEach((p) => p.set('title', 'x'.repeat(20_000))),
			/invalid value at .*title/
		);
		let id = '';
		send((d) => (id = addGesprek(d, gesprek).id));
		refused(
			(d) => (gesprekFields(d, id).get('notes') as Y.Text).insert(0, 'x'.repeat(50_001)),
			/longer than 50000/
		);
		refused(
			(d) =>
				(gesprekFields(d, id).get('talents') as Y.Array<string>).push(
					Array.from({ length: 201 }, (_, i) => `talent ${i}`)
				),
			/longer than 200/
		);
		expect(() => validateBoardUpdate(new Uint8Array(5 * 1024 * 1024), new Y.Doc())).toThrow(
			/update too large/
		);
	});

	it('deleting a field of an entity, but not the whole entity', () => {
		const { send, refused } = setup();
		let id = '';
		send((d) => (id = addGesprek(d, gesprek).id));
		refused((d) => gesprekFields(d, id).delete('date'), /deletes the field .*\.date/);
		refused((d) => gesprekFields(d, id).delete('notes'), /deletes the field .*\.notes/);
		send((d) => removeGesprek(d, id));
	});
});
