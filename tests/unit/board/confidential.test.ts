import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
	BoardInputError,
	addGesprek,
	createUndoManager,
	getGesprek,
	insertNotes,
	localOrigin,
	type NewGesprek
} from '../../../src/lib/board';
import {
	addConfidentialGesprek,
	deleteOrgNotes,
	getOrgNotes,
	insertOrgNotes,
	markConfidential,
	removeOrgNotes,
	unmarkConfidential
} from '../../../src/lib/board/org-notes';
import { UpdateRefusal } from '../../../src/lib/server/sync/hooks';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';
import { ORG_NOTES_LAYOUT } from '../../../src/lib/board/layout';
import { link } from '../../support/ydocs';

const ORG_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const ORG_B = '0b0b0b0b-0000-4000-8000-00000000000b';
const SECRET = 'Zoon zit in de schuldhulp, niet doorvertellen';

const input: NewGesprek = {
	addressId: 'adres-1',
	date: '2026-11-20',
	heldBy: 'Fatma',
	outcome: 'gesproken',
	notes: SECRET
};

/** Whether the encoded document (what a new client or the stored log receives) holds `text`. */
function encodes(doc: Y.Doc, text: string): boolean {
	return Buffer.from(Y.encodeStateAsUpdate(doc)).includes(Buffer.from(text));
}

describe('marking a gesprek confidential', () => {
	it('moves the notes to the organisation document and leaves no trace of them in the shared one', () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const g = addGesprek(doc, input);
		expect(encodes(doc, SECRET)).toBe(true);

		const marked = markConfidential(doc, orgDoc, g.id, ORG_A);

		expect(marked.confidential).toBe(ORG_A);
		expect(marked.notes).toBe('');
		expect(getOrgNotes(orgDoc, g.id)).toBe(SECRET);
		// Yjs garbage-collects the deleted text: the shared document's state no longer holds it.
		expect(encodes(doc, SECRET)).toBe(false);
		expect(encodes(orgDoc, SECRET)).toBe(true);
	});

	it('a colleague of another organisation receives the marker, never the text', () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const other = new Y.Doc();
		link(doc, other);
		const g = addConfidentialGesprek(doc, orgDoc, ORG_A, input);
		expect(getGesprek(other, g.id)).toMatchObject({ confidential: ORG_A, notes: '' });
		expect(encodes(other, SECRET)).toBe(false);
		expect(getOrgNotes(orgDoc, g.id)).toBe(SECRET);
	});

	it('keeps typing going to the organisation document and refuses the shared notes', () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const g = addConfidentialGesprek(doc, orgDoc, ORG_A, { ...input, notes: '' });
		insertOrgNotes(doc, orgDoc, g.id, 0, 'geheim');
		deleteOrgNotes(orgDoc, g.id, 0, 1);
		expect(getOrgNotes(orgDoc, g.id)).toBe('eheim');
		expect(() => insertNotes(doc, g.id, 0, 'lek')).toThrow(BoardInputError);
		expect(() => addGesprek(doc, { ...input, confidential: ORG_A })).toThrow(BoardInputError);
	});

	it('appends to notes already in the organisation document and refuses another organisation', () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const g = addGesprek(doc, { ...input, notes: 'tweede' });
		insertOrgNotes(doc, orgDoc, g.id, 0, 'eerste');
		markConfidential(doc, orgDoc, g.id, ORG_A);
		expect(getOrgNotes(orgDoc, g.id)).toBe('eerste\ntweede');
		expect(() => markConfidential(doc, new Y.Doc(), g.id, ORG_B)).toThrow(BoardInputError);
		expect(() => markConfidential(doc, orgDoc, g.id, 'not-a-uuid')).toThrow(BoardInputError);
	});

	it('unmarking moves the text back and empties the organisation entry', () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const g = addConfidentialGesprek(doc, orgDoc, ORG_A, input);
		const back = unmarkConfidential(doc, orgDoc, g.id);
		expect(back).toMatchObject({ confidential: null, notes: SECRET });
		expect(getOrgNotes(orgDoc, g.id)).toBe('');
		expect(encodes(orgDoc, SECRET)).toBe(false);
	});

	it('removing the notes with their gesprek leaves no text in the organisation document', () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const g = addConfidentialGesprek(doc, orgDoc, ORG_A, input);
		expect(removeOrgNotes(orgDoc, g.id)).toBe(true);
		expect(removeOrgNotes(orgDoc, g.id)).toBe(false);
		expect(encodes(orgDoc, SECRET)).toBe(false);
	});

	it('undo cannot bring moved text back into the shared document', async () => {
		const doc = new Y.Doc();
		const orgDoc = new Y.Doc();
		const undo = createUndoManager(doc, { captureTimeout: 0 });
		const g = addGesprek(doc, { ...input, notes: '' });
		insertNotes(doc, g.id, 0, SECRET);
		doc.transact(() => {
			const notes = doc.getMap<Y.Map<Y.Text>>('gesprekken').get(g.id)!.get('notes')!;
			notes.delete(0, 5);
		}, localOrigin(doc));
		markConfidential(doc, orgDoc, g.id, ORG_A);
		await Promise.resolve();
		expect(undo.canUndo()).toBe(false);
		undo.undo();
		expect(getGesprek(doc, g.id)?.confidential).toBe(ORG_A);
		expect(encodes(doc, SECRET.slice(5))).toBe(false);
	});
});

