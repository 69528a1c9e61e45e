import * as Y from 'yjs';
import { BoardInputError, parse, requireEntity, transactLocal } from './common';
import {
	addGesprek,
	consentWithdrawnError,
	getGesprek,
	gesprekWithdrawn,
	gesprekkenMap,
	gesprekNotes,
	householdWithdrawn,
	type Gesprek,
	type NewGesprek
} from './gesprekken';
import { LIMITS, organisationIdSchema } from './layout';

/**
 * Confidential notes ("alleen mijn organisatie"). A gesprek marked confidential keeps only the
 * marker (`confidential`: the organisation id) in the shared board document; its notes live in
 * that organisation's own document on the board (ORG_NOTES_LAYOUT: a Y.Map `notes` of gesprek id →
 * Y.Text), which the sync server sends only to members of that organisation. Members of other
 * organisations see that there is a confidential note, never its text.
 */
export const ORG_NOTES = 'notes';

/**
 * The origin of the transactions that move notes between the shared and the organisation's
 * document. Not tracked by the undo manager: undoing a move would put confidential text back
 * into the shared document.
 */
export const CONFIDENTIAL_MOVE = Object.freeze({ confidentialMove: true });

export function orgNotesMap(orgDoc: Y.Doc): Y.Map<Y.Text> {
	return orgDoc.getMap<Y.Text>(ORG_NOTES);
}

/** The confidential notes of a gesprek ('' when there are none). */
export function getOrgNotes(orgDoc: Y.Doc, gesprekId: string): string {
	const text = orgNotesMap(orgDoc).get(gesprekId);
	return text instanceof Y.Text ? text.toString() : '';
}

/** The Y.Text of a gesprek's confidential notes, created (empty) when missing. */
export function orgNotesText(orgDoc: Y.Doc, gesprekId: string): Y.Text {
	const notes = orgNotesMap(orgDoc);
	const existing = notes.get(gesprekId);
	if (existing instanceof Y.Text) return existing;
	const text = new Y.Text();
	transactLocal(orgDoc, () => notes.set(gesprekId, text));
	return text;
}

/**
 * Refuses confidential notes for a household that withdrew its consent, as the board's commands
 * refuse its shared notes (gesprekken.ts): `doc` is the board's shared document, where the consent
 * is. The sync server refuses such text too (server/sync/consent-guard-notes.ts).
 */
function requireConsent(doc: Y.Doc, gesprekId: string): void {
	if (gesprekWithdrawn(doc, gesprekId)) throw consentWithdrawnError('notes');
}

/** Types into a gesprek's confidential notes; `doc` is the board's shared document (its consent). */
export function insertOrgNotes(
	doc: Y.Doc,
	orgDoc: Y.Doc,
	gesprekId: string,
	index: number,
	text: string
): void {
	requireConsent(doc, gesprekId);
	const notes = orgNotesText(orgDoc, gesprekId);
	if (notes.length + text.length > LIMITS.notes)
		throw new BoardInputError(`notes: at most ${LIMITS.notes} characters`, 'notes');
	const at = Math.max(0, Math.min(Math.trunc(index), notes.length));
	transactLocal(orgDoc, () => notes.insert(at, text));
}

export function deleteOrgNotes(
	orgDoc: Y.Doc,
	gesprekId: string,
	index: number,
	length: number
): void {
	const notes = orgNotesText(orgDoc, gesprekId);
	const at = Math.max(0, Math.min(Math.trunc(index), notes.length));
	const len = Math.max(0, Math.min(Math.trunc(length), notes.length - at));
	if (len > 0) transactLocal(orgDoc, () => notes.delete(at, len));
}

/**
 * Adds a gesprek whose notes are confidential from the start: the shared document gets the
 * gesprek with the marker and empty notes, the organisation's document the notes.
 */
