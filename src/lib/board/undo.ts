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
	const destroy = manager.destroy.bind(manager);
	manager.destroy = () => {
		gesprekken.unobserveDeep(onMarker);
		destroy();
	};
	return manager;
}
