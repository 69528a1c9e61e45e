import * as Y from 'yjs';
import { eraseHousehold as eraseFromDocument, type ErasedHousehold } from '../board/erase';
import { gesprekkenMap } from '../board/gesprekken';
import { recordAudit } from './audit';
import { deletedGesprekIdsAt, eraseHistory } from './history/store';
import { refreshProjection } from './public/store';
import type { Db, Queryable } from './db';
import type { Runtime } from './runtime';
import { listOrgDocs, orgDocName, parseDocName, removeNotes } from './sync/org-docs';

export interface ErasureRequest {
	boardId: string;
	addressId: string;
	/** The owner who erases; null for the server (consent withdrawn longer than the grace period). */
	actorId: string | null;
	/** When (the audit entry's time); the database's now() by default. */
	at?: Date;
}

/** What an erasure needs of the sync server (SyncServer, or the runtime's view of it). */
export type ErasureSync = Pick<Runtime['sync'], 'withDocument' | 'readDocument'> &
	Partial<Pick<Runtime['sync'], 'registerChanged' | 'loadedDocuments'>>;

export interface ErasureResult {
	gesprekken: number;
	pins: number;
	initiatieven: number;
	/** Confidential notes removed from organisation documents. */
	confidentialNotes: number;
}

/** Whether the address is in the board's register (erasure works on register addresses). */
export async function isRegisterAddress(
	db: Queryable,
	boardId: string,
	addressId: string
): Promise<boolean> {
	const rows = await db.query<{ one: number }>(
		'select 1 as one from public.addresses where board_id = $1 and id = $2',
		[boardId, addressId]
	);
	return rows.length > 0;
}

/**
 * Erases a household's data at an address (consent withdrawn): from the board's live document
 * (connected clients see it go at once), the confidential notes of its gesprekken in every
 * organisation's document, the stored update logs (compacted to the current state, in which Yjs
 * has dropped the deleted content), and the dead row versions that still held the old logs
 * (VACUUM FULL). The audit log records only that an erasure happened, by whom (an owner, or the
 * server after the grace period of a withdrawn consent, consent.ts) and when: no address, no
 * content. The household leaves the owners' list of withdrawn households. The address register itself holds no personal data (street, number,
 * postcode, coordinates, BAG ids) and stays.
 */
export async function eraseHousehold(
	runtime: { db: Db; sync: ErasureSync },
	{ boardId, addressId, actorId, at }: ErasureRequest
): Promise<ErasureResult> {
	const { db, sync } = runtime;
	// The organisation documents first, while the shared document still lists the gesprekken: if
	// this fails half-way, erasing again finds the same gesprekken and finishes the job.
	const before = await sync.withDocument(boardId, (doc) => gesprekIdsAt(doc, addressId));
	// Gesprekken of the household deleted earlier: another organisation's notes on them stay in its
	// document (a deletion removes only the deleter's own), found by the address their deletion
	// left in the item history.
	const deleted = (await deletedGesprekIdsAt(db, boardId, addressId)).filter(
		(id) => !before.includes(id)
	);
	let confidentialNotes = await removeConfidentialNotes(db, sync, boardId, [...before, ...deleted]);
	const erased: ErasedHousehold = await sync.withDocument(boardId, (doc) =>
		eraseFromDocument(doc, addressId, deleted)
	);
	// A gesprek added at the address in the meantime.
	const added = erased.gesprekIds.filter((id) => !before.includes(id));
	confidentialNotes += await removeConfidentialNotes(db, sync, boardId, added);
	// Their history too (field values, deleted gesprekken's last fields, notes changes).
	await eraseHistory(db, boardId, [...before, ...deleted, ...erased.gesprekIds], addressId);
	// The public pages' basis forgets what the household said (publish-gate.ts) before the vacuum.
	await refreshProjection(db, boardId);
	// Off the owners' list of withdrawn households (consent.ts): nothing is left to erase.
	const listed = await db.query(
		'delete from public.consent_withdrawals where board_id = $1 and address_id = $2 returning 1',
		[boardId, addressId]
	);
	await vacuumDocumentLogs(db);
	await recordAudit(db, { boardId, actorId, action: 'household.erase' }, { at });
	// The owners' count on the board's open pages.
	if (listed.length > 0)
		await sync.registerChanged?.(boardId, { part: 'withdrawals' }).catch(() => 0);
	return {
		gesprekken: erased.gesprekIds.length,
		pins: erased.pins,
		initiatieven: erased.initiatieven,
		confidentialNotes
	};
}

function gesprekIdsAt(doc: Y.Doc, addressId: string): string[] {
	const ids: string[] = [];
	for (const [id, fields] of gesprekkenMap(doc).entries()) {
		if (fields instanceof Y.Map && fields.get('addressId') === addressId) ids.push(id);
	}
	return ids;
}

async function removeConfidentialNotes(
	db: Db,
	sync: ErasureSync,
	boardId: string,
	gesprekIds: string[]
): Promise<number> {
	if (gesprekIds.length === 0) return 0;
	let removed = 0;
	// Every organisation's document: stored ones, and loaded ones not stored yet.
	const names = new Set(
		(await listOrgDocs(db, boardId)).map((organisationId) => orgDocName(boardId, organisationId))
	);
	for (const name of sync.loadedDocuments?.() ?? []) {
		const ref = parseDocName(name);
		if (ref?.kind === 'org' && ref.boardId === boardId) names.add(name);
	}
	for (const name of names) {
		removed += await sync.withDocument(name, (doc) => removeNotes(doc, gesprekIds));
	}
	return removed;
}

/**
 * Compaction deletes the old log rows (and erasure the history rows), but PostgreSQL keeps their dead versions in the table
 * files until a vacuum; VACUUM FULL rewrites the tables (and their TOAST) without them. It cannot
 * run inside a transaction. It locks the tables for the moment it takes: storing edits waits.
 */
export async function vacuumDocumentLogs(db: Db): Promise<void> {
	await db.exec(
		'vacuum full public.board_updates, public.org_note_updates, public.item_history, public.publication_basis, public.consent_withdrawals'
	);
}
