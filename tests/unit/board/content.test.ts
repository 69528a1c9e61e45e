import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	BoardInputError,
	DEFAULT_THEMAS,
	OUTCOME_LABELS,
	addFollowUp,
	addGesprek,
	addInitiatief,
	addNotitie,
	addThema,
	addToGesprekList,
	archiveThema,
	createUndoManager,
	ensureDefaultThemas,
	getGesprek,
	getInitiatief,
	getThema,
	insertNotes,
	listGesprekken,
	listInitiatieven,
	listNotities,
	listThemas,
	mergeThema,
	recolourThema,
	renameThema,
	setConsent,
	updateFollowUp,
	updateGesprek,
	updateInitiatief,
	updateNotitie,
	type NewGesprek
} from '../../../src/lib/board';
import { link, sync } from '../../support/ydocs';

const gesprek: NewGesprek = {
	addressId: 'adres-1',
	date: '2024-03-12',
	heldBy: 'Fatma (Woonwaarts)',
	outcome: 'gesproken'
};

function inputError(fn: () => unknown): BoardInputError {
	try {
		fn();
	} catch (err) {
		if (err instanceof BoardInputError) return err;
		throw err;
	}
	throw new Error('expected a BoardInputError');
}

describe('gesprek commands', () => {
	it('adds a gesprek with defaults, lists, follow-ups, consent and notes', () => {
		const doc = new Y.Doc();
		const g = addGesprek(doc, {
			...gesprek,
			round: 2,
			themeIds: ['groen'],
			talents: [' tuinieren '],
			followUps: [{ what: 'Voortuin samen opknappen', who: 'Ahmed', due: '2024-04-01' }],
			consent: { recordedBy: 'Fatma', date: '2024-03-12' },
			notes: 'Woont hier 30 jaar.'
		});
		expect(g).toMatchObject({
			addressId: 'adres-1',
			round: 2,
			themeIds: ['groen'],
			talents: ['tuinieren'],
			wishes: [],
			consent: { recordedBy: 'Fatma', date: '2024-03-12', withdrawn: false },
			notes: 'Woont hier 30 jaar.'
		});
		expect(g.followUps).toEqual([
			{
				id: expect.any(String),
				what: 'Voortuin samen opknappen',
				who: 'Ahmed',
				due: '2024-04-01',
				status: 'open'
			}
		]);
		const f = addFollowUp(doc, g.id, { what: 'Bellen over koffieochtend' });
		expect(updateFollowUp(doc, g.id, f.id, { status: 'klaar' }).status).toBe('klaar');
		expect(
			setConsent(doc, g.id, { recordedBy: 'Fatma', date: '2024-05-01', withdrawn: true }).withdrawn
		).toBe(true);
		expect(listGesprekken(doc, { addressId: 'adres-1' })).toHaveLength(1);
		expect(listGesprekken(doc, { addressId: 'adres-2' })).toHaveLength(0);
		expect(OUTCOME_LABELS.en[g.outcome]).toBe('Spoken');
		expect(OUTCOME_LABELS.nl.later).toBe('Later terugkomen');
	});

	it.each([
		['a missing address', { ...gesprek, addressId: undefined }, 'addressId'],
		['an impossible date', { ...gesprek, date: '2023-02-29' }, 'date'],
		['a date in another format', { ...gesprek, date: '12-03-2024' }, 'date'],
		['round 0', { ...gesprek, round: 0 }, 'round'],
		['a fractional round', { ...gesprek, round: 1.5 }, 'round'],
		['an unknown outcome', { ...gesprek, outcome: 'thuis' }, 'outcome'],
		['an empty heldBy', { ...gesprek, heldBy: '  ' }, 'heldBy'],
		['an unknown field', { ...gesprek, health: 'x' }, ''],
		[
			'a bad follow-up status',
			{ ...gesprek, followUps: [{ what: 'x', status: 'done' }] },
			'followUps.0.status'
		],
		[
			'a bad follow-up due date',
			{ ...gesprek, followUps: [{ what: 'x', due: 'morgen' }] },
			'followUps.0.due'
		],
		['consent without date', { ...gesprek, consent: { recordedBy: 'F' } }, 'consent.date']
	])('refuses %s and writes nothing', (_label, input, field) => {
		const doc = new Y.Doc();
		let updates = 0;
		doc.on('update', () => updates++);
		const err = inputError(() => addGesprek(doc, input as NewGesprek));
		expect(err.field ?? '').toBe(field);
		expect(err.message).toMatch(/^Invalid gesprek: /);
		expect(updates).toBe(0);
	});

	it('refuses bad changes without writing', () => {
		const doc = new Y.Doc();
		const g = addGesprek(doc, gesprek);
		const before = Y.encodeStateVector(doc);
		expect(inputError(() => updateGesprek(doc, g.id, { date: '2024-13-01' })).field).toBe('date');
		expect(inputError(() => updateGesprek(doc, g.id, { outcome: 'x' as never })).field).toBe(
			'outcome'
		);
		expect(() => updateGesprek(doc, 'nope', { round: 2 })).toThrow(/No gesprek/);
		expect(inputError(() => addFollowUp(doc, g.id, { what: '' })).field).toBe('what');
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});

	it('merges concurrent edits of different fields and concurrent list adds', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const g = addGesprek(a, gesprek);
		sync(a, b);
		updateGesprek(a, g.id, { outcome: 'later' });
		updateGesprek(b, g.id, { round: 2, heldBy: 'Joost' });
		addToGesprekList(a, g.id, 'talents', 'koken');
		addToGesprekList(b, g.id, 'talents', 'klussen');
		addFollowUp(a, g.id, { what: 'a' });
		addFollowUp(b, g.id, { what: 'b' });
		sync(a, b);
		for (const doc of [a, b]) {
			const got = getGesprek(doc, g.id)!;
			expect(got).toMatchObject({ outcome: 'later', round: 2, heldBy: 'Joost' });
			expect([...got.talents].sort()).toEqual(['klussen', 'koken']);
			expect(got.followUps.map((f) => f.what).sort()).toEqual(['a', 'b']);
		}
	});

	it('keeps the text of two people typing in the same note', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const g = addGesprek(a, { ...gesprek, notes: 'Start.' });
		sync(a, b);
		insertNotes(a, g.id, 6, ' Anna typt hier.');
		insertNotes(b, g.id, 0, 'Bert typt vooraan. ');
		sync(a, b);
		const notes = getGesprek(a, g.id)!.notes;
		expect(notes).toBe(getGesprek(b, g.id)!.notes);
		expect(notes).toContain('Anna typt hier.');
		expect(notes).toContain('Bert typt vooraan.');
		expect(notes).toContain('Start.');
	});
});

