import * as Y from 'yjs';
import { isBoardId } from '../../board/meta';
import { ORG_NOTES } from '../../board/org-notes';
import { TOP_LEVEL, organisationIdSchema } from '../../board/layout';
import type { Db } from '../db';

/**
 * The sync documents of a board. Each board has its shared document, named by the board id, and
 * one document per organisation that keeps confidential notes on it ("alleen mijn organisatie"),
 * named `<board>/org/<organisation>`. The server picks the organisation from the signed-in user
 * (a client asks for `/sync/<board>/org` and never names one), so an organisation's document only
 * ever reaches its own members.
 */
export type DocumentRef =
	| { kind: 'board'; name: string; boardId: string }
	| { kind: 'org'; name: string; boardId: string; organisationId: string };

/** The path segment after the board id in `/sync/<board>/org` and in document names. */
export const ORG_SEGMENT = 'org';

/** The name of an organisation's confidential-notes document on a board. */
export function orgDocName(boardId: string, organisationId: string): string {
	if (!isBoardId(boardId)) throw new Error('invalid board id');
	if (!organisationIdSchema.safeParse(organisationId).success) {
		throw new Error('invalid organisation id');
	}
	return `${boardId}/${ORG_SEGMENT}/${organisationId.toLowerCase()}`;
}

/**
 * Names already parsed: the sync hooks ask for every update of a document (a few names, asked
 * thousands of times). Valid names only, and bounded: emptied when it reaches its size.
 */
const parsedNames = new Map<string, Readonly<DocumentRef>>();
const PARSED_NAMES_MAX = 1000;

/** What a document name refers to; null for anything that is not a valid name. */
export function parseDocName(name: string): Readonly<DocumentRef> | null {
	const known = parsedNames.get(name);
	if (known) return known;
	const ref = parseName(name);
	if (!ref) return null;
	if (parsedNames.size >= PARSED_NAMES_MAX) parsedNames.clear();
	parsedNames.set(name, Object.freeze(ref));
	return ref;
}

function parseName(name: string): DocumentRef | null {
	const parts = name.split('/');
	const boardId = parts[0]!;
	if (!isBoardId(boardId)) return null;
	if (parts.length === 1) return { kind: 'board', name, boardId };
	if (parts.length !== 3 || parts[1] !== ORG_SEGMENT) return null;
	const organisationId = parts[2]!;
	if (!organisationIdSchema.safeParse(organisationId).success) return null;
	if (organisationId !== organisationId.toLowerCase()) return null;
	return { kind: 'org', name, boardId, organisationId };
}

/**
 * The organisations that have a stored confidential-notes document on a board (for erasure and
 * retention: every one of them must be cleaned), as organisation ids.
 */
export async function listOrgDocs(db: Db, boardId: string): Promise<string[]> {
	const rows = await db.query<{ organisation_id: string }>(
		'select distinct organisation_id::text as organisation_id from public.org_note_updates where board_id = $1 order by 1',
		[boardId]
	);
	return rows.map((row) => row.organisation_id);
}

/**
 * Removes the confidential notes of these gesprekken from an organisation's document (in one
 * transaction). The removed text is garbage-collected by Yjs, so after the stored log is compacted
 * (encodeStateAsUpdate of this document) it is gone from storage too. Returns how many were removed.
 */
export function removeNotes(doc: Y.Doc, gesprekIds: Iterable<string>, origin?: unknown): number {
	const notes = doc.getMap<Y.Text>(ORG_NOTES);
	let removed = 0;
	doc.transact(() => {
		for (const id of gesprekIds) {
			if (!notes.has(id)) continue;
			notes.delete(id);
			removed++;
		}
	}, origin);
	return removed;
}

/**
 * Whether a transaction on a board's shared document marked or unmarked a gesprek's notes as
 * confidential. After a marking, the notes' former shared text is gone from the live document
 * (garbage-collected) but still in the stored update log: the sync hooks compact the log then.
 */
export function changesConfidential(transaction: Y.Transaction): boolean {
	const gesprekken = transaction.doc.share.get(TOP_LEVEL.gesprekken);
	if (!gesprekken) return false;
	for (const [type, keys] of transaction.changed) {
		if (type.parent === gesprekken && keys.has('confidential')) return true;
	}
	return false;
}
