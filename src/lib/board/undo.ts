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
	const destroy = manager.destroy.bind(manager);
	manager.destroy = () => {
		gesprekken.unobserveDeep(onMarker);
		for (const map of scope) map.unobserve(onAdded);
		destroy();
	};
	return manager;
}
