import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createUndoManager, insertNotes } from '../../../src/lib/board';
import { Board } from '../../../src/lib/board/content.svelte';
import {
	canRestore,
	restoreChange,
	restoreDeleted,
	stillDeleted,
	type HistoryEntry
} from '../../../src/lib/board/restore';
import { extractBoardChanges } from '../../../src/lib/server/history/extract';
import { link } from '../../support/ydocs';

/**
 * Restoring from the item history, for every kind: the changes are taken from the documents'
 * transactions as the sync server records them; a deleted initiatief, notitie or gesprek comes back
 * under its own id with its last fields, in the other document too, and undo takes it back.
 */

/** The history entries of `doc`'s transactions, newest first (as the endpoint lists them). */
function history(doc: Y.Doc): HistoryEntry[] {
	const entries: HistoryEntry[] = [];
	doc.on('afterTransaction', (t: Y.Transaction) => {
		for (const c of extractBoardChanges(t))
			entries.unshift({
				...c,
				id: String(entries.length + 1),
				at: new Date().toISOString(),
				actorName: 'Anna',
				organisationName: null,
				confidential: false
			});
	});
	return entries;
}

function pair() {
	const docA = new Y.Doc();
	const docB = new Y.Doc();
	const unlink = link(docA, docB);
	const a = new Board(docA);
	const b = new Board(docB);
	const entries = history(docA);
	const undo = createUndoManager(docA, { captureTimeout: 0 });
	return { a, b, entries, undo, done: () => (unlink(), a.destroy(), b.destroy(), undo.destroy()) };
}

const deletion = (entries: HistoryEntry[], id: string) =>
	entries.find((e) => e.op === 'delete' && e.entityId === id)!;

describe('restoring a deleted item', () => {
	it('brings a deleted initiatief back under its own id, with its fields, for everyone; undo removes it again', () => {
		const { a, b, entries, undo, done } = pair();
		const i = a.initiatieven.add({
			title: 'Straatfeest',
			description: 'In juni',
			place: { lon: 5.87, lat: 51.83 },
			status: 'loopt',
			themeIds: ['ontmoeting'],
			addressIds: ['adres-1', 'adres-2'],
			publicContact: 'buurthuis'
		});
		a.initiatieven.patch(i.id, { title: 'Zomerfeest' });
		const before = a.initiatieven.get(i.id)!;
		b.initiatieven.remove(i.id);
		expect(a.initiatieven.get(i.id)).toBeNull();

		// B deleted it; the history (as the server records it) holds its last fields.
		const entry: HistoryEntry = {
			...deletion(entries, i.id),
			actorName: 'Bram'
		};
		expect(stillDeleted(a, [entry])).toEqual([entry]);
		undo.clear();
		expect(restoreDeleted(a, entry)).toBe(i.id);
		const back = b.initiatieven.get(i.id)!;
		expect({ ...back, createdAt: '' }).toEqual({ ...before, createdAt: '' });
		// It exists again: no longer listed, and a second restore is refused.
		expect(stillDeleted(b, [entry])).toEqual([]);
		expect(() => restoreDeleted(b, entry)).toThrow(/restored already/);

		undo.undo();
		expect(b.initiatieven.get(i.id)).toBeNull();
		expect(stillDeleted(b, [entry])).toEqual([entry]);
		done();
	});

	it('brings a deleted notitie and gesprek back; the newest deletion per item is listed once', () => {
		const { a, b, entries, undo, done } = pair();
		const n = a.notities.add({ text: 'Bankje kapot', lon: 5.8, lat: 51.8 });
		const g = a.gesprekken.add({
			addressId: 'adres-3',
			date: '2026-11-20',
			heldBy: 'Anna',
			outcome: 'gesproken',
			talents: ['koken'],
			notes: 'blijft niet bewaard'
		});
		a.notities.remove(n.id);
		a.gesprekken.remove(g.id);
		undo.clear();
		restoreDeleted(a, deletion(entries, n.id));
		expect(b.notities.get(n.id)?.text).toBe('Bankje kapot');
		a.notities.remove(n.id);
		// Deleted twice: listed once, with the newest deletion.
		const listed = stillDeleted(
			a,
			entries.filter((e) => e.op === 'delete')
		);
		expect(listed.map((e) => e.entityId).sort()).toEqual([g.id, n.id].sort());
		expect(listed.find((e) => e.entityId === n.id)).toBe(entries.find((e) => e.op === 'delete'));

		restoreDeleted(a, deletion(entries, g.id));
		const back = b.gesprekken.get(g.id)!;
		expect([back.addressId, back.heldBy, back.talents, back.notes]).toEqual([
			'adres-3',
			'Anna',
			['koken'],
			''
		]);
		done();
	});
});

