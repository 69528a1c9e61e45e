import * as Y from 'yjs';
import type { Db } from '../../src/lib/server/db';
import { withPublicProjection } from '../../src/lib/server/public/projector';
import { approveText } from '../../src/lib/server/public/reviews';
import { postgresHooks } from '../../src/lib/server/sync/postgres-hooks';
import { approveAll, seedPublicStory } from './public-board';

/** An owner approves every public initiatief's text as the document holds it now. */
export async function approveStory(db: Db, doc: Y.Doc, boardId = 'spoorbuurt'): Promise<void> {
	for (const [id, text] of approveAll(doc)) await approveText(db, boardId, id, text, null);
}

/**
 * The story stored on a board as the sync server stores it, its initiatieven approved, with its
 * public projection.
 */
export async function storePublicStory(db: Db, boardId = 'spoorbuurt'): Promise<void> {
	const hooks = withPublicProjection(postgresHooks(db), db, { debounceMs: 10, log: () => {} });
	const doc = new Y.Doc();
	seedPublicStory(doc);
	await approveStory(db, doc, boardId);
	await hooks.onStoreDocument(boardId, Y.encodeStateAsUpdate(doc), doc);
	await hooks.drain();
	doc.destroy();
}
