import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addInitiatief,
	createUndoManager,
	deleteDescription,
	getInitiatief,
	initiatiefDescription,
	initiatievenMap,
	insertDescription,
	listInitiatieven,
	updateInitiatief
} from '$lib/board';
import { LIMITS } from '$lib/board/layout';
import { computeProjection } from '$lib/privacy/projection';
import { approveAll } from '../../support/public-board';
import { UpdateRefusal } from '$lib/server/sync/hooks';
import { validateBoardUpdate } from '$lib/server/sync/validate';

/**
 * Issue #9, "Y.Text where two people may type at once": an initiatief's description is a Y.Text,
 * so two people typing in it at once both keep their text. Boards stored before hold it as a
 * plain string, which still reads, validates, and becomes a Y.Text on its first edit.
 */

/** Two documents that exchange what each lacks (`sync`), as two browsers via the server. */
function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const sync = () => {
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
	};
	return { a, b, sync };
}

/** An initiatief as boards stored before the change hold it: the description a plain string. */
function legacyInitiatief(doc: Y.Doc, id: string, description: string): void {
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		m.set('title', 'Koffieochtend');
		m.set('description', description);
		m.set('place', { lon: 5.87, lat: 51.83 });
		m.set('status', 'idee');
		m.set('themeIds', new Y.Array<string>());
		m.set('addressIds', new Y.Array<string>());
		m.set('startDate', null);
		m.set('publicContact', '');
		m.set('internal', false);
		m.set('createdAt', '2025-01-01T10:00:00.000Z');
		initiatievenMap(doc).set(id, m);
	});
}

/** The update `fn` makes on `doc`. */
function capture(doc: Y.Doc, fn: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const onUpdate = (u: Uint8Array) => updates.push(u);
	doc.on('update', onUpdate);
	try {
		fn();
	} finally {
		doc.off('update', onUpdate);
	}
	return Y.mergeUpdates(updates);
}

describe('an initiatief description typed by two people at once', () => {
	it('keeps both texts, in both documents, whatever the sync order', () => {
		const { a, b, sync } = pair();
		const { id } = addInitiatief(a, {
			title: 'Koffie',
			description: 'in het buurthuis',
			place: { lon: 5.87, lat: 51.83 }
		});
		sync();
		expect(initiatievenMap(a).get(id)!.get('description')).toBeInstanceOf(Y.Text);

		// A types at the start while B types at the end, neither has seen the other's text.
		insertDescription(a, id, 0, 'Koffie ');
		insertDescription(b, id, 'in het buurthuis'.length, ' op zaterdag');
		expect(getInitiatief(a, id)!.description).toBe('Koffie in het buurthuis');
		expect(getInitiatief(b, id)!.description).toBe('in het buurthuis op zaterdag');
		sync();
		for (const doc of [a, b]) {
			expect(getInitiatief(doc, id)!.description).toBe('Koffie in het buurthuis op zaterdag');
		}

		// A deletes a word while B types elsewhere: both land.
		deleteDescription(a, id, 'Koffie '.length, 'in het '.length);
		insertDescription(b, id, 0, 'Gratis ');
		sync();
		for (const doc of [a, b]) {
			expect(getInitiatief(doc, id)!.description).toBe('Gratis Koffie buurthuis op zaterdag');
		}
	});

	it('a patch from code (restore, tools) edits the text in place, keeping others’ typing', () => {
		const { a, b, sync } = pair();
		const { id } = addInitiatief(a, {
			title: 'Koffie',
			description: 'Koffie in het buurthuis',
			place: { lon: 5.87, lat: 51.83 }
		});
		sync();
		const text = initiatievenMap(a).get(id)!.get('description');
		updateInitiatief(a, id, { description: 'Thee in het buurthuis' });
		insertDescription(b, id, 'Koffie in het buurthuis'.length, '!');
		sync();
		// Still the same Y.Text (replaced in place), and B's typing is kept.
		expect(initiatievenMap(a).get(id)!.get('description')).toBe(text);
		for (const doc of [a, b])
			expect(getInitiatief(doc, id)!.description).toBe('Thee in het buurthuis!');
	});

	it('refuses typing beyond the limit, and undo takes back one’s own typing only', () => {
		const { a, b, sync } = pair();
		const { id } = addInitiatief(a, { title: 'Koffie', place: { lon: 5.87, lat: 51.83 } });
		sync();
		expect(() => insertDescription(a, id, 0, 'x'.repeat(LIMITS.description + 1))).toThrow(
			/at most 5000 characters/
		);
		const undo = createUndoManager(a, { captureTimeout: 0 });
		insertDescription(a, id, 0, 'Van A.');
		sync();
		insertDescription(b, id, 6, ' Van B.');
		sync();
		undo.undo();
		sync();
		for (const doc of [a, b]) expect(getInitiatief(doc, id)!.description).toBe(' Van B.');
		undo.destroy();
	});
});