export function addConfidentialGesprek(
	doc: Y.Doc,
	orgDoc: Y.Doc,
	organisationId: string,
	input: NewGesprek
): Gesprek {
	parse(organisationIdSchema, organisationId, 'organisation');
	const notes = input.notes ?? '';
	if (notes && withdrawnAt(doc, input.addressId)) throw consentWithdrawnError('notes');
	if (notes.length > LIMITS.notes)
		throw new BoardInputError(`notes: at most ${LIMITS.notes} characters`, 'notes');
	const gesprek = addGesprek(doc, { ...input, notes: '', confidential: organisationId });
	if (notes) transactLocal(orgDoc, () => orgNotesMap(orgDoc).set(gesprek.id, new Y.Text(notes)));
	return gesprek;
}

/**
 * Marks a gesprek's notes "alleen mijn organisatie": the shared notes move to the organisation's
 * document (appended to what is there) and are deleted from the shared one, where Yjs
 * garbage-collects the deleted text. The organisation's document is written first, so nothing is
 * lost if the second step fails.
 */
export function markConfidential(
	doc: Y.Doc,
	orgDoc: Y.Doc,
	gesprekId: string,
	organisationId: string
): Gesprek {
	parse(organisationIdSchema, organisationId, 'organisation');
	const fields = requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek');
	const current = fields.get('confidential');
	if (current === organisationId) return getGesprek(doc, gesprekId)!;
	if (typeof current === 'string')
		throw new BoardInputError('The notes are confidential to another organisation', 'confidential');
	requireConsent(doc, gesprekId);
	const shared = gesprekNotes(doc, gesprekId);
	const text = shared.toString();
	const notes = orgNotesMap(orgDoc);
	const existing = notes.get(gesprekId);
	const before = existing instanceof Y.Text ? existing.length : 0;
	const joined = before > 0 && text ? `\n${text}` : text;
	if (before + joined.length > LIMITS.notes)
		throw new BoardInputError(`notes: at most ${LIMITS.notes} characters`, 'notes');
	transactLocal(orgDoc, () => {
		if (existing instanceof Y.Text) {
			if (joined) existing.insert(existing.length, joined);
		} else {
			notes.set(gesprekId, new Y.Text(text));
		}
	});
	doc.transact(() => {
		if (shared.length > 0) shared.delete(0, shared.length);
		fields.set('confidential', organisationId);
	}, CONFIDENTIAL_MOVE);
	return getGesprek(doc, gesprekId)!;
}

/**
 * Makes confidential notes shared again (ask the user first: everyone on the board will read
 * them): the text moves back into the shared notes and leaves the organisation's document.
 */
export function unmarkConfidential(doc: Y.Doc, orgDoc: Y.Doc, gesprekId: string): Gesprek {
	const fields = requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek');
	if (typeof fields.get('confidential') !== 'string') return getGesprek(doc, gesprekId)!;
	requireConsent(doc, gesprekId);
	const shared = gesprekNotes(doc, gesprekId);
	const text = getOrgNotes(orgDoc, gesprekId);
	// One transaction: the marker is cleared by the same update that brings the text back.
	doc.transact(() => {
		fields.set('confidential', null);
		if (shared.length > 0) shared.delete(0, shared.length);
		if (text) shared.insert(0, text);
	}, CONFIDENTIAL_MOVE);
	transactLocal(orgDoc, () => orgNotesMap(orgDoc).delete(gesprekId));
	return getGesprek(doc, gesprekId)!;
}

function withdrawnAt(doc: Y.Doc, addressId: unknown): boolean {
	return typeof addressId === 'string' && householdWithdrawn(doc, addressId);
}

/** Removes a gesprek's confidential notes (with the gesprek itself: nothing is left behind). */
export function removeOrgNotes(orgDoc: Y.Doc, gesprekId: string): boolean {
	const notes = orgNotesMap(orgDoc);
	if (!notes.has(gesprekId)) return false;
	transactLocal(orgDoc, () => notes.delete(gesprekId));
	return true;
}
