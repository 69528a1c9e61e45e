import * as Y from 'yjs';
import { gesprekkenMap, withdrawnNow } from '../../board/gesprekken';
import type { RecordShape } from '../../board/layout';
import { ORG_NOTES } from '../../board/org-notes';
import type { NotTaken } from '../../collab/not-taken';
import { UpdateRefusal, UpdateWaits, type TakenPart } from './hooks';
import { serverCopy } from './repair';
import { validateBoardUpdate, type UpdateFacts } from './validate';

/**
 * Withdrawn consent and confidential notes. Those notes live in an organisation's own document
 * (`<board>/org/<org>`, org-docs.ts), the consent in the board's shared document: no text is
 * written into the confidential notes of a gesprek whose household withdrew its consent there,
 * whatever the client (the commands of org-notes.ts refuse it too). Deleting stays possible.
 *
 * The board's document is always loaded while an organisation's document is (SyncServer holds
 * the board's room open for it), so the check reads it as it is live now. A gesprek the board's
 * document has never held (created by an update that has not arrived yet: the two documents travel
 * on two sockets, and a device that was offline sends both when it reconnects, in either order) has
 * no household to ask yet: the update waits (UpdateWaits) with its connection until the board's
 * document holds every gesprek it writes notes for, and is checked then. So notes about a household
 * that withdrew are never stored, not even for a moment, and a legitimate note is only delayed (the
 * page says it is not stored yet; dropped with the connection, it is sent again on reconnecting).
 * A gesprek the board deleted still has its key there: its notes are checked as today (no
 * household: taken; the organisation's own notes on a deleted gesprek stay until an erasure).
 */

/**
 * Checks a valid update of an organisation's document (its `facts` from validateBoardUpdate).
 * Returns null when it may be applied as it is, else the part to apply instead: the update with a
 * change of the server's own that deletes its new text in the notes of withdrawn households'
 * gesprekken. Without the board's document it refuses every update that writes notes (it never
 * guesses that a household did not withdraw); past the connection's repair budget (`mayRepair`)
 * such an update is refused as a whole (UpdateRefusal).
 */
export function guardWithdrawnNotes(
	update: Uint8Array,
	orgDoc: Y.Doc,
	board: Y.Doc | undefined,
	facts: UpdateFacts,
	mayRepair: () => boolean,
	layout: Readonly<Record<string, RecordShape>>
): TakenPart | null {
	if (facts.orgNotes.size === 0) return null;
	if (!board || board.isDestroyed) throw new UpdateRefusal('the board document is not loaded');
	const arrived = () => {
		if (board.isDestroyed) return true;
		const known = (gesprekkenMap(board) as unknown as Y.AbstractType<unknown>)._map;
		for (const id of facts.orgNotes) if (!known.has(id)) return false;
		return true;
	};
	if (!arrived()) {
		throw new UpdateWaits('confidential notes for a gesprek the board does not hold yet', arrived);
	}
	const withdrawn = withdrawnGesprekken(board, facts.orgNotes);
	if (withdrawn.size === 0) return null;
	if (!mayRepair()) {
		throw new UpdateRefusal('confidential notes for a household that withdrew its consent');
	}
	const back = takeBackNotes(orgDoc, update, withdrawn);
	if (!back) return null;
	const merged = Y.mergeUpdates([update, back.repair]);
	validateBoardUpdate(merged, orgDoc, layout);
	return { update: merged, notTaken: back.notTaken };
}

/** Of these gesprek ids, those whose household withdrew its consent in the board's document. */
function withdrawnGesprekken(board: Y.Doc, ids: Iterable<string>): Set<string> {
	const out = new Set<string>();
	const withdrawn = withdrawnNow(board);
	if (withdrawn.size === 0) return out;
	const gesprekken = gesprekkenMap(board);
	for (const id of ids) {
		const address: unknown = gesprekken.get(id)?.get('addressId');
		if (typeof address === 'string' && withdrawn.has(address)) out.add(id);
	}
	return out;
}

/**
 * Applies the update to a copy of the organisation's document and, in one change of the server's
 * own there, deletes the text it adds to the notes of these gesprekken (all of a note's text when
 * the update creates the note). Returns that change and what it did not take; null when nothing.
 */
export function takeBackNotes(
	orgDoc: Y.Doc,
	update: Uint8Array,
	ids: Set<string>
): { repair: Uint8Array; notTaken: NotTaken[] } | null {
	// The server's own change, with a low client id (repair.ts).
	const copy = serverCopy(orgDoc);
	const before = Y.decodeStateVector(Y.encodeStateVector(copy));
	Y.applyUpdate(copy, update);
	const isNew = (item: Y.Item) => item.id.clock >= (before.get(item.id.client) ?? 0);

	const notTaken: NotTaken[] = [];
	let repair: Uint8Array | null = null;
	const onUpdate = (u: Uint8Array) => (repair = u);
	copy.on('update', onUpdate);
	const notes = copy.getMap<Y.Text>(ORG_NOTES) as unknown as Y.AbstractType<unknown>;
	copy.transact((tr) => {
		for (const id of ids) {
			const entry = notes._map.get(id);
			if (!entry || entry.deleted || !(entry.content instanceof Y.ContentType)) continue;
			const all = isNew(entry);
			let any = false;
			for (let item = entry.content.type._start; item; item = item.right) {
				if (item.deleted || !(all || isNew(item))) continue;
				item.delete(tr);
				any = true;
			}
			if (any) notTaken.push({ path: [ORG_NOTES, id], reason: 'withdrawn' });
		}
	});
	copy.off('update', onUpdate);
	copy.destroy();
	if (!repair || notTaken.length === 0) return null;
	return { repair, notTaken };
}
