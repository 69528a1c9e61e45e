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
export function undoOwn(
	manager: Y.UndoManager,
	/** Told which entities the undo changed (the board's undo covers all of one's own changes). */
	onUndone?: (entities: UndoneEntity[]) => void
): UndoResult {
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
	let entities: UndoneEntity[] = [];
	const popped = (event: StackItemEvent) => {
		entities = entitiesOf(manager.doc, event.changedParentTypes);
	};
	manager.on('stack-item-popped', popped);
	try {
		if (!manager.undo()) return 'nothing';
	} finally {
		manager.off('stack-item-popped', popped);
	}
	onUndone?.(entities);
	return 'undone';
}

/** An entity an undo changed: its top-level map (`gesprekken`, …) and id. */
export interface UndoneEntity {
	kind: string;
	id: string;
}

/** The entities (children of the board's top-level maps) that the changed types belong to. */
/** What Y.UndoManager tells with 'stack-item-popped' (its own type is not exported). */
type StackItemEvent = Extract<
	Parameters<Parameters<Y.UndoManager['on']>[1]>[0],
	{ changedParentTypes: unknown }
>;
type ChangedTypes = StackItemEvent['changedParentTypes'];
type AnyType = ChangedTypes extends Map<infer T, unknown> ? T : never;

function entitiesOf(doc: Y.Doc, changed: ChangedTypes): UndoneEntity[] {
	const tops = new Map<unknown, string>(
		Object.keys(BOARD_LAYOUT).map((name) => [doc.getMap(name), name])
	);
	const found = new Map<string, UndoneEntity>();
	const add = (kind: string, id: string) => found.set(`${kind}/${id}`, { kind, id });
	for (const [type, events] of changed) {
		const top = tops.get(type);
		if (top) {
			// An entity added or removed as a whole (the map's own events; the others are its
			// descendants', listed with every parent).
			for (const event of events) {
				if (event.target !== type || !(event instanceof Y.YMapEvent)) continue;
				for (const key of event.keysChanged) add(top, key);
			}
			continue;
		}
		let t: AnyType = type;
		while (t._item && !tops.has(t._item.parent)) t = t._item.parent as AnyType;
		const item = t._item;
		if (item?.parentSub) add(tops.get(item.parent)!, item.parentSub);
	}
	return [...found.values()];
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