describe('thema commands', () => {
	it('seeds the default set once, also when two clients seed at the same time', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		expect(ensureDefaultThemas(a)).toBe(true);
		expect(ensureDefaultThemas(b)).toBe(true);
		expect(ensureDefaultThemas(a)).toBe(false);
		sync(a, b);
		expect(listThemas(a).map((t) => t.name)).toEqual(listThemas(b).map((t) => t.name));
		expect(listThemas(a)).toHaveLength(DEFAULT_THEMAS.length);
		expect(listThemas(a).map((t) => t.name)).toContain('contact met buren');
	});

	it('adds, renames, recolours and archives; refuses bad input', () => {
		const doc = new Y.Doc();
		const t = addThema(doc, { name: 'Speelplekken', colour: '#AABBCC' });
		expect(t.colour).toBe('#aabbcc');
		expect(renameThema(doc, t.id, ' Spelen ').name).toBe('Spelen');
		expect(recolourThema(doc, t.id, '#112233').colour).toBe('#112233');
		expect(inputError(() => recolourThema(doc, t.id, 'red')).message).toMatch(/#rrggbb/);
		expect(inputError(() => addThema(doc, { name: '', colour: '#000000' })).field).toBe('name');
		archiveThema(doc, t.id);
		expect(listThemas(doc)).toEqual([]);
		expect(listThemas(doc, { includeArchived: true })[0]?.archived).toBe(true);
	});

	it('merges a theme: every gesprek and initiatief is re-linked, none doubled', () => {
		const doc = new Y.Doc();
		ensureDefaultThemas(doc);
		const g1 = addGesprek(doc, { ...gesprek, themeIds: ['eenzaamheid', 'groen'] });
		const g2 = addGesprek(doc, { ...gesprek, themeIds: ['eenzaamheid', 'contact-met-buren'] });
		const g3 = addGesprek(doc, { ...gesprek, themeIds: ['veiligheid'] });
		const i1 = addInitiatief(doc, {
			title: 'Koffieochtend',
			place: { addressId: 'adres-1' },
			themeIds: ['eenzaamheid']
		});
		mergeThema(doc, 'eenzaamheid', 'contact-met-buren');
		expect(getGesprek(doc, g1.id)!.themeIds.sort()).toEqual(['contact-met-buren', 'groen']);
		expect(getGesprek(doc, g2.id)!.themeIds).toEqual(['contact-met-buren']);
		expect(getGesprek(doc, g3.id)!.themeIds).toEqual(['veiligheid']);
		expect(getInitiatief(doc, i1.id)!.themeIds).toEqual(['contact-met-buren']);
		expect(getThema(doc, 'eenzaamheid')).toMatchObject({
			archived: true,
			mergedInto: 'contact-met-buren'
		});
		expect(() => mergeThema(doc, 'groen', 'groen')).toThrow(BoardInputError);
	});

	it('keeps a link added offline to a theme that was merged meanwhile', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		ensureDefaultThemas(a);
		const g = addGesprek(a, gesprek);
		sync(a, b);
		mergeThema(a, 'overlast', 'veiligheid');
		addToGesprekList(b, g.id, 'themeIds', 'overlast');
		sync(a, b);
		expect(getGesprek(a, g.id)!.themeIds).toEqual(['veiligheid']);
	});
});

