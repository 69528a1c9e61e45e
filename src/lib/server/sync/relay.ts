import type { SessionEnd } from '../auth/session-events';
import type { BoardRole } from '../access';
import type { ServerPart } from '../../collab/register-changed';
import type { Room } from './room';

/**
 * The seam for several server processes serving the same boards (REDIS_URL, redis-relay.ts).
 * Without a relay the sync server is one process, as before. With one:
 *
 * - a loaded room is followed on the other processes (`follow`): document updates and presence
 *   changes made here are published, theirs are applied here (and reach this process's clients);
 * - access changes, ended sessions and compactions after a server-side change (erasure, retention)
 *   are published (`publish`) and carried out by every process (`RelayTarget`).
 */
export interface SyncRelay {
	/**
	 * Starts following a room just loaded from storage: subscribes, then catches up with what the
	 * other processes hold that storage does not yet (bounded in time). Resolves when done.
	 */
	follow(name: string, room: Room): Promise<void>;
	/** Stops following a room (unloaded or shutting down). */
	unfollow(name: string): Promise<void>;
	publish(event: RelayEvent): void;
	/** Starts delivering other processes' events to `target`. */
	start(target: RelayTarget): Promise<void>;
	close(): Promise<void>;
}

export type RelayEvent =
	/** A member's role on a board changed (null: removed). */
	| { type: 'reauthorize'; boardId: string; userId: string; role: BoardRole | null }
	/** All of a user's connections on every board close (signed out everywhere, account removed). */
	| { type: 'disconnect-user'; userId: string }
	/** A session ended (sign-out, replaced, expired). */
	| { type: 'session-ended'; end: SessionEnd }
	/** A document was changed by the server and compacted: every process holding it compacts too. */
	| { type: 'compact'; name: string }
	/** A board's address register changed (an import): its open pages fetch it again. */
	| { type: 'register-changed'; boardId: string; part?: ServerPart };

/** What the relay does in this process for another process's event. */
export interface RelayTarget {
	reauthorize(
		boardId: string,
		userId: string,
		role: BoardRole | null,
		options: { relayed: true }
	): Promise<number>;
	disconnectUser(userId: string, options: { relayed: true }): Promise<number>;
	endSessions(end: SessionEnd): number;
	/** Stores what is pending for a loaded document and replaces its stored log by its state. */
	compactLoaded(name: string): Promise<void>;
	registerChanged(boardId: string, options: { relayed: true; part?: ServerPart }): Promise<number>;
}

/** The transaction origin of document updates and presence changes from another process. */
export const RELAY_ORIGIN = Symbol('buurtbord-relay');
