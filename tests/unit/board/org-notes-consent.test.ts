import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	BoardInputError,
	WITHDRAWN_MESSAGE,
	addGesprek,
	getGesprek,
	patchConsent,
	restoreConsent
} from '../../../src/lib/board';
import {
	addConfidentialGesprek,
	deleteOrgNotes,
	getOrgNotes,
	insertOrgNotes,
	markConfidential,
	unmarkConfidential
} from '../../../src/lib/board/org-notes';

/**
 * Confidential notes live in the organisation's own document, the consent in the board's: the
 * commands of org-notes.ts read the board's document and write no confidential text about a
 * household that withdrew its consent (new notes, typing, marking or unmarking); deleting stays
 * possible, and other households are not affected.
 */

const ORG = '00000000-0000-4000-8000-00000000000a';
const base = { date: '2026-11-20', heldBy: 'Anouk', outcome: 'gesproken' as const };

function board() {
	const doc = new Y.Doc();
	const orgDoc = new Y.Doc();
	const secret = addConfidentialGesprek(doc, orgDoc, ORG, {
		...base,
		addressId: 'a1',
		notes: 'Eerder'
	});
	const shared = addGesprek(doc, { ...base, addressId: 'a1', round: 2, notes: 'Gedeeld' });
	const other = addConfidentialGesprek(doc, orgDoc, ORG, { ...base, addressId: 'a2' });
	patchConsent(doc, shared.id, { withdrawn: true });
	return { doc, orgDoc, secret, shared, other };
}

function refused(run: () => unknown): string | null {
	try {
		run();
		return null;
	} catch (err) {
		if (!(err instanceof BoardInputError)) throw err;
		return `${err.field} ${err.message}`;
	}
}

const WITHDRAWN = `notes ${WITHDRAWN_MESSAGE}`;

describe('confidential notes of a household that withdrew its consent', () => {
	it('takes no typing, and deleting still works', () => {
		const { doc, orgDoc, secret } = board();
		expect(refused(() => insertOrgNotes(doc, orgDoc, secret.id, 0, 'schulden '))).toBe(WITHDRAWN);
		expect(getOrgNotes(orgDoc, secret.id)).toBe('Eerder');
		deleteOrgNotes(orgDoc, secret.id, 0, 3);
		expect(getOrgNotes(orgDoc, secret.id)).toBe('der');
	});

	it('adds no new confidential gesprek with notes, nor marks or unmarks notes', () => {
		const { doc, orgDoc, secret, shared } = board();
		const input = { ...base, addressId: 'a1', notes: 'Nieuw geheim' };
		expect(refused(() => addConfidentialGesprek(doc, orgDoc, ORG, input))).toBe(WITHDRAWN);
		expect(JSON.stringify(orgDoc.getMap('notes').toJSON())).not.toContain('Nieuw geheim');
		// Without notes it is a visit like any other (as addGesprek allows).
		expect(addConfidentialGesprek(doc, orgDoc, ORG, { ...input, notes: '' }).addressId).toBe('a1');
		expect(refused(() => markConfidential(doc, orgDoc, shared.id, ORG))).toBe(WITHDRAWN);
		expect(getOrgNotes(orgDoc, shared.id)).toBe('');
		expect(refused(() => unmarkConfidential(doc, orgDoc, secret.id))).toBe(WITHDRAWN);
		expect(getGesprek(doc, secret.id)!.confidential).toBe(ORG);
		expect(getOrgNotes(orgDoc, secret.id)).toBe('Eerder');
	});

	it('leaves other households alone, and writes again after the consent is restored', () => {
		const { doc, orgDoc, secret, other } = board();
		insertOrgNotes(doc, orgDoc, other.id, 0, 'Andere buren');
		expect(getOrgNotes(orgDoc, other.id)).toBe('Andere buren');
		restoreConsent(doc, 'a1');
		insertOrgNotes(doc, orgDoc, secret.id, 6, ' weer');
		expect(getOrgNotes(orgDoc, secret.id)).toBe('Eerder weer');
	});
});
