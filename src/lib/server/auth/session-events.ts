/**
 * "A session ended": sign-out, a sign-in that replaces the browser's previous session, expiry found
 * on use, or every session of a user (password changed, account removed: invalidateAllForUser).
 * The sync server listens and closes that session's sockets with CLOSE_SIGNED_OUT
 * (SyncServer.endSessions). Later, with several server processes, a relay (Redis pub/sub) publishes
 * these events and calls SyncServer.endSessions in every other process.
 *
 * The listeners live on globalThis: the SvelteKit bundle (which signs people out) and the server
 * entry (which owns the sync server) are separate module graphs in one process.
 */
export type SessionEnd =
	/** One session: the SHA-256 of a built-in session token, or a Supabase access token's session_id. */
	| { sessionId: string }
	/** Every session of this user. */
	| { userId: string };

type Listener = (end: SessionEnd) => void;

const KEY = Symbol.for('buurtbord.session-ended');
type WithListeners = typeof globalThis & { [KEY]?: Set<Listener> };

function listeners(): Set<Listener> {
	const g = globalThis as WithListeners;
	return (g[KEY] ??= new Set());
}

/** Subscribes to ended sessions; returns the unsubscribe function. */
export function onSessionEnded(listener: Listener): () => void {
	listeners().add(listener);
	return () => listeners().delete(listener);
}

/** Tells every listener that a session (or all of a user's sessions) ended. Never throws. */
export function emitSessionEnded(end: SessionEnd): void {
	for (const listener of listeners()) {
		try {
			listener(end);
		} catch (err) {
			console.error(`[buurtbord] session end listener failed: ${(err as Error).name}`);
		}
	}
}