describe('a description stored as a plain string (boards from before)', () => {
	it('reads as the string everywhere, and becomes a Y.Text on its first edit', () => {
		const { a, b, sync } = pair();
		legacyInitiatief(a, 'oud', 'Moestuin achter de school');
		sync();
		for (const doc of [a, b]) {
			expect(getInitiatief(doc, 'oud')!.description).toBe('Moestuin achter de school');
			expect(listInitiatieven(doc).map((i) => i.description)).toEqual([
				'Moestuin achter de school'
			]);
		}
		expect(
			computeProjection(a, [], { k: 5, streets: null }, approveAll(a)).initiatives[0]!.description
		).toBe('Moestuin achter de school');

		// The first edit upgrades it (one transaction) and types into it.
		let transactions = 0;
		const count = () => transactions++;
		a.on('afterTransaction', count);
		insertDescription(a, 'oud', 0, 'Grote ');
		a.off('afterTransaction', count);
		expect(transactions).toBe(1);
		const text = initiatievenMap(a).get('oud')!.get('description');
		expect(text).toBeInstanceOf(Y.Text);
		expect(initiatiefDescription(a, 'oud')).toBe(text);
		sync();
		expect(initiatievenMap(b).get('oud')!.get('description')).toBeInstanceOf(Y.Text);
		for (const doc of [a, b]) {
			expect(getInitiatief(doc, 'oud')!.description).toBe('Grote Moestuin achter de school');
		}

		// A patch upgrades a legacy string as well.
		legacyInitiatief(b, 'ouder', 'Straatfeest');
		updateInitiatief(b, 'ouder', { description: 'Straatfeest in juni' });
		expect(initiatievenMap(b).get('ouder')!.get('description')).toBeInstanceOf(Y.Text);
		expect(getInitiatief(b, 'ouder')!.description).toBe('Straatfeest in juni');
	});
});

describe('the sync server’s check of a description', () => {
	/** A server document and a client; every client update goes through the check, then applies. */
	function server() {
		const srv = new Y.Doc();
		const client = new Y.Doc();
		const send = (fn: () => void) => {
			const update = capture(client, fn);
			validateBoardUpdate(update, srv);
			Y.applyUpdate(srv, update);
		};
		const refused = (fn: (doc: Y.Doc) => void, reason: RegExp) => {
			const fork = new Y.Doc();
			Y.applyUpdate(fork, Y.encodeStateAsUpdate(srv));
			const update = capture(fork, () => fn(fork));
			expect(() => validateBoardUpdate(update, srv)).toThrow(UpdateRefusal);
			expect(() => validateBoardUpdate(update, srv)).toThrow(reason);
		};
		return { srv, client, send, refused };
	}
	const fields = (doc: Y.Doc, id: string) => initiatievenMap(doc).get(id)!;

	it('accepts the Y.Text, the legacy string, its upgrade and typing into it', () => {
		const { srv, client, send } = server();
		let id = '';
		send(() => (id = addInitiatief(client, { title: 'Nieuw', place: { lon: 5.8, lat: 51.8 } }).id));
		send(() => insertDescription(client, id, 0, 'Samen koken'));
		send(() => deleteDescription(client, id, 0, 6));
		send(() => updateInitiatief(client, id, { description: 'Samen eten' }));
		send(() => legacyInitiatief(client, 'oud', 'Moestuin'));
		send(() => insertDescription(client, 'oud', 8, ' achter de school'));
		expect(getInitiatief(srv, id)!.description).toBe('Samen eten');
		expect(getInitiatief(srv, 'oud')!.description).toBe('Moestuin achter de school');
		expect(fields(srv, 'oud').get('description')).toBeInstanceOf(Y.Text);

		// Undoing the first edit of an old description gives back its plain string: accepted too.
		send(() => legacyInitiatief(client, 'oudst', 'Buurtbus'));
		const undo = createUndoManager(client, { captureTimeout: 0 });
		send(() => insertDescription(client, 'oudst', 0, 'Gratis '));
		send(() => undo.undo());
		expect(fields(srv, 'oudst').get('description')).toBe('Buurtbus');
		send(() => undo.redo());
		expect(getInitiatief(srv, 'oudst')!.description).toBe('Gratis Buurtbus');
		undo.destroy();
	});

	it('refuses a too long text or string, other content, and a deleted description', () => {
		const { client, send, refused } = server();
		let id = '';
		send(() => (id = addInitiatief(client, { title: 'Nieuw', place: { lon: 5.8, lat: 51.8 } }).id));
		send(() => legacyInitiatief(client, 'oud', 'Moestuin'));
		const tooLong = 'x'.repeat(LIMITS.description + 1);
		refused(
			(d) => (fields(d, id).get('description') as Y.Text).insert(0, tooLong),
			/text .* longer than 5000/
		);
		refused((d) => fields(d, id).set('description', new Y.Text(tooLong)), /longer than 5000/);
		refused((d) => fields(d, 'oud').set('description', tooLong), /invalid value at .*description/);
		refused((d) => fields(d, 'oud').set('description', 42), /invalid value at .*description/);
		refused((d) => fields(d, id).set('description', new Y.Array()), /wrong type at .*description/);
		refused(
			(d) => (fields(d, id).get('description') as Y.Text).insertEmbed(0, { img: 1 }),
			/unsupported content/
		);
		refused((d) => fields(d, id).delete('description'), /deletes the field .*\.description/);
		// A plain value is a legacy form of the description only, not of any other text field.
		refused(
			(d) =>
				d.transact(() => {
					const m = new Y.Map<unknown>();
					initiatievenMap(d).set('x', m);
					m.set('description', new Y.Map());
				}),
			/wrong type at .*description/
		);
	});
});
