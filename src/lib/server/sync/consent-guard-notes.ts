import * as Y from 'yjs';
import { gesprekkenMap, withdrawnNow } from '../../board/gesprekken';
import type { RecordShape } from '../../board/layout';
import { ORG_NOTES } from '../../board/org-notes';
import type { NotTaken, NotTakenReason } from '../../collab/not-taken';
import { erasedIds } from './erased-guard';
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
 * A gesprek the board deleted or erased still has its key there (Yjs keeps a deleted map entry's
 * key): no new text is taken into its notes (reason 'erased' for a gesprek the board's record of
 * erasures names, board/erase.ts, else 'deleted'), so a device that was offline during the erasure
 * cannot store its notes again; the organisation's own notes on a deleted gesprek stay until an
 * erasure, and deleting them stays possible.
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
	const withdrawn = refusedGesprekken(board, facts.orgNotes);
	if (withdrawn.size === 0) return null;
	if (!mayRepair()) {
		throw new UpdateRefusal(
			'confidential notes for a household that withdrew its consent, or a removed gesprek'
		);
	}
	const back = takeBackNotes(orgDoc, update, withdrawn);
	if (!back) return null;
	const merged = Y.mergeUpdates([update, back.repair]);
	validateBoardUpdate(merged, orgDoc, layout);
	return { update: merged, notTaken: back.notTaken };
}

/**
 * Of these gesprek ids, those whose notes take no new text, with why: the board erased the gesprek
 * or deleted it, or its household withdrew its consent in the board's document.
 */
function refusedGesprekken(board: Y.Doc, ids: Iterable<string>): Map<string, NotTakenReason> {
	const out = new Map<string, NotTakenReason>();
	const erased = new Set(erasedIds(board, ids));
	const known = (gesprekkenMap(board) as unknown as Y.AbstractType<unknown>)._map;
	const withdrawn = withdrawnNow(board);
	const gesprekken = gesprekkenMap(board);
	for (const id of ids) {
		if (erased.has(id)) out.set(id, 'erased');
		else if (known.get(id)?.deleted) out.set(id, 'deleted');
		else if (withdrawn.size > 0) {
			const address: unknown = gesprekken.get(id)?.get('addressId');
			if (typeof address === 'string' && withdrawn.has(address)) out.set(id, 'withdrawn');
		}
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
	/** The gesprek ids, each with why its notes take no new text. */
	ids: Map<string, NotTakenReason>
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
		for (const [id, reason] of ids) {
			const entry = notes._map.get(id);
			if (!entry || entry.deleted || !(entry.content instanceof Y.ContentType)) continue;
			const all = isNew(entry);
			let any = false;
			for (let item = entry.content.type._start; item; item = item.right) {
				if (item.deleted || !(all || isNew(item))) continue;
				item.delete(tr);
				any = true;
			}
			if (any) notTaken.push({ path: [ORG_NOTES, id], reason });
		}
	});
	copy.off('update', onUpdate);
	copy.destroy();
	if (!repair || notTaken.length === 0) return null;
	return { repair, notTaken };
}
