import * as Y from 'yjs';
import { gesprekkenMap } from './gesprekken';
import { initiatievenMap } from './initiatieven';
import { TOP_LEVEL } from './layout';

/**
 * Erasure (consent withdrawn) and retention in a board's document. These run on the server inside
 * SyncServer.withDocument, which stores the result and compacts the stored log: only then is the
 * removed content gone from storage as well (Yjs garbage-collects deleted content in the live
 * document; the compacted state no longer holds it).
 */

/**
 * The board's record of erased gesprekken: a top-level map of the board's document from gesprek id
 * to `true`, written by the server in the same transaction as the erasure, never by a client (the
 * sync server refuses every client write into a top-level type outside the layout). It holds no
 * personal data (random ids of gesprekken that are gone) and travels with the document, so every
 * process and every device learns it with the erasure itself: the server takes no gesprek back
 * under an erased id (a device's undo of its own deletion, server/sync/erased-guard.ts) nor
 * confidential notes for it, and a device that reconnects drops what it still kept of them
 * (forgetHistoryOnRemoteRemoval, collab/offline.ts).
 */
export const ERASED = 'erased';

export function erasedMap(doc: Y.Doc): Y.Map<boolean> {
	return doc.getMap<boolean>(ERASED);
}

/** Whether the board erased this gesprek. */
export function isErased(doc: Y.Doc, gesprekId: string): boolean {
	return erasedMap(doc).has(gesprekId);
}

export interface ErasedHousehold {
	/** Ids of the removed gesprekken (for their confidential notes in organisation documents). */
	gesprekIds: string[];
	pins: number;
	/** Initiatieven that no longer list the address as involved. */
	initiatieven: number;
}

/**
 * Removes everything the board holds about the household at `addressId`: its gesprekken (notes,
 * outcomes, lists, follow-ups, names, consent record), the pins at that address, and the address
 * from the involved addresses of initiatieven. An initiatief placed at the address keeps its place
 * (the address itself is not personal data); it is about the neighbourhood, not the household.
 * Run it inside one transaction (withDocument does).
 */
export function eraseHousehold(
	doc: Y.Doc,
	addressId: string,
	/** Gesprekken of the household deleted earlier (the item history knows them): recorded too. */
	deletedEarlier: Iterable<string> = []
): ErasedHousehold {
	const result: ErasedHousehold = { gesprekIds: [], pins: 0, initiatieven: 0 };
	doc.transact(() => {
		const gesprekken = gesprekkenMap(doc);
		const erased = erasedMap(doc);
		for (const [id, fields] of [...gesprekken.entries()]) {
			if (fields instanceof Y.Map && fields.get('addressId') === addressId) {
				gesprekken.delete(id);
				result.gesprekIds.push(id);
			}
		}
		for (const id of [...result.gesprekIds, ...deletedEarlier]) {
			if (!erased.has(id)) erased.set(id, true);
		}
		const pins = doc.getMap<unknown>(TOP_LEVEL.pins);
		for (const [id, fields] of [...pins.entries()]) {
			if (fields instanceof Y.Map && fields.get('addressId') === addressId) {
				pins.delete(id);
				result.pins++;
			}
		}
		for (const fields of initiatievenMap(doc).values()) {
			const involved = fields instanceof Y.Map ? fields.get('addressIds') : undefined;
			if (!(involved instanceof Y.Array)) continue;
			const items = involved.toArray();
			let changed = false;
			for (let i = items.length - 1; i >= 0; i--) {
				if (items[i] === addressId) {
					involved.delete(i, 1);
					changed = true;
				}
			}
			if (changed) result.initiatieven++;
		}
	});
	return result;
}

/**
 * Retention: removes the private content of every gesprek (the free-text notes, talents, wishes,
 * worries, follow-ups, the names of who held the gesprek and who recorded consent), keeping what
 * the board counts: that a gesprek took place at an address, when, in which round, its outcome and
 * themes. Returns how many gesprekken held private content.
 */
export function purgePrivateContent(doc: Y.Doc): number {
	let purged = 0;
	doc.transact(() => {
		for (const fields of gesprekkenMap(doc).values()) {
			if (!(fields instanceof Y.Map)) continue;
			let had = false;
			const notes = fields.get('notes');
			if (notes instanceof Y.Text && notes.length > 0) {
				notes.delete(0, notes.length);
				had = true;
			}
			for (const key of ['talents', 'wishes', 'worries', 'followUps']) {
				const list = fields.get(key);
				if (list instanceof Y.Array && list.length > 0) {
					list.delete(0, list.length);
					had = true;
				}
			}
			// heldBy must stay non-empty (see GESPREK_SHAPE); a dash says "removed".
			if (typeof fields.get('heldBy') === 'string' && fields.get('heldBy') !== REMOVED_NAME) {
				fields.set('heldBy', REMOVED_NAME);
				had = true;
			}
			const consent = fields.get('consent');
			if (consent instanceof Y.Map && consent.get('recordedBy') !== null) {
				consent.set('recordedBy', null);
				had = true;
			}
			if (had) purged++;
		}
	});
	return purged;
}

/** What a purged gesprek shows as the name of who held it. */
export const REMOVED_NAME = '–';

/**
 * A browser's undo history keeps the content its user deleted, and Yjs then keeps the whole entity
 * that content belongs to (also after someone else removed it), so that undo can restore it. When
 * someone else removes a gesprek or a pin (an owner erasing a household, or a colleague deleting
 * one), this tab's undo history is dropped before Yjs collects deleted content, so nothing of it
 * stays in this tab's memory. Returns the unsubscribe.
 */
export function forgetHistoryOnRemoteRemoval(
	doc: Y.Doc,
	undo: Y.UndoManager,
	localOrigin: unknown
): () => void {
	const watched = [TOP_LEVEL.gesprekken, TOP_LEVEL.pins].map((name) => doc.getMap<unknown>(name));
	const record = erasedMap(doc);
	// afterTransaction runs before the transaction's garbage collection.
	const handler = (transaction: Y.Transaction) => {
		// This tab's own undo/redo runs with the undo manager as origin: not a remote removal.
		if (transaction.origin === localOrigin || transaction.origin === undo) return;
		// An erasure (its record grew): also a gesprek this tab had deleted itself before (offline,
		// or before the erasure) goes from the history, and its content from memory, which the
		// history kept from Yjs's garbage collection when the tab deleted it.
		if ((transaction.changed as Map<unknown, unknown>).has(record)) {
			undo.clear();
			queueMicrotask(() => collectDeleted(doc));
			return;
		}
		if (!undo.canUndo() && !undo.canRedo()) return;
		for (const map of watched) {
			const keys = (transaction.changed as Map<unknown, Set<string | null>>).get(map);
			if (keys && [...keys].some((key) => key !== null && !map.has(key))) {
				undo.clear();
				return;
			}
		}
	};
	doc.on('afterTransaction', handler);
	return () => doc.off('afterTransaction', handler);
}

/**
 * Garbage-collects every deleted item of the document that nothing keeps any more (content an undo
 * history kept from the collection when it was deleted): Yjs itself collects only what the
 * transaction at hand deleted.
 */
export function collectDeleted(doc: Y.Doc): void {
	if (!doc.gc || doc.isDestroyed) return;
	Y.tryGc(Y.createDeleteSetFromStructStore(doc.store), doc.store, doc.gcFilter);
}
