import * as Y from 'yjs';
import { localOrigin } from './common';
import { BOARD_LAYOUT } from './layout';

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
	return new Y.UndoManager(scope, {
		trackedOrigins: new Set([localOrigin(doc)]),
		captureTimeout
	});
}