describe('restoring a gesprek deleted while its form is open (QA session "kerngroep")', () => {
	it('brings back the notes as this tab showed them and a partly filled consent, in one undo step', () => {
		const { a, b, undo, done } = pair();
		// B's history: B deletes it (A's editor has it open and types on).
		const entries = history(b.doc);
		const g = a.gesprekken.add({
			addressId: 'adres-4',
			date: '2026-11-21',
			heldBy: 'Eddy',
			outcome: 'gesproken',
			notes: 'Eerste zin van een collega. '
		});
		a.gesprekken.patchConsent(g.id, { recordedBy: 'Eddy' });
		insertNotes(a.doc, g.id, 28, 'Eddy typt nog door');
		// A's form shows it (the panel reads it after every change).
		expect(a.gesprekken.get(g.id)?.notes).toBe('Eerste zin van een collega. Eddy typt nog door');
		b.gesprekken.remove(g.id);
		expect(a.gesprekken.get(g.id)).toBeNull();
		undo.clear();

		restoreDeleted(a, deletion(entries, g.id));
		for (const board of [a, b]) {
			const back = board.gesprekken.get(g.id)!;
			expect(back.notes).toBe('Eerste zin van een collega. Eddy typt nog door');
			expect(back.consent).toEqual({ recordedBy: 'Eddy', date: null, withdrawn: false });
			expect(back.heldBy).toBe('Eddy');
		}
		// One step: undo deletes it again, consent and notes with it.
		undo.undo();
		expect(b.gesprekken.get(g.id)).toBeNull();
		done();
	});

	it('puts no confidential notes into the shared document', () => {
		const { a, b, done } = pair();
		const entries = history(b.doc);
		const g = a.gesprekken.add({
			addressId: 'adres-5',
			date: '2026-11-21',
			heldBy: 'Els',
			outcome: 'gesproken'
		});
		a.doc
			.getMap<Y.Map<unknown>>('gesprekken')
			.get(g.id)!
			.set('confidential', '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
		expect(a.gesprekken.get(g.id)?.confidential).toBe('6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
		b.gesprekken.remove(g.id);
		expect(a.gesprekken.departed(g.id)?.confidential).toBe('6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
		restoreDeleted(a, deletion(entries, g.id));
		expect(b.gesprekken.get(g.id)?.notes).toBe('');
		done();
	});
});

describe('restoring a previous value', () => {
	it('restores a thema field and an initiatief list item as a new change, undoable', () => {
		const { a, b, entries, undo, done } = pair();
		const t = a.themas.add({ name: 'Eenzaamheid', colour: '#112233' });
		a.themas.rename(t.id, 'Alleen');
		const i = a.initiatieven.add({ title: 'Koffie', place: { lon: 5.8, lat: 51.8 } });
		a.initiatieven.addItem(i.id, 'addressIds', 'adres-9');
		undo.clear();

		const rename = entries.find((e) => e.kind === 'thema' && e.field === 'name')!;
		expect(canRestore(rename)).toBe(true);
		restoreChange(a, rename);
		expect(b.themas.get(t.id)?.name).toBe('Eenzaamheid');
		const added = entries.find((e) => e.field === 'addressIds' && e.op === 'add')!;
		restoreChange(a, added);
		expect(b.initiatieven.get(i.id)?.addressIds).toEqual([]);

		undo.undo();
		expect(b.initiatieven.get(i.id)?.addressIds).toEqual(['adres-9']);
		undo.undo();
		expect(b.themas.get(t.id)?.name).toBe('Alleen');
		done();
	});
});