describe('initiatief and notitie commands', () => {
	it('creates an internal-flagged initiative, moves it, validates the place', () => {
		const doc = new Y.Doc();
		const i = addInitiatief(doc, { title: 'Buurtmoestuin', place: { lon: 5.87, lat: 51.83 } });
		expect(i).toMatchObject({ status: 'idee', internal: false, addressIds: [], startDate: null });
		expect(
			updateInitiatief(doc, i.id, { place: { lon: 5.871, lat: 51.831 }, status: 'loopt' })
		).toMatchObject({ place: { lon: 5.871, lat: 51.831 }, status: 'loopt' });
		expect(
			inputError(() => updateInitiatief(doc, i.id, { place: { lon: 500, lat: 1 } })).field
		).toMatch(/^place/);
		expect(inputError(() => updateInitiatief(doc, i.id, { status: 'bezig' as never })).field).toBe(
			'status'
		);
		expect(inputError(() => updateInitiatief(doc, i.id, { startDate: '2024-1-1' })).field).toBe(
			'startDate'
		);
		updateInitiatief(doc, i.id, { internal: true });
		expect(listInitiatieven(doc, { includeInternal: false })).toEqual([]);
	});

	it('adds and moves notes; refuses empty text', () => {
		const doc = new Y.Doc();
		const n = addNotitie(doc, { text: 'Veel jonge gezinnen hier', lon: 5.87, lat: 51.83 });
		updateNotitie(doc, n.id, { lon: 5.88 });
		expect(listNotities(doc)).toEqual([{ ...n, lon: 5.88 }]);
		expect(inputError(() => addNotitie(doc, { text: ' ', lon: 5, lat: 51 })).field).toBe('text');
	});
});

describe('undo per user', () => {
	it("undoes only one's own change while another doc's edits stay", () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const unlink = link(a, b);
		const g = addGesprek(a, gesprek);
		const undoA = createUndoManager(a);
		const undoB = createUndoManager(b);
		updateGesprek(a, g.id, { heldBy: 'Anna' });
		undoA.stopCapturing();
		updateGesprek(b, g.id, { outcome: 'later' });
		insertNotes(b, g.id, 0, 'Bert was hier.');
		undoB.stopCapturing();
		const i = addInitiatief(b, { title: 'Koffieochtend', place: { addressId: 'adres-1' } });

		undoA.undo();
		for (const doc of [a, b]) {
			const got = getGesprek(doc, g.id)!;
			expect(got.heldBy).toBe(gesprek.heldBy);
			expect(got.outcome).toBe('later');
			expect(got.notes).toBe('Bert was hier.');
			expect(getInitiatief(doc, i.id)).not.toBeNull();
		}
		expect(undoA.canUndo()).toBe(false);
		undoA.redo();
		expect(getGesprek(b, g.id)!.heldBy).toBe('Anna');

		undoB.undo();
		expect(getInitiatief(a, i.id)).toBeNull();
		expect(getGesprek(a, g.id)!.heldBy).toBe('Anna');
		unlink();
	});

	it('undoes a field changed right after creating the entity without removing the entity', async () => {
		const doc = new Y.Doc();
		const undo = createUndoManager(doc);
		const g = addGesprek(doc, gesprek);
		await Promise.resolve();
		updateGesprek(doc, g.id, { outcome: 'later' });
		undo.undo();
		expect(getGesprek(doc, g.id)?.outcome).toBe(gesprek.outcome);
		undo.undo();
		expect(getGesprek(doc, g.id)).toBeNull();
	});
});
