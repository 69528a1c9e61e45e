import * as Y from 'yjs';
import type { Db } from '../../src/lib/server/db';
import { withPublicProjection } from '../../src/lib/server/public/projector';
import { postgresHooks } from '../../src/lib/server/sync/postgres-hooks';
import { seedPublicStory } from './public-board';

/** The story stored on a board as the sync server stores it, with its public projection. */
export async function storePublicStory(db: Db, boardId = 'spoorbuurt'): Promise<void> {
	const hooks = withPublicProjection(postgresHooks(db), db, { debounceMs: 10, log: () => {} });
	const doc = new Y.Doc();
	seedPublicStory(doc);
	await hooks.onStoreDocument(boardId, Y.encodeStateAsUpdate(doc), doc);
	await hooks.drain();
	doc.destroy();
}
