import * as Y from 'yjs';
import { localOrigin } from './common';
import { BOARD_LAYOUT, TOP_LEVEL } from './layout';

/**
 * Undo/redo for one user: a Y.UndoManager over every top-level map of the board that tracks only
 * this tab's own origin (`localOrigin(doc)`, used by all commands). Undo reverts one's own last
 * change and leaves what others did meanwhile in place. Add an editor binding's origin with
 * `manager.addTrackedOrigin(binding)` when text is typed through one.
 */
export function createUndoManager(
	doc: Y.Doc,
	{ captureTimeout = 500 }: { captureTimeout?: number } = {}
): Y.UndoManager {
	const scope = Object.keys(BOARD_LAYOUT).map((name) => doc.getMap(name));
	const manager = new Y.UndoManager(scope, {
		trackedOrigins: new Set([localOrigin(doc)]),
		captureTimeout
	});
	// When a gesprek's notes become confidential (here or on another device), undoing an earlier
	// edit of its shared notes would put text back into the shared document: the history goes.
	const gesprekken = doc.getMap(TOP_LEVEL.gesprekken);
	const onMarker = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		const marked = events.some(
			(e) =>
				e.target.parent === gesprekken &&
				e instanceof Y.YMapEvent &&
				e.keysChanged.has('confidential')
		);
		if (marked) queueMicrotask(() => manager.clear());
	};
	gesprekken.observeDeep(onMarker);
	// A new entity is an undo step of its own: a field changed right after it was made (within
	// the capture timeout) is undone on its own, and never takes the whole entity with it.
	const origin = localOrigin(doc);
	const onAdded = (event: Y.YMapEvent<unknown>) => {
		if (event.transaction.origin !== origin) return;
		for (const change of event.changes.keys.values()) {
			if (change.action !== 'add') continue;
			// After the UndoManager has taken this transaction (it does so after the observers).
			queueMicrotask(() => manager.stopCapturing());
			return;
		}
	};
	for (const map of scope) map.observe(onAdded);
	// A step someone else has overwritten meanwhile is marked (see undoOwn).
	const onOthers = (transaction: Y.Transaction) => {
		if (manager.trackedOrigins.has(transaction.origin)) return;
		if (transaction.deleteSet.clients.size === 0) return;
		for (const item of manager.undoStack) {
			if (item.meta.get(SUPERSEDED)) continue;
			if (touches(transaction.deleteSet, item.insertions) && allDeleted(doc, item.insertions)) {
				item.meta.set(SUPERSEDED, true);
			}
		}
	};
	doc.on('afterTransaction', onOthers);
	const destroy = manager.destroy.bind(manager);
	manager.destroy = () => {
		gesprekken.unobserveDeep(onMarker);
		for (const map of scope) map.unobserve(onAdded);
		doc.off('afterTransaction', onOthers);
		destroy();
	};
	return manager;
}

const SUPERSEDED = 'buurtbord:superseded';

type DeleteSet = Y.Transaction['deleteSet'];

/** What an undo did: undid one's last step, found it overwritten by someone else, or nothing. */
export type UndoResult = 'undone' | 'superseded' | 'nothing';

/**
 * Undoes one's own last step. A step whose every change someone else has since overwritten (A
 * set an outcome, B set another) has nothing left to undo; Yjs would then go on to the step
 * before it (deleting the gesprek A made, or turning back an unrelated initiatief), so that step
 * is dropped instead and the caller tells the user.
 */
export function undoOwn(manager: Y.UndoManager): UndoResult {
	const top = manager.undoStack.at(-1);
	if (!top) return 'nothing';
	if (top.meta.get(SUPERSEDED)) {
		manager.undoStack.pop();
		manager.emit('stack-item-popped', [
			{ stackItem: top, origin: null, type: 'undo', changedParentTypes: new Map() },
			manager
		]);
		return 'superseded';
	}
	return manager.undo() ? 'undone' : 'nothing';
}

/** Whether two delete sets (as id ranges) share an id. */
function touches(a: DeleteSet, b: DeleteSet): boolean {
	for (const [client, ranges] of b.clients) {
		const other = a.clients.get(client);
		if (!other) continue;
		for (const r of ranges) {
			for (const o of other) {
				if (o.clock < r.clock + r.len && r.clock < o.clock + o.len) return true;
			}
		}
	}
	return false;
}

/** Whether every struct in the ranges is deleted now. */
function allDeleted(doc: Y.Doc, ranges: DeleteSet): boolean {
	for (const [client, list] of ranges.clients) {
		for (const { clock, len } of list) {
			for (let c = clock; c < clock + len;) {
				const struct = Y.getItem(doc.store, Y.createID(client, c)) as Y.Item | Y.GC;
				if (!struct.deleted) return false;
				c = struct.id.clock + struct.length;
			}
		}
	}
	return true;
}
