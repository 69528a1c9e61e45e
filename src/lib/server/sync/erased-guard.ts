import * as Y from 'yjs';
import { ERASED } from '../../board/erase';
import { gesprekkenMap } from '../../board/gesprekken';
import { TOP_LEVEL, type RecordShape } from '../../board/layout';
import type { NotTaken } from '../../collab/not-taken';
import { UpdateRefusal, type TakenPart } from './hooks';
import { serverCopy } from './repair';
import { validateBoardUpdate, type UpdateAuthor, type UpdateFacts } from './validate';

/**
 * Erased gesprekken stay erased, whatever a device that still holds them sends. An erasure deletes
 * the gesprekken of a household and records their ids in the board's document (ERASED,
 * board/erase.ts). A device that kept one (a tab whose user deleted it before the erasure, or
 * deleted it offline) can bring it back whole with its undo history: Yjs's undo writes a copy of
 * the gesprek, every field and text included, under its old id. Edits to an erased gesprek's
 * fields need no rule: its content is garbage-collected on the server, and Yjs discards what is
 * written into it (validate.ts accepts such structs).
 *
 * Such an update is applied together with a change of the server's own that deletes the gesprek
 * again, in one transaction (as consent-guard.ts takes back personal data): other clients and
 * storage never get its content, and the sender is told (reason 'erased'); its own copy follows
 * the server's deletion. Confidential notes for an erased (or deleted) gesprek:
 * consent-guard-notes.ts.
 */

/** The guarded update with its facts, or null when the update writes no erased gesprek. */
export function guardErased(
	update: Uint8Array,
	doc: Y.Doc,
	facts: UpdateFacts,
	mayRepair: () => boolean,
	layout: Readonly<Record<string, RecordShape>>,
	author?: UpdateAuthor
): (TakenPart & { facts: UpdateFacts }) | null {
	if (facts.gesprekIds.size === 0) return null;
	const erased = erasedIds(doc, facts.gesprekIds);
	if (erased.length === 0) return null;
	if (!mayRepair()) throw new UpdateRefusal('a gesprek the board erased');
	const copy = serverCopy(doc);
	Y.applyUpdate(copy, update);
	let repair: Uint8Array | null = null;
	const onUpdate = (u: Uint8Array) => (repair = u);
	copy.on('update', onUpdate);
	const notTaken: NotTaken[] = [];
	copy.transact(() => {
		const gesprekken = gesprekkenMap(copy);
		for (const id of erased) {
			if (!gesprekken.has(id)) continue;
			gesprekken.delete(id);
			notTaken.push({ path: [TOP_LEVEL.gesprekken, id], reason: 'erased' });
		}
	});
	copy.off('update', onUpdate);
	copy.destroy();
	if (!repair || notTaken.length === 0) return null;
	const merged = Y.mergeUpdates([update, repair]);
	// The merge must still fit the layout (it only deletes whole gesprekken); if not, it is refused.
	return { update: merged, notTaken, facts: validateBoardUpdate(merged, doc, layout, author) };
}

/** Of these gesprek ids, those the board's document records as erased. */
export function erasedIds(board: Y.Doc, ids: Iterable<string>): string[] {
	// Read without creating the top-level type on a board that never erased anything.
	const record = board.share.get(ERASED) as unknown as Y.AbstractType<unknown> | undefined;
	if (!record || record._map.size === 0) return [];
	const out: string[] = [];
	for (const id of ids) {
		const entry = record._map.get(id);
		if (entry && !entry.deleted) out.push(id);
	}
	return out;
}
