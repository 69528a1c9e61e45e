import * as Y from 'yjs';
import { openDb, type Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { withPublicProjection } from '../../src/lib/server/public/projector';
import { approveText } from '../../src/lib/server/public/reviews';
import { postgresHooks } from '../../src/lib/server/sync/postgres-hooks';
import { freshDatabase } from './drivers';
import { approveAll, seedPublicStory } from './public-board';
import { startServer, type ServerProcess } from './server-process';

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

/**
 * A fresh PostgreSQL database with the demo board and its public story stored, and the real
 * server on it: the public pages' own tests. `close` stops the server and the connection.
 */
export async function publicStoryServer(): Promise<{
	db: Db;
	server: ServerProcess;
	close: () => Promise<void>;
}> {
	const target = await freshDatabase('postgres');
	const db = await openDb({ databaseUrl: target.databaseUrl, dataDir: '' });
	await ensureDemoBoard(db);
	await storePublicStory(db);
	const server = await startServer({ databaseUrl: target.databaseUrl });
	return {
		db,
		server,
		close: async () => {
			await server.stop('SIGKILL');
			await db.close();
		}
	};
}
