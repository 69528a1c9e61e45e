import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import type { NotTaken } from '../../collab/not-taken';

/** Who is connecting and what they may do; returned by `onAuthenticate`. */
export interface SyncContext {
	/** Read-only connections receive the document and presence, but their document updates are dropped. */
	readOnly: boolean;
	/** The signed-in user of this connection (absent only in tests that run the server without accounts). */
	userId?: string;
	organisationId?: string | null;
	/** The session the connection was opened with (see ResolvedUser.sessionId), to close it when that ends. */
	sessionId?: string;
	/** When the connection's credentials expire (ms since the epoch): they are checked again then. */
	expiresAt?: number;
	/**
	 * Checks the upgrade request's credentials again (at expiry and periodically): the new expiry,
	 * or null when the session is gone, so the connection is closed with CLOSE_SIGNED_OUT.
	 */
	revalidate?: () => Promise<{ expiresAt?: number; access?: 'none' | 'read' | 'write' } | null>;
	/** Shown to others with this connection's presence (stamped by the server, see presence.ts). */
	userName?: string;
	organisationName?: string | null;
}

/** Why an upgrade is refused; becomes the HTTP status of the refused upgrade. */
export class SyncRefusal extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 404 | 413 | 429 | 503,
		message: string
	) {
		super(message);
	}
}

/**
 * Why a client's document update is refused (see validate.ts). The update is not applied, so it
 * reaches neither other clients nor storage; the sender's socket is closed with code 4422
 * (CLOSE_INVALID_UPDATE) and this message as the close reason.
 */
export class UpdateRefusal extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UpdateRefusal';
	}
}

/**
 * A client's update names something that another document has not received yet (confidential
 * notes for a gesprek still on its way over the board's socket: consent-guard-notes.ts). Nothing of
 * it is applied now: the room keeps it with its connection (bounded like updates waiting for
 * missing parts) and checks it again when that other document changed and `ready` says so. It is
 * dropped with the connection; the client, which still holds it, sends it again on reconnecting.
 */
export class UpdateWaits extends Error {
	constructor(
		message: string,
		readonly ready: () => boolean
	) {
		super(message);
		this.name = 'UpdateWaits';
	}
}

/**
 * A client's update as Y.decodeUpdate gives it: decoded once by the room (for the client-id check)
 * and handed to the update check, which would otherwise decode it again.
 */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** The valid part of a client's update: applied instead of it; `notTaken` goes to the sender. */
export interface TakenPart {
	update: Uint8Array;
	notTaken: NotTaken[];
}

/**
 * The sync server's extension points, named after Hocuspocus's hooks so that moving to it later
 * stays a small step.
 */
export interface SyncHooks {
	/** Runs before the websocket upgrade. Throw a SyncRefusal to refuse; nothing is sent before. */
	onAuthenticate(request: IncomingMessage, boardId: string): Promise<SyncContext>;
	/** Fills a fresh document with the board's stored state. Throw SyncRefusal(404) for an unknown board. */
	onLoadDocument(boardId: string, doc: Y.Doc): Promise<void>;
	/** Stores one (merged) update of a board; `doc` already holds it. */
	onStoreDocument(boardId: string, update: Uint8Array, doc: Y.Doc): Promise<void>;
	/**
	 * Runs before a client's update (sync step 2 or update message) is applied to `doc`, which does
	 * not hold it yet. Throw an UpdateRefusal to refuse it. It must decode the whole update and
	 * throw on one it cannot read (as `validateBoardUpdate` does): the room then applies it without
	 * decoding it a second time, and a garbled update must never be half-applied. Instead of
	 * refusing, it may return the update's valid part (a TakenPart): the room applies that and
	 * tells the sender what was not taken. Or it may throw UpdateWaits: the update is kept back until
	 * another document (the board's, for an organisation's) has what it names.
	 */
	onBeforeApply?(
		boardId: string,
		update: Uint8Array,
		doc: Y.Doc,
		/** Whether this connection may have a refused update repaired now (it costs a document copy). */
		mayRepair?: () => boolean,
		/** Whose update it is (the connection's context): a gesprek's marker is its organisation's only. */
		sender?: SyncContext,
		/**
		 * For an organisation's document (`<board>/org/<org>`): its board's shared document, loaded
		 * as long as the organisation's is (the consent of its households, consent-guard-notes.ts).
		 */
		board?: Y.Doc,
		/** `update` decoded (Y.decodeUpdate), when the caller has it: the check does not decode it again. */
		decoded?: DecodedUpdate
	): TakenPart | void;
	/**
	 * Runs after a client's update was applied, inside Yjs's afterTransaction: read what the
	 * transaction changed now (it is not valid later) and do any slow work (storage) asynchronously.
	 * Used for the audit log ('gesprek.change'). Must not throw.
	 */
	onChange?(boardId: string, context: SyncContext, transaction: Y.Transaction): void;
	/**
	 * Replaces the stored log of a document by its current state, now (after a server-side change
	 * such as an erasure, so that no stored update still holds deleted content). Must reject on failure.
	 */
	onCompactDocument?(boardId: string, doc: Y.Doc): Promise<void>;
	/** Runs after the last client left and its updates were stored, before `doc` is destroyed. */
	onDocumentUnloaded?(boardId: string, doc: Y.Doc): Promise<void>;
}
