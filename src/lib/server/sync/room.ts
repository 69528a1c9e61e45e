import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { CLOSE_INVALID_UPDATE } from '../../board/layout';
import { encodeAccessChanged, type SyncAccess } from '../../collab/access-changed';
import { encodeNotTaken } from '../../collab/not-taken';
import { encodeRegisterChanged, type ServerPart } from '../../collab/register-changed';
import { MESSAGE_STORED } from '../../collab/stored';
import {
	UpdateRefusal,
	UpdateWaits,
	type DecodedUpdate,
	type SyncContext,
	type TakenPart
} from './hooks';
import {
	CLOSE_HANDSHAKE_TIMEOUT,
	CLOSE_PENDING_TOO_LARGE,
	CLOSE_SLOW_CONSUMER,
	CLOSE_TOO_MANY_REQUESTS,
	CLOSE_BUSY,
	DEFAULT_LIMITS,
	LimitExceeded,
	IncomingBudget,
	RequestBucket,
	closeReason,
	type ConnectionLimits
} from './limits';
import { DebouncedWriter } from './persistence';
import { RoomPresence } from './presence';
import { StoredAnswers } from './stored-answers';

/** y-websocket message types. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * Close codes the client sees: 4400 = we could not read your message; 4422 = your document
 * update breaks the board's model and was refused (the close reason says why).
 */
export const CLOSE_BAD_MESSAGE = 4400;
/** The user lost access (removed from the board or signed out everywhere). */
export const CLOSE_ACCESS_REVOKED = 4403;
export { CLOSE_INVALID_UPDATE };

interface Connection {
	ws: WebSocket;
	context: SyncContext;
	/** Closes the socket unless it sends a sync message in time; cleared by the first one. */
	handshake: ReturnType<typeof setTimeout> | undefined;
	syncRequests: RequestBucket;
	/** Taking the valid part of a refused update copies the whole document: bounded like sync requests. */
	repairs: RequestBucket;
	/** Each presence query is answered with everyone's presence: bounded like sync requests. */
	presenceQueries: RequestBucket;
	/** What this user may send on this board, shared by all their sockets here. */
	budget: IncomingBudget;
	/** Set by the first sync request: from then on the connection receives document updates. */
	synced: boolean;
	/**
	 * This connection's updates that wait for missing parts (V1), kept here rather than in the
	 * shared document so that they are bounded, counted per connection and dropped with it.
	 * `missing`: per client, the clock of a struct they need (they are tried again once it arrived).
	 */
	pending: {
		parts: Uint8Array[];
		bytes: number;
		missing: Map<number, number>;
		/** Updates kept back for another document (UpdateWaits): worth a try once one says ready. */
		waits: (() => boolean)[];
	} | null;
	/**
	 * The access the connection's page was made for (`?access=` of the socket URL), if it said: it
	 * is told whenever its actual access differs (access-changed.ts).
	 */
	expects: SyncAccess | null;
}

/**
 * One board's live document with its connections and its persistence. All per-board sync state
 * lives here, behind SyncServer's room map: the seam for running several server processes later.
 */
