import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	BoardInputError,
	addFollowUp,
	addGesprek,
	addToGesprekList,
	createUndoManager,
	deleteNotes,
	getGesprek,
	householdWithdrawn,
	insertNotes,
	patchConsent,
	removeFromGesprekList,
	restoreConsent,
	updateFollowUp,
	updateGesprek,
	withdrawnAddresses
} from '../../../src/lib/board';
import { consentChanges, type ConsentChange } from '../../../src/lib/server/consent';

/**
 * A household that withdrew its consent: the commands add nothing personal to it any more (from
 * any form or device that knows), removing stays possible, and undoing the withdrawal is one
 * change; the server reads exactly the consent changes of a transaction (consentChanges).
 */

const base = { date: '2026-11-20', heldBy: 'Anouk', outcome: 'gesproken' as const };

function household() {
	const doc = new Y.Doc();
	const first = addGesprek(doc, {
		...base,
		addressId: 'a1',
		talents: ['koken'],
		followUps: [{ what: 'Bellen' }],
		notes: 'Eerder gesprek'
	});
	const second = addGesprek(doc, { ...base, addressId: 'a1', round: 2 });
	const other = addGesprek(doc, { ...base, addressId: 'a2' });
	return { doc, first, second, other };
}

describe('a household that withdrew its consent', () => {
	it('is withdrawn when any of its gesprekken says so, and only that household', () => {
		const { doc, second } = household();
		expect(householdWithdrawn(doc, 'a1')).toBe(false);
		patchConsent(doc, second.id, { withdrawn: true });
		expect(householdWithdrawn(doc, 'a1')).toBe(true);
		expect(householdWithdrawn(doc, 'a2')).toBe(false);
		expect([...withdrawnAddresses(doc)]).toEqual(['a1']);
	});

	it('gets nothing personal added, on any of its gesprekken, but its data can still be removed', () => {
		const { doc, first, second, other } = household();
		patchConsent(doc, second.id, { withdrawn: true });
		const refused = [
			() => addToGesprekList(doc, first.id, 'talents', 'zingen'),
			() => addToGesprekList(doc, first.id, 'themeIds', 'eenzaamheid'),
			() => updateGesprek(doc, first.id, { worries: ['schulden'] }),
			() => addFollowUp(doc, first.id, { what: 'Maatje zoeken' }),
			() =>
				updateFollowUp(doc, first.id, getGesprek(doc, first.id)!.followUps[0]!.id, { who: 'X' }),
			() => insertNotes(doc, first.id, 0, 'geheim'),
			() => addGesprek(doc, { ...base, addressId: 'a1', talents: ['nieuw'] })
		];
		for (const attempt of refused) expect(attempt).toThrow(BoardInputError);
		expect(getGesprek(doc, first.id)).toMatchObject({
			talents: ['koken'],
			notes: 'Eerder gesprek'
		});
		// Removing what is there, a visit without content and the other household: still possible.
		removeFromGesprekList(doc, first.id, 'talents', 'koken');
		deleteNotes(doc, first.id, 0, 6);
		updateGesprek(doc, first.id, { outcome: 'later' });
		expect(addGesprek(doc, { ...base, addressId: 'a1', round: 3 }).round).toBe(3);
		expect(addToGesprekList(doc, other.id, 'talents', 'zingen').talents).toEqual(['zingen']);
	});

	it('a withdrawal by another device freezes this one at once', () => {
		const { doc, first, second } = household();
		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		// This device reads the household (cached until the next transaction) ...
		addToGesprekList(doc, first.id, 'talents', 'zingen');
		// ... and then hears of the withdrawal.
		patchConsent(remote, second.id, { withdrawn: true });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
		expect(() => addToGesprekList(doc, first.id, 'talents', 'dansen')).toThrow(BoardInputError);
	});

	it('undoing the withdrawal clears it on every gesprek, in one undo step', () => {
		const { doc, first, second } = household();
		patchConsent(doc, first.id, { withdrawn: true });
		patchConsent(doc, second.id, { withdrawn: true });
		const undo = createUndoManager(doc);
		expect(restoreConsent(doc, 'a1')).toBe(2);
		expect(householdWithdrawn(doc, 'a1')).toBe(false);
		expect(addToGesprekList(doc, first.id, 'talents', 'zingen').talents).toContain('zingen');
		undo.undo();
		undo.undo();
		expect(householdWithdrawn(doc, 'a1')).toBe(true);
		expect(restoreConsent(doc, 'a2')).toBe(0);
	});
});

describe('consentChanges (what the server reads of a transaction)', () => {
	function changesOf(doc: Y.Doc, fn: () => void): ConsentChange[] {
		let out: ConsentChange[] = [];
		const handler = (transaction: Y.Transaction) => (out = consentChanges(transaction));
		doc.on('afterTransaction', handler);
		fn();
		doc.off('afterTransaction', handler);
		return out;
	}

	it('names the gesprek and address whose withdrawal changed, either way', () => {
		const { doc, second } = household();
		expect(changesOf(doc, () => patchConsent(doc, second.id, { withdrawn: true }))).toEqual([
			{ gesprekId: second.id, addressId: 'a1' }
		]);
		expect(changesOf(doc, () => restoreConsent(doc, 'a1'))).toEqual([
			{ gesprekId: second.id, addressId: 'a1' }
		]);
	});

	it('names a gesprek that arrives withdrawn, and nothing for other changes', () => {
		const doc = new Y.Doc();
		let id = '';
		const added = changesOf(doc, () => {
			id = addGesprek(doc, {
				...base,
				addressId: 'a3',
				consent: { recordedBy: 'Anouk', date: '2026-11-20', withdrawn: true }
			}).id;
		});
		expect(added).toEqual([{ gesprekId: id, addressId: 'a3' }]);
		expect(changesOf(doc, () => addGesprek(doc, { ...base, addressId: 'a4' }))).toEqual([]);
		expect(changesOf(doc, () => patchConsent(doc, id, { recordedBy: 'Joost' }))).toEqual([]);
		expect(changesOf(doc, () => updateGesprek(doc, id, { outcome: 'later' }))).toEqual([]);
	});

	it('reads a remote client update the same way', () => {
		const { doc, second } = household();
		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		patchConsent(remote, second.id, { withdrawn: true });
		const update = Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc));
		expect(changesOf(doc, () => Y.applyUpdate(doc, update))).toEqual([
			{ gesprekId: second.id, addressId: 'a1' }
		]);
	});
});