describe('the server refuses confidential text in the shared document', () => {
	function serverWith(fn: (doc: Y.Doc) => void) {
		const server = new Y.Doc();
		const client = new Y.Doc();
		link(client, server);
		fn(client);
		return { server, client };
	}
	function update(doc: Y.Doc, fn: () => void): Uint8Array {
		const updates: Uint8Array[] = [];
		const onUpdate = (u: Uint8Array) => updates.push(u);
		doc.on('update', onUpdate);
		fn();
		doc.off('update', onUpdate);
		return Y.mergeUpdates(updates);
	}

	it('refuses text typed into the shared notes of a confidential gesprek (an old undo, say)', () => {
		let id = '';
		const { server } = serverWith((d) => {
			id = addConfidentialGesprek(d, new Y.Doc(), ORG_A, input).id;
		});
		// A device that did not hear of the marker writes into the shared notes.
		const fork = new Y.Doc();
		Y.applyUpdate(fork, Y.encodeStateAsUpdate(server));
		const u = update(fork, () =>
			(fork.getMap<Y.Map<Y.Text>>('gesprekken').get(id)!.get('notes') as Y.Text).insert(0, 'x')
		);
		expect(() => validateBoardUpdate(u, server)).toThrow(UpdateRefusal);
		expect(() => validateBoardUpdate(u, server)).toThrow(/confidential/);
	});

	it('refuses a new gesprek that is confidential and has shared notes', () => {
		const server = new Y.Doc();
		const fork = new Y.Doc();
		const u = update(fork, () => {
			const g = addGesprek(fork, input);
			fork.getMap<Y.Map<unknown>>('gesprekken').get(g.id)!.set('confidential', ORG_A);
		});
		expect(() => validateBoardUpdate(u, server)).toThrow(/confidential/);
	});

	it('accepts a new gesprek with shared notes from a client that knows no marker, quietly', () => {
		// Written as clients from before the marker did: no `confidential` field at all.
		const fork = new Y.Doc();
		const u = update(fork, () => {
			const g = new Y.Map<unknown>();
			const consent = new Y.Map<unknown>();
			for (const [k, v] of Object.entries({ recordedBy: null, date: null, withdrawn: false }))
				consent.set(k, v);
			const fields: Record<string, unknown> = {
				addressId: 'adres-1',
				date: '2024-03-12',
				round: 1,
				heldBy: 'Fatma',
				outcome: 'gesproken',
				themeIds: new Y.Array(),
				talents: new Y.Array(),
				wishes: new Y.Array(),
				worries: new Y.Array(),
				followUps: new Y.Array(),
				consent,
				notes: new Y.Text('Eerste indruk.'),
				createdAt: '2024-03-12T10:00:00.000Z'
			};
			for (const [k, v] of Object.entries(fields)) g.set(k, v);
			fork.getMap('gesprekken').set('oud-1', g);
		});
		// The check does not read the new gesprek's map before it is in a document (Yjs warns then).
		const warn = vi.spyOn(console, 'warn');
		try {
			expect(() => validateBoardUpdate(u, new Y.Doc())).not.toThrow();
			expect(warn).not.toHaveBeenCalled();
		} finally {
			warn.mockRestore();
		}
	});

	it('accepts marking, typing elsewhere and unmarking (text back with the marker cleared)', () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		const orgDoc = new Y.Doc();
		const send = (fn: () => void) => {
			const u = update(client, fn);
			validateBoardUpdate(u, server);
			Y.applyUpdate(server, u);
		};
		let id = '';
		send(() => (id = addGesprek(client, input).id));
		send(() => markConfidential(client, orgDoc, id, ORG_A));
		send(() => unmarkConfidential(client, orgDoc, id));
		expect(getGesprek(server, id)).toMatchObject({ confidential: null, notes: SECRET });
	});

	it('checks an organisation document against its own layout: notes only, as text', () => {
		const server = new Y.Doc();
		const good = new Y.Doc();
		const u = update(good, () => insertOrgNotes(new Y.Doc(), good, 'gesprek-1', 0, SECRET));
		expect(() => validateBoardUpdate(u, server, ORG_NOTES_LAYOUT)).not.toThrow();
		// A board's content does not belong in an organisation document, nor plain values in notes.
		const bad = new Y.Doc();
		const pins = update(bad, () => bad.getMap('pins').set('p', new Y.Map()));
		expect(() => validateBoardUpdate(pins, server, ORG_NOTES_LAYOUT)).toThrow(/unknown top-level/);
		const plain = update(bad, () => bad.getMap('notes').set('g', 'text as a value'));
		expect(() => validateBoardUpdate(plain, server, ORG_NOTES_LAYOUT)).toThrow(UpdateRefusal);
		const long = update(bad, () => bad.getMap('notes').set('h', new Y.Text('x'.repeat(50_001))));
		expect(() => validateBoardUpdate(long, server, ORG_NOTES_LAYOUT)).toThrow(/longer/);
	});
});
