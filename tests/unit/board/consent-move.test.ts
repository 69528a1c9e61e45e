import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	BoardInputError,
	MOVE_WITHDRAWN_MESSAGE,
	WITHDRAWN_MESSAGE,
	addGesprek,
	getGesprek,
	patchConsent,
	restoreConsent,
	updateGesprek
} from '../../../src/lib/board';

/**
 * Moving gesprekken and withdrawn consent: a gesprek of a household that withdrew its consent
 * stays at its address (its data would escape the erasure), also an older round's gesprek that is
 * not marked itself; a gesprek with personal data does not move into a withdrawn household.
 * Restoring the consent makes moves possible again.
 */

const base = { date: '2026-11-20', heldBy: 'Anouk', outcome: 'gesproken' as const };

function board() {
	const doc = new Y.Doc();
	const older = addGesprek(doc, { ...base, addressId: 'a1', talents: ['koken'] });
	const marked = addGesprek(doc, { ...base, addressId: 'a1', round: 2 });
	const elsewhere = addGesprek(doc, { ...base, addressId: 'a2', wishes: ['bankje'] });
	const empty = addGesprek(doc, { ...base, addressId: 'a3' });
	patchConsent(doc, marked.id, { withdrawn: true });
	return { doc, older, marked, elsewhere, empty };
}

/** The refusal's message and field, or null when the command went through. */
function refusal(run: () => unknown): { message: string; field: string | null } | null {
	try {
		run();
		return null;
	} catch (err) {
		if (!(err instanceof BoardInputError)) throw err;
		return { message: err.message, field: err.field };
	}
}

describe('moving a gesprek and withdrawn consent', () => {
	it('refuses to move any gesprek of a withdrawn household to another address', () => {
		const { doc, older, marked } = board();
		for (const id of [older.id, marked.id]) {
			expect(refusal(() => updateGesprek(doc, id, { addressId: 'a9' }))).toEqual({
				message: MOVE_WITHDRAWN_MESSAGE,
				field: 'addressId'
			});
			expect(getGesprek(doc, id)!.addressId).toBe('a1');
		}
		// Nothing else of the patch is written either.
		expect(refusal(() => updateGesprek(doc, older.id, { addressId: 'a9', round: 5 }))).not.toBe(
			null
		);
		expect(getGesprek(doc, older.id)!.round).toBe(1);
		// What does not move stays allowed.
		expect(updateGesprek(doc, older.id, { addressId: 'a1', outcome: 'later' }).outcome).toBe(
			'later'
		);
	});

	it('refuses to move a gesprek with personal data into a withdrawn household', () => {
		const { doc, elsewhere, empty } = board();
		expect(refusal(() => updateGesprek(doc, elsewhere.id, { addressId: 'a1' }))).toEqual({
			message: WITHDRAWN_MESSAGE,
			field: 'addressId'
		});
		expect(getGesprek(doc, elsewhere.id)!.addressId).toBe('a2');
		// A gesprek without any, and a patch that would add some on the way: refused as well.
		expect(
			refusal(() => updateGesprek(doc, empty.id, { addressId: 'a1', talents: ['x'] }))
		).toEqual({ message: WITHDRAWN_MESSAGE, field: 'addressId' });
		expect(updateGesprek(doc, empty.id, { addressId: 'a1' }).addressId).toBe('a1');
	});

	it('refuses confidential notes moving in as personal data', () => {
		const { doc } = board();
		const marked = addGesprek(doc, {
			...base,
			addressId: 'a4',
			confidential: '00000000-0000-4000-8000-000000000001'
		});
		expect(refusal(() => updateGesprek(doc, marked.id, { addressId: 'a1' }))?.message).toBe(
			WITHDRAWN_MESSAGE
		);
	});

	it('moves again once the consent is restored', () => {
		const { doc, older, elsewhere } = board();
		expect(restoreConsent(doc, 'a1')).toBe(1);
		expect(updateGesprek(doc, older.id, { addressId: 'a9' }).addressId).toBe('a9');
		expect(updateGesprek(doc, elsewhere.id, { addressId: 'a1' }).addressId).toBe('a1');
	});
});
