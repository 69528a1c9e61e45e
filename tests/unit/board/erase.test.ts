import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addFollowUp,
	addGesprek,
	addInitiatief,
	addPin,
	addToGesprekList,
	createUndoManager,
	deleteNotes,
	getGesprek,
	getInitiatief,
	insertNotes,
	listGesprekken,
	listPins,
	localOrigin,
	setConsent,
	updateFollowUp
} from '../../../src/lib/board';
import {
	REMOVED_NAME,
	eraseHousehold,
	forgetHistoryOnRemoteRemoval,
	purgePrivateContent
} from '../../../src/lib/board/erase';
import { link } from '../../support/ydocs';

/** Whether the binary state holds `text` as UTF-8 (how Yjs stores strings). */
function holds(doc: Y.Doc, text: string): boolean {
	return Buffer.from(Y.encodeStateAsUpdate(doc)).includes(Buffer.from(text, 'utf8'));
}

/** A household with personal data in every field, some of it edited over time. */
function seedHousehold(doc: Y.Doc, addressId: string, tag: string): string {
	const g = addGesprek(doc, {
		addressId,
		date: '2024-03-12',
		heldBy: `Heldby-${tag}`,
		outcome: 'gesproken',
		talents: [`Talent-${tag}`],
		wishes: [`Wish-${tag}`],
		worries: [`Worry-${tag}`],
		followUps: [{ what: `Followup-${tag}`, who: `Who-${tag}` }],
		consent: { recordedBy: `Recorder-${tag}`, date: '2024-03-12' },
		notes: `Notes-${tag}`
	});
	insertNotes(doc, g.id, 0, `Earlier-${tag} `);
	const followUpId = getGesprek(doc, g.id)!.followUps[0]!.id;
	updateFollowUp(doc, g.id, followUpId, { what: `Changed-${tag}` });
	addFollowUp(doc, g.id, { what: `Second-${tag}` });
	addToGesprekList(doc, g.id, 'talents', `More-${tag}`);
	addPin(doc, { kind: 'gesprek', title: `Pin-${tag}`, addressId, lon: 5, lat: 52 });
	return g.id;
}

const secrets = (tag: string) => [
	`Heldby-${tag}`,
	`Talent-${tag}`,
	`More-${tag}`,
	`Wish-${tag}`,
	`Worry-${tag}`,
	`Followup-${tag}`,
	`Changed-${tag}`,
	`Second-${tag}`,
	`Who-${tag}`,
	`Recorder-${tag}`,
	`Notes-${tag}`,
	`Earlier-${tag}`,
	`Pin-${tag}`
];

describe('eraseHousehold', () => {
	it('removes the household from the document and its encoded state, and leaves others', () => {
		const doc = new Y.Doc();
		const erased = seedHousehold(doc, 'adres-1', 'gone');
		const kept = seedHousehold(doc, 'adres-2', 'kept');
		const initiatief = addInitiatief(doc, {
			title: 'Geveltuinen',
			place: { addressId: 'adres-1' },
			addressIds: ['adres-1', 'adres-2']
		});
		// (the first follow-up text was overwritten, so Yjs dropped it already)
		for (const s of [...secrets('gone'), ...secrets('kept')].filter(
			(s) => !s.startsWith('Followup')
		))
			expect(holds(doc, s), s).toBe(true);

		const result = eraseHousehold(doc, 'adres-1');

		expect(result).toEqual({ gesprekIds: [erased], pins: 1, initiatieven: 1 });
		expect(listGesprekken(doc).map((g) => g.id)).toEqual([kept]);
		expect(listPins(doc).map((p) => p.title)).toEqual(['Pin-kept']);
		expect(getInitiatief(doc, initiatief.id)!.addressIds).toEqual(['adres-2']);
		for (const s of secrets('gone')) expect(holds(doc, s), s).toBe(false);
		for (const s of secrets('kept').filter((s) => !s.startsWith('Followup')))
			expect(holds(doc, s), s).toBe(true);
	});

	it('reaches a connected client, whose own undo history does not keep the content', () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		link(server, client);
		const undo = createUndoManager(client);
		forgetHistoryOnRemoteRemoval(client, undo, localOrigin(client));
		const id = seedHousehold(client, 'adres-1', 'gone');
		// The client's own deletion: its undo manager keeps the deleted text for undo.
		deleteNotes(client, id, 0, 'Earlier-gone '.length);
		expect(holds(client, 'Earlier-gone')).toBe(true);
		expect(undo.canUndo()).toBe(true);

		eraseHousehold(server, 'adres-1');

		expect(undo.canUndo()).toBe(false);

		expect(listGesprekken(client)).toEqual([]);
		for (const s of secrets('gone')) expect(holds(client, s), s).toBe(false);
	});

	it('without dropping the undo history, the client would keep the content (the test can fail)', () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		link(server, client);
		createUndoManager(client);
		const id = seedHousehold(client, 'adres-1', 'gone');
		deleteNotes(client, id, 0, 'Earlier-gone '.length);
		eraseHousehold(server, 'adres-1');
		expect(listGesprekken(client)).toEqual([]);
		expect(secrets('gone').filter((s) => holds(client, s))).not.toEqual([]);
	});

	it('keeps the undo history when the change is local or removes nothing', () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		link(server, client);
		const undo = createUndoManager(client);
		forgetHistoryOnRemoteRemoval(client, undo, localOrigin(client));
		seedHousehold(client, 'adres-1', 'mine');
		seedHousehold(server, 'adres-2', 'theirs');
		eraseHousehold(server, 'adres-3');
		expect(undo.canUndo()).toBe(true);
	});

	it('returns nothing for an address without data', () => {
		const doc = new Y.Doc();
		seedHousehold(doc, 'adres-2', 'kept');
		expect(eraseHousehold(doc, 'adres-1')).toEqual({ gesprekIds: [], pins: 0, initiatieven: 0 });
		expect(listGesprekken(doc)).toHaveLength(1);
	});
});

describe('purgePrivateContent', () => {
	it('removes the private content of every gesprek and keeps what is counted', () => {
		const doc = new Y.Doc();
		const id = seedHousehold(doc, 'adres-1', 'one');
		seedHousehold(doc, 'adres-2', 'two');
		setConsent(doc, id, { recordedBy: 'Recorder-again', date: '2024-04-01' });

		expect(purgePrivateContent(doc)).toBe(2);

		const g = getGesprek(doc, id)!;
		expect(g).toMatchObject({
			addressId: 'adres-1',
			date: '2024-03-12',
			outcome: 'gesproken',
			heldBy: REMOVED_NAME,
			notes: '',
			talents: [],
			wishes: [],
			worries: [],
			followUps: []
		});
		expect(g.consent.recordedBy).toBeNull();
		const personal = (tag: string) => secrets(tag).filter((s) => !s.startsWith('Pin-'));
		for (const s of [...personal('one'), ...personal('two'), 'Recorder-again'])
			expect(holds(doc, s), s).toBe(false);
		expect(purgePrivateContent(doc)).toBe(0);
	});
});