export class Room {
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	/** Who may announce what, stamped with whom, how often (presence.ts). */
	readonly presence = new RoomPresence(this.awareness);
	private readonly connections = new Map<WebSocket, Connection>();
	/** The pages' questions what is stored (collab/stored.ts). */
	private readonly stored: StoredAnswers;
	/** A change of the document: to storage and to every synced connection. */
	private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
		this.wholeAnswer = undefined;
		this.writer.push(update);
		const message = encoding.createEncoder();
		encoding.writeVarUint(message, MESSAGE_SYNC);
		syncProtocol.writeUpdate(message, update);
		// Not back to a connection whose update was applied as it sent it: that client has all of
		// it already (one write less per edit). A client whose update was taken in part gets it back:
		// the server's own changes in it are what that client has not seen.
		this.broadcast(
			encoding.toUint8Array(message),
			true,
			origin === this.appliedAsSent ? origin : undefined
		);
	};
	/** The connection whose update is being applied exactly as it sent it (see onUpdate). */
	private appliedAsSent: WebSocket | undefined;

	/**
	 * Applies the stored state: it is neither written back nor sent (no client has the document
	 * yet). The update listener is off meanwhile, so Yjs does not even encode the loaded state as
	 * one update (~70 ms for a board of 20,000 addresses).
	 */
	async load(apply: (doc: Y.Doc) => Promise<void>): Promise<void> {
		this.doc.off('update', this.onUpdate);
		try {
			await apply(this.doc);
		} finally {
			this.doc.on('update', this.onUpdate);
		}
	}
	/** The largest whole-document answer (sync step 2) sent so far: slow consumers get this much extra room. */
	private largestAnswer = 0;
	/**
	 * The answer to a client that has nothing yet (an empty state vector: a new device or browser),
	 * encoded once per document state: every new client of a large board would otherwise encode the
	 * whole document again. Dropped at the next update.
	 */
	private wholeAnswer: Uint8Array | undefined;
	limits: Readonly<ConnectionLimits> = DEFAULT_LIMITS;
	/** Unsent bytes of every connection of the process (set by the server; 0 when alone). */
	queuedInProcess: () => number = () => 0;
	log: (message: string) => void = (message) => console.log(`[sync] ${message}`);

	constructor(
		readonly boardId: string,
		readonly writer: DebouncedWriter,
		/** Checks a client's update before it is applied; throws UpdateRefusal to refuse it. */
		private readonly beforeApply?: (
			update: Uint8Array,
			doc: Y.Doc,
			mayRepair: () => boolean,
			sender: SyncContext,
			/** `update` decoded (Y.decodeUpdate), so that the check does not decode it again. */
			decoded?: DecodedUpdate
		) => TakenPart | void,
		/** Told what a client's applied update changed, and whose connection sent it (audit log). */
		afterApply?: (context: SyncContext, transaction: Y.Transaction) => void
	) {
		// The server holds no presence of its own.
		this.awareness.setLocalState(null);
		this.stored = new StoredAnswers(this.doc, writer, (ws, message) => this.send(ws, message));
		if (afterApply) {
			// Client updates are applied with their socket as the origin (applyFrom).
			this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
				const conn = this.connections.get(transaction.origin as WebSocket);
				if (conn) afterApply(conn.context, transaction);
			});
		}
		this.doc.on('update', this.onUpdate);
		this.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
				const changed = [...added, ...updated, ...removed];
				const message = encoding.createEncoder();
				encoding.writeVarUint(message, MESSAGE_AWARENESS);
				encoding.writeVarUint8Array(
					message,
					awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)
				);
				this.broadcast(encoding.toUint8Array(message));
			}
		);
	}

	get size(): number {
		return this.connections.size;
	}

	join(ws: WebSocket, context: SyncContext, expects: SyncAccess | null = null): void {
		const conn: Connection = {
			ws,
			context,
			handshake: setTimeout(
				() => this.close(conn, CLOSE_HANDSHAKE_TIMEOUT, 'no sync request in time'),
				this.limits.handshakeMs
			),
			syncRequests: new RequestBucket(
				this.limits.syncRequestBurst,
				this.limits.syncRequestRefillMs
			),
			repairs: new RequestBucket(this.limits.syncRequestBurst, this.limits.syncRequestRefillMs),
			presenceQueries: new RequestBucket(
				this.limits.syncRequestBurst,
				this.limits.syncRequestRefillMs
			),
			budget: this.budgetOf(context.userId),
			synced: false,
			pending: null,
			expects
		};
		conn.handshake!.unref();
		this.connections.set(ws, conn);
		// Start the sync: our state vector (step 1), then the presence of everyone else.
		const step1 = encoding.createEncoder();
		encoding.writeVarUint(step1, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(step1, this.doc);
		this.send(ws, encoding.toUint8Array(step1));
		// The page was made for another role than the one this connection has (changed meanwhile).
		const access: SyncAccess = context.readOnly ? 'read' : 'write';
		if (expects && expects !== access) this.send(ws, encodeAccessChanged(access));
		const states = this.awareness.getStates();
		if (states.size > 0) {
			const message = encoding.createEncoder();
			encoding.writeVarUint(message, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(
				message,
				awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])
			);
			this.send(ws, encoding.toUint8Array(message));
		}
	}

	/**
	 * The sync step 2 answer to a client's state vector: what it lacks. A client with nothing gets
	 * the whole document, encoded once per document state (see wholeAnswer).
	 */
	private answer(stateVector: Uint8Array): Uint8Array {
		// An empty state vector is the single byte 0 (no clients); one naming only clients this
		// document does not have asks for everything too (a made-up one must not cost an encoding).
		const empty =
			(stateVector.byteLength === 1 && stateVector[0] === 0) || this.knowsNone(stateVector);
		if (empty && this.wholeAnswer) return this.wholeAnswer;
		const reply = encoding.createEncoder();
		encoding.writeVarUint(reply, MESSAGE_SYNC);
		syncProtocol.writeSyncStep2(reply, this.doc, empty ? new Uint8Array([0]) : stateVector);
		const answer = encoding.toUint8Array(reply);
		if (empty) this.wholeAnswer = answer;
		return answer;
	}

	/** Whether a state vector names no client of this document with a clock above 0. */
	private knowsNone(stateVector: Uint8Array): boolean {
		const clients = this.doc.store.clients;
		for (const [client, clock] of Y.decodeStateVector(stateVector)) {
			if (clock > 0 && clients.has(client)) return false;
		}
		return true;
	}

	/** How many sockets a user has open on this board. */
	connectionsOf(userId: string): number {
		let n = 0;
		for (const conn of this.connections.values()) if (conn.context.userId === userId) n++;
		return n;
	}

	/** The incoming budget of a user on this board (of the connection alone without a user). */
	private budgetOf(userId: string | null | undefined): IncomingBudget {
		if (!userId) return new IncomingBudget(this.limits);
		for (const conn of this.connections.values()) {
			if (conn.context.userId === userId) return conn.budget;
		}
		return new IncomingBudget(this.limits);
	}

	/**
	 * Charges a received message of `bytes` to its sender's budget on this board: how long (ms) the
	 * caller should stop reading the socket, 0 when within the budget.
	 */
	charge(ws: WebSocket, bytes: number): number {
		return this.connections.get(ws)?.budget.take(bytes) ?? 0;
	}

	/** How long (ms) the sender of this socket is still over its budget. */
	owed(ws: WebSocket): number {
		return this.connections.get(ws)?.budget.wait() ?? 0;
	}

	/** Removes a connection, its presence and its pending updates; returns how many remain. */
	leave(ws: WebSocket): number {
		const conn = this.connections.get(ws);
		if (conn) {
			clearTimeout(conn.handshake);
			conn.pending = null;
			this.connections.delete(ws);
			this.presence.leave(ws);
			this.stored.leave(ws);
		}
		return this.connections.size;
	}

	/**
	 * Handles one binary message of a connection. Throws on a message it cannot read; the caller
	 * closes that connection. The document is only changed by complete, readable updates.
	 */
	receive(ws: WebSocket, data: Uint8Array): void {
		const conn = this.connections.get(ws);
		if (!conn) return;
		try {
			this.receiveFrom(conn, data);
		} catch (err) {
			if (!(err instanceof LimitExceeded)) throw err;
			this.close(conn, err.code, err.message);
		}
	}

	private receiveFrom(conn: Connection, data: Uint8Array): void {
		const { ws } = conn;
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MESSAGE_SYNC: {
				const kind = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (kind === syncProtocol.messageYjsSyncStep1) {
					clearTimeout(conn.handshake);
					conn.synced = true;
					// Each request is answered with (up to) the whole document: bounded per connection.
					if (!conn.syncRequests.take()) {
						throw new LimitExceeded(CLOSE_TOO_MANY_REQUESTS, 'too many sync requests');
					}
					const answer = this.answer(payload);
					if (this.queuedInProcess() + answer.byteLength > this.limits.queuedBytesPerProcess) {
						throw new LimitExceeded(CLOSE_BUSY, 'server busy');
					}
					this.largestAnswer = Math.max(this.largestAnswer, answer.byteLength);
					this.send(ws, answer);
				} else if (
					kind === syncProtocol.messageYjsSyncStep2 ||
					kind === syncProtocol.messageYjsUpdate
				) {
					if (conn.context.readOnly) return;
					this.applyFrom(conn, payload);
					this.retryPending(conn);
				} else {
					throw new Error(`unknown sync message ${kind}`);
				}
				break;
			}
			case MESSAGE_AWARENESS:
				// Own ids only, stamped with the user, coalesced (presence.ts).
				this.presence.receive(ws, conn.context, decoding.readVarUint8Array(decoder));
				break;
			case MESSAGE_QUERY_AWARENESS: {
				// Browsers never ask over the socket (y-websocket asks only its BroadcastChannel).
				if (!conn.presenceQueries.take()) {
					throw new LimitExceeded(CLOSE_TOO_MANY_REQUESTS, 'too many presence queries');
				}
				const message = encoding.createEncoder();
				encoding.writeVarUint(message, MESSAGE_AWARENESS);
				encoding.writeVarUint8Array(
					message,
					awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
						...this.awareness.getStates().keys()
					])
				);
				this.send(ws, encoding.toUint8Array(message));
				break;
			}
			case MESSAGE_STORED:
				this.stored.ask(ws);
				break;
			default:
				throw new Error(`unknown message type ${type}`);
		}
	}

	/**
	 * Applies a user's new access to their open connections at once: closed when they have none
	 * left, read-only when they became a viewer. Returns how many connections it touched.
	 */
	reauthorize(userId: string, access: 'none' | 'read' | 'write'): number {
		// Their presentation ends for good (also here when they were connected to another process).
		if (access === 'none') this.presence.forget(userId);
		let touched = 0;
		for (const conn of this.connections.values()) {
			if (conn.context.userId !== userId) continue;
			touched++;
			if (access === 'none') {
				this.revoke(conn.ws, CLOSE_ACCESS_REVOKED, 'access revoked');
				continue;
			}
			const readOnly = access === 'read';
			if (conn.context.readOnly === readOnly) continue;
			conn.context.readOnly = readOnly;
			// Updates still waiting for missing parts were sent with the old access: never applied.
			if (readOnly) conn.pending = null;
			// The page was made for the old role: it says so (access-changed.ts).
			if (conn.expects) this.send(conn.ws, encodeAccessChanged(access));
		}
		return touched;
	}

	/**
	 * The board's address register (or its approved initiatief texts) changed: its pages fetch it
	 * again (register-changed.ts).
	 */
	registerChanged(part: ServerPart = 'register'): number {
		let told = 0;
		const message = encodeRegisterChanged(part);
		for (const conn of this.connections.values()) {
			if (!conn.expects) continue;
			this.send(conn.ws, message);
			told++;
		}
		return told;
	}

	/** Closes every connection (server shutdown). */
	closeAll(code: number, reason: string): void {
		for (const ws of this.connections.keys()) ws.close(code, reason);
	}

	destroy(): void {
		this.wholeAnswer = undefined;
		this.stored.destroy();
		this.presence.destroy();
		this.awareness.destroy();
		this.doc.destroy();
	}

	/**
	 * Sends a message to every connection but `except`; document updates (`syncedOnly`) only to
	 * those that started the sync: the answer to their sync request brings them everything before.
	 */
	private broadcast(message: Uint8Array, syncedOnly = false, except?: unknown): void {
		for (const [ws, conn] of this.connections) {
			if (ws !== except && (!syncedOnly || conn.synced)) this.send(ws, message);
		}
	}

	/**
	 * Checks and applies a connection's update. What cannot be integrated yet (it depends on parts
	 * the server has not seen) is taken out of the document and kept with the connection, bounded;
	 * it is checked again, with what completes it, before any of it becomes visible.
	 */
	private applyFrom(conn: Connection, received: Uint8Array): void {
		const userId = conn.context.userId;
		// Decoded once here (it throws on an update it cannot read), for the client-id check and the
		// update check; Y.applyUpdate reads it once more.
		let decoded: DecodedUpdate | undefined = Y.decodeUpdate(received);
		let update = received;
		if (userId) {
			update = this.ownStructsOnly(received, decoded, userId);
			if (update !== received) decoded = undefined;
		}
		if (this.beforeApply) {
			let part: TakenPart | void;
			try {
				part = this.beforeApply(update, this.doc, () => conn.repairs.take(), conn.context, decoded);
			} catch (err) {
				if (!(err instanceof UpdateWaits)) throw err;
				// Nothing of it now: kept with the connection until the other document has what it names.
				const pending = this.pendingOf(conn);
				pending.parts.push(update);
				pending.bytes += update.byteLength;
				pending.waits.push(err.ready);
				this.boundPending(pending);
				return;
			}
			this.applyUpdate(conn.ws, part?.update ?? update, !part);
			if (part) {
				this.log(
					`board ${this.boardId}: took part of an update (${part.notTaken.length} not taken)`
				);
				this.send(conn.ws, encodeNotTaken(part.notTaken));
			}
		} else {
			// Without a check: applied only if it decodes completely (a truncated or garbled update
			// would otherwise be half-applied). It did, above, or ownStructsOnly's diff made it.
			this.applyUpdate(conn.ws, update, true);
		}
		const { pendingStructs } = this.doc.store;
		let { pendingDs } = this.doc.store;
		if (!pendingStructs && !pendingDs) return;
		this.doc.store.pendingStructs = null;
		this.doc.store.pendingDs = null;
		if (pendingDs && userId) pendingDs = this.ownDeletionsOnly(pendingDs, userId);
		if (!pendingStructs && !pendingDs) return;
		const pending = this.pendingOf(conn);
		const add = (part: Uint8Array) => {
			pending.parts.push(part);
			pending.bytes += part.byteLength;
		};
		if (pendingStructs) {
			add(Y.convertUpdateFormatV2ToV1(pendingStructs.update));
			for (const [client, clock] of pendingStructs.missing) {
				pending.missing.set(client, Math.min(clock, pending.missing.get(client) ?? clock));
			}
		}
		if (pendingDs) {
			add(Y.convertUpdateFormatV2ToV1(pendingDs));
			// Deletions of structs not seen yet: try again when their client moves on.
			const state = (client: number) => Y.getState(this.doc.store, client);
			for (const client of Y.decodeUpdateV2(pendingDs).ds.clients.keys()) {
				pending.missing.set(
					client,
					Math.min(state(client), pending.missing.get(client) ?? Infinity)
				);
			}
		}
		this.boundPending(pending);
	}

	private pendingOf(conn: Connection): NonNullable<Connection['pending']> {
		return (conn.pending ??= { parts: [], bytes: 0, missing: new Map(), waits: [] });
	}

	/** Updates kept with connections are bounded per connection and per board. */
	private boundPending(pending: NonNullable<Connection['pending']>): void {
		if (pending.bytes > this.limits.pendingBytesPerConnection) {
			throw new LimitExceeded(
				CLOSE_PENDING_TOO_LARGE,
				`updates waiting for missing parts exceed ${this.limits.pendingBytesPerConnection} bytes`
			);
		}
		let total = 0;
		for (const other of this.connections.values()) total += other.pending?.bytes ?? 0;
		if (total > this.limits.pendingBytesPerBoard) {
			throw new LimitExceeded(
				CLOSE_PENDING_TOO_LARGE,
				`updates waiting for missing parts on this board exceed ${this.limits.pendingBytesPerBoard} bytes`
			);
		}
	}

	/**
	 * Whether a Yjs client id is the live tab of another user: their open connection holds it as
	 * its awareness id (a tab's awareness id is its document's client id).
	 */
	private othersTab(client: number, userId: string): boolean {
		const holder = this.presence.holderOf(client);
		return holder !== undefined && holder !== userId;
	}

	/**
	 * The update without new structs under the client id of another user's open tab: only that
	 * tab writes them (it resends its own after a crash), and a forged client id could otherwise
	 * take the colleague's next clocks, so that their real edits were dropped as duplicates.
	 * Everything else goes on to the check as it came.
	 */
	private ownStructsOnly(update: Uint8Array, decoded: DecodedUpdate, userId: string): Uint8Array {
		const foreign: number[] = [];
		// A client's structs come in clock order: its last one ends where the update's part of it does.
		const { structs } = decoded;
		for (let i = 0; i < structs.length; i++) {
			const { client, clock } = structs[i]!.id;
			if (structs[i + 1]?.id.client === client) continue;
			const end = clock + structs[i]!.length;
			if (end <= Y.getState(this.doc.store, client)) continue; // nothing new of this client
			if (this.othersTab(client, userId)) foreign.push(client);
		}
		if (foreign.length === 0) return update;
		this.log(
			`board ${this.boardId}: dropped structs under ${foreign.length} client id(s) of another user`
		);
		const sv = encoding.createEncoder();
		encoding.writeVarUint(sv, foreign.length);
		for (const client of foreign) {
			encoding.writeVarUint(sv, client);
			encoding.writeVarUint(sv, Number.MAX_SAFE_INTEGER);
		}
		return Y.diffUpdate(update, encoding.toUint8Array(sv));
	}

	/**
	 * Deletions waiting for structs not seen yet (V2, as Yjs keeps them), without those of the
	 * client id of another user's open tab: that tab has not written them yet, so such a deletion
	 * could only delete its next edits as they arrive. Null when nothing is left.
	 */
	private ownDeletionsOnly(pendingDs: Uint8Array, userId: string): Uint8Array | null {
		const { ds } = Y.decodeUpdateV2(pendingDs) as unknown as {
			ds: { clients: Map<number, { clock: number; len: number }[]> };
		};
		const kept = [...ds.clients].filter(([client]) => !this.othersTab(client, userId));
		if (kept.length === ds.clients.size) return pendingDs;
		this.log(`board ${this.boardId}: dropped waiting deletions of another user's client id`);
		if (kept.length === 0) return null;
		const update = encoding.createEncoder();
		encoding.writeVarUint(update, 0);
		encoding.writeVarUint(update, kept.length);
		for (const [client, ranges] of kept) {
			encoding.writeVarUint(update, client);
			encoding.writeVarUint(update, ranges.length);
			for (const { clock, len } of ranges) {
				encoding.writeVarUint(update, clock);
				encoding.writeVarUint(update, len);
			}
		}
		return Y.convertUpdateFormatV1ToV2(encoding.toUint8Array(update));
	}

	/**
	 * After the document moved on, pending updates whose missing parts arrived (from the same
	 * connection, or another: a tab may build on another tab's edit that reached the server later)
	 * are checked, with everything else the connection has pending, and applied. One that breaks
	 * the model closes its own connection (4422), not the one that completed it.
	 */
	private retryPending(sender: Connection | null, external = false): void {
		for (let round = 0, progress = true; progress && round <= this.connections.size; round++) {
			progress = false;
			for (const conn of this.connections.values()) {
				const pending = conn.pending;
				if (!pending) continue;
				// A connection that lost write access or is closing: its waiting updates go.
				if (conn.context.readOnly || conn.ws.readyState !== conn.ws.OPEN) {
					conn.pending = null;
					continue;
				}
				const ready =
					[...pending.missing].some(
						([client, clock]) => Y.getState(this.doc.store, client) > clock
					) ||
					// Another document changed: kept-back updates it may now complete (once per change).
					(external && round === 0 && pending.waits.some((ready) => ready()));
				if (!ready) continue;
				conn.pending = null;
				try {
					this.applyFrom(
						conn,
						pending.parts.length === 1 ? pending.parts[0]! : Y.mergeUpdates(pending.parts)
					);
				} catch (err) {
					// The sender's own refusal reaches the caller, which closes it as usual.
					if (conn === sender && err instanceof UpdateRefusal) throw err;
					if (err instanceof LimitExceeded) this.close(conn, err.code, err.message);
					else if (err instanceof UpdateRefusal) {
						this.close(conn, CLOSE_INVALID_UPDATE, err.message);
					} else {
						this.close(conn, CLOSE_BAD_MESSAGE, 'bad message');
					}
					continue;
				}
				progress ||= (conn.pending as Connection['pending'])?.bytes !== pending.bytes;
			}
		}
	}

	/**
	 * Another document that updates kept back here wait for (UpdateWaits: the board's, for an
	 * organisation's document) changed: those it completes are checked and applied now.
	 */
	retryWaiting(): void {
		let any = false;
		for (const conn of this.connections.values()) if (conn.pending?.waits.length) any = true;
		if (any) this.retryPending(null, true);
	}

	/**
	 * Ends a connection whose user lost access (removed, signed out): nothing it sent is applied
	 * any more, not even updates still waiting for missing parts, and a client that does not
	 * answer the close is cut off after a second.
	 */
	revoke(ws: WebSocket, code: number, reason: string): void {
		const conn = this.connections.get(ws);
		if (!conn) {
			ws.close(code, reason);
			return;
		}
		conn.context.readOnly = true;
		this.close(conn, code, reason);
	}

	/** Applies a client's update with its socket as the origin; `asSent`: not echoed back to it. */
	private applyUpdate(ws: WebSocket, update: Uint8Array, asSent: boolean): void {
		this.appliedAsSent = asSent ? ws : undefined;
		try {
			Y.applyUpdate(this.doc, update, ws);
		} finally {
			this.appliedAsSent = undefined;
		}
	}

	/** Closes one connection for a reason of its own; its pending updates go at once. */
	private close(conn: Connection, code: number, reason: string): void {
		clearTimeout(conn.handshake);
		conn.pending = null;
		if (conn.ws.readyState !== conn.ws.OPEN) return;
		this.log(`board ${this.boardId}: closing a connection (${code}: ${reason})`);
		conn.ws.close(code, closeReason(reason));
		// A client that does not read never answers the close: do not keep its data for long.
		setTimeout(() => conn.ws.terminate(), 1000).unref();
	}

	/**
	 * Sends one message, unless the connection already holds more unsent data than allowed: a
	 * client that stops reading would otherwise make the server buffer everything for it.
	 */
	private send(ws: WebSocket, message: Uint8Array): void {
		if (ws.readyState !== ws.OPEN) return;
		// What is still unsent plus this message: at most one whole-document answer at a time.
		const queued = ws.bufferedAmount;
		if (
			queued > 0 &&
			queued + message.byteLength > this.limits.outgoingBytes + this.largestAnswer
		) {
			const conn = this.connections.get(ws);
			if (conn) this.close(conn, CLOSE_SLOW_CONSUMER, 'not reading');
			else ws.terminate();
			return;
		}
		// No callback: a failed write errors the socket, which ws then closes (and a callback per
		// message and receiver was a closure and a queued call each, 30 of them per edit on a board
		// with 30 editors).
		ws.send(message);
	}
}
