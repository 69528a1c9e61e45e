import type * as Y from 'yjs';
import type { ServerPart } from '../collab/register-changed';
import type { BoardRole } from './access';
import type { AuthResolver } from './auth/resolve';
import type { SessionEnd } from './auth/session-events';
import type { ServerConfig } from './config';
import type { Db } from './db';

/**
 * The process-wide services, created once by the Node entry (server/index.ts) or the Vite dev
 * plugin and shared with SvelteKit's request handling. They live on globalThis because the
 * SvelteKit bundle and the entry are separate module graphs in one process: a second PGlite on
 * the same data folder would corrupt it.
 */
export interface Runtime {
	db: Db;
	config: ServerConfig;
	auth: AuthResolver;
	/** The live sync connections, so that membership changes reach open sockets at once. */
	sync: {
		reauthorize(boardId: string, userId: string, role: BoardRole | null): Promise<number>;
		disconnectUser(userId: string): Promise<number>;
		/** Closes the sockets of an ended session, or of all a user's sessions (4401). */
		endSessions(end: SessionEnd): number;
		/** A board's address register changed: its open pages fetch it again. */
		registerChanged(boardId: string, options?: { part?: ServerPart }): Promise<number>;
		/** Reads a document as it is live now (see SyncServer.readDocument). */
		readDocument<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T>;
		/** Changes a document on the server, stores and compacts it (see SyncServer.withDocument). */
		withDocument<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T>;
		/** The names of the documents loaded in this process now (see SyncServer.loadedDocuments). */
		loadedDocuments?(): string[];
	};
}

const KEY = Symbol.for('buurtbord.runtime');
type WithRuntime = typeof globalThis & { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
	(globalThis as WithRuntime)[KEY] = runtime;
}

export function getRuntime(): Runtime {
	const runtime = (globalThis as WithRuntime)[KEY];
	if (!runtime)
		throw new Error('Buurtbord runtime not started (run through server/index.ts or vite dev)');
	return runtime;
}
