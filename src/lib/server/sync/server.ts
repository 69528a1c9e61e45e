import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import { isBoardId } from '../../board/meta';
import type { SyncAccess } from '../../collab/access-changed';
import type { ServerPart } from '../../collab/register-changed';
import { CLOSE_SIGNED_OUT } from '../../collab/close-codes';
import type { BoardRole } from '../access';
import type { SessionEnd } from '../auth/session-events';
import { SyncRefusal, UpdateRefusal, type SyncContext, type SyncHooks } from './hooks';
import { ORG_SEGMENT, orgDocName, parseDocName } from './org-docs';
import { DebouncedWriter } from './persistence';
import type { RelayTarget, SyncRelay } from './relay';
import { CLOSE_ACCESS_REVOKED, CLOSE_BAD_MESSAGE, CLOSE_INVALID_UPDATE, Room } from './room';

export const SYNC_PATH = '/sync/';

export interface SyncServerOptions {
	hooks: SyncHooks;
	debounceMs: number;
	maxWaitMs: number;
	/** Largest websocket message accepted (bytes). */
	maxMessageBytes?: number;
	/** Interval of the liveness ping; a connection that misses one pong is closed. */
	pingIntervalMs?: number;
	/**
	 * Checked before anything else on an upgrade (src/lib/server/auth/origin.ts): a refusal is 403.
	 * Without it (in-process tests) every origin is accepted.
	 */
	checkOrigin?: (request: IncomingMessage) => { ok: true } | { ok: false; reason: string };
	/**
	 * A connection's credentials are checked again at their expiry and at least this often
	 * (default 5 minutes), so that a session ended elsewhere (another process, the CLI) closes it.
	 */
	sessionRecheckMs?: number;
	log?: (message: string) => void;
	/** A write that has not answered after this long is retried (see DebouncedWriter). */
	storeTimeoutMs?: number;
	/** Several processes serving the same boards (REDIS_URL: redis-relay.ts); none: this process alone. */
	relay?: SyncRelay;
}

/**
 * The y-websocket endpoint: /sync/<board>. Authenticates before the upgrade, loads each board's
 * document once and keeps it while clients are connected, and stores updates through the hooks.
 */
export class SyncServer implements RelayTarget {
	private readonly wss: WebSocketServer;
	private readonly rooms = new Map<string, Promise<Room>>();
	private readonly alive = new WeakSet<WebSocket>();
	private readonly pingTimer: ReturnType<typeof setInterval>;
	private closing = false;
	/** Rooms held open by withDocument (by room key), so that a leaving client does not unload them. */
	private readonly held = new Map<string, number>();
	/** The board room an organisation's room holds open (see loadRoom). */
	private readonly boardOf = new WeakMap<Room, Room>();
	/** Stops an organisation's room from listening to its board's document. */
	private readonly boardListeners = new WeakMap<Room, () => void>();
	private readonly log: (message: string) => void;
	/** Open connections with their context and the timer of their next credentials check. */
	private readonly live = new Map<
		WebSocket,
		{ context: SyncContext; room: Room; timer?: ReturnType<typeof setTimeout> }
	>();

	constructor(private readonly options: SyncServerOptions) {
		this.log = options.log ?? ((message) => console.log(`[sync] ${message}`));
		this.wss = new WebSocketServer({
			noServer: true,
			maxPayload: options.maxMessageBytes ?? 16 * 1024 * 1024
		});
		this.pingTimer = setInterval(() => {
			for (const ws of this.wss.clients) {
				// Not read on purpose (over its budget, see connect): its pong waits unread too.
				if (ws.isPaused) continue;
				if (!this.alive.has(ws)) {
					ws.terminate();
					continue;
				}
				this.alive.delete(ws);
				ws.ping();
			}
		}, options.pingIntervalMs ?? 30_000);
		this.pingTimer.unref();
	}

	/**
	 * Routes websocket upgrades on /sync/… of an HTTP server to this sync server. With `exclusive`
	 * (the production server) every other upgrade is refused; without it (vite dev) they are left
	 * to the other listeners, such as Vite's HMR socket.
	 */
	attach(server: EventEmitter, { exclusive = false }: { exclusive?: boolean } = {}): void {
		server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
			const path = (request.url ?? '').split('?')[0]!;
			if (path.startsWith(SYNC_PATH)) {
				void this.upgrade(request, socket, head, path.slice(SYNC_PATH.length));
			} else if (exclusive) {
				socket.on('error', () => socket.destroy());
				refuse(socket, 404, 'not found');
			}
		});
	}

	/** Number of open sync connections (for monitoring). */
	get connections(): number {
		return this.wss.clients.size;
	}

	/** The names of the documents loaded (or loading) in this process now (erasure.ts). */
	loadedDocuments(): string[] {
		return [...this.rooms.keys()];
	}

	/** Number of boards currently loaded (for tests and monitoring). */
	get loadedBoards(): number {
		return this.rooms.size;
	}

	private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, rawId: string) {
		socket.on('error', () => socket.destroy());
		try {
			if (this.closing) throw new SyncRefusal(503, 'server is shutting down');
			// Before any credentials are looked at: a page of another origin gets nothing.
			const origin = this.options.checkOrigin?.(request);
			if (origin && !origin.ok) throw new SyncRefusal(403, origin.reason);
			// /sync/<board> is the board's shared document; /sync/<board>/org the confidential notes of
			// the user's own organisation on it (the server picks the organisation, never the client).
			const [rawBoard, ...rest] = rawId.split('/');
			const org = rest.length === 1 && rest[0] === ORG_SEGMENT;
			if (rest.length > 0 && !org) throw new SyncRefusal(400, 'invalid board id');
			let boardId: string;
			try {
				boardId = decodeURIComponent(rawBoard!);
			} catch {
				throw new SyncRefusal(400, 'invalid board id');
			}
			if (!isBoardId(boardId)) throw new SyncRefusal(400, 'invalid board id');
			const context = await this.options.hooks.onAuthenticate(request, boardId);
			let name = boardId;
			if (org) {
				if (!context.organisationId) throw new SyncRefusal(403, 'no organisation');
				name = orgDocName(boardId, context.organisationId);
			}
			const room = await this.room(name);
			if (context.userId && room.connectionsOf(context.userId) >= room.limits.socketsPerUser) {
				throw new SyncRefusal(429, 'too many connections');
			}
			const expects = expectedAccess(request.url);
			this.wss.handleUpgrade(request, socket, head, (ws) =>
				this.connect(ws, room, context, expects)
			);
		} catch (err) {
			if (err instanceof SyncRefusal) {
				refuse(socket, err.status, err.message);
			} else {
				this.log(`upgrade failed: ${(err as Error).message}`);
				refuse(socket, 503, 'board not available');
			}
		}
	}

	private room(boardId: string): Promise<Room> {
		let room = this.rooms.get(boardId);
		if (!room) {
			room = this.loadRoom(boardId);
			this.rooms.set(boardId, room);
			// A board that failed to load is not cached: the next client tries again.
			room.catch(() => this.rooms.delete(boardId));
		}
		return room;
	}

	private async loadRoom(boardId: string): Promise<Room> {
		// An organisation's document is checked against its board's consent (consent-guard-notes.ts):
		// the board's room is loaded first and held open for as long as the organisation's is.
		const ref = parseDocName(boardId);
		const board = ref?.kind === 'org' ? await this.holdRoom(ref.boardId) : undefined;
		try {
			const room = await this.openRoom(boardId, board?.doc);
			if (board) {
				this.boardOf.set(room, board);
				// Confidential notes kept back for a gesprek still on its way (consent-guard-notes.ts)
				// are checked again when the board's document changes (here or relayed).
				const retry = () => {
					try {
						room.retryWaiting();
					} catch (err) {
						this.log(`retrying kept-back updates of ${boardId} failed: ${(err as Error).message}`);
					}
				};
				board.doc.on('update', retry);
				this.boardListeners.set(room, () => board.doc.off('update', retry));
			}
			return room;
		} catch (err) {
			if (board) await this.releaseRoom(board);
			throw err;
		}
	}

	/** Loads a room (if need be) and holds it open, as withDocument does, until releaseRoom. */
	private async holdRoom(name: string): Promise<Room> {
		this.held.set(name, (this.held.get(name) ?? 0) + 1);
		try {
			return await this.room(name);
		} catch (err) {
			this.unhold(name);
			throw err;
		}
	}

	private async releaseRoom(room: Room): Promise<void> {
		if (this.unhold(room.boardId) <= 0) await this.unloadIfIdle(room);
	}

	/** One hold less on a room; how many are left. */
	private unhold(name: string): number {
		const left = (this.held.get(name) ?? 1) - 1;
		if (left > 0) this.held.set(name, left);
		else this.held.delete(name);
		return left;
	}

	private async openRoom(boardId: string, board: Y.Doc | undefined): Promise<Room> {
		const writer: DebouncedWriter = new DebouncedWriter({
			debounceMs: this.options.debounceMs,
			maxWaitMs: this.options.maxWaitMs,
			store: (update) => this.options.hooks.onStoreDocument(boardId, update, room.doc),
			onError: (err) => this.log(`storing board ${boardId} failed: ${(err as Error).message}`),
			// Stored again after a failure: a board nobody has open any more can now be unloaded.
			onRecovered: () => void this.unloadIfIdle(room),
			storeTimeoutMs: this.options.storeTimeoutMs
		});
		const { onBeforeApply, onChange } = this.options.hooks;
		const room: Room = new Room(
			boardId,
			writer,
			onBeforeApply &&
				((update, doc, mayRepair, sender, decoded) =>
					onBeforeApply.call(
						this.options.hooks,
						boardId,
						update,
						doc,
						mayRepair,
						sender,
						board,
						decoded
					)),
			onChange &&
				((context, transaction) => onChange.call(this.options.hooks, boardId, context, transaction))
		);
		room.queuedInProcess = () => {
			let queued = 0;
			for (const ws of this.live.keys()) queued += ws.bufferedAmount;
			return queued;
		};
		try {
			await room.load((doc) => this.options.hooks.onLoadDocument(boardId, doc));
		} catch (err) {
			room.destroy();
			throw err;
		}
		if (this.options.relay) {
			// Other processes' unstored edits arrive before this process's clients get the document.
			try {
				await this.options.relay.follow(boardId, room);
			} catch (err) {
				await this.options.relay.unfollow(boardId).catch(() => undefined);
				room.destroy();
				throw err;
			}
		}
		return room;
	}

	private connect(
		ws: WebSocket,
		room: Room,
		context: SyncContext,
		expects: SyncAccess | null
	): void {
		this.alive.add(ws);
		ws.on('pong', () => this.alive.add(ws));
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			// A connection being closed (signed out, access revoked) changes nothing any more.
			if (ws.readyState !== ws.OPEN) return;
			// Over the user's budget on this board: read nothing more from this socket until it is
			// paid off. What ws has already read still arrives (and deepens the debt); nothing is
			// dropped.
			const wait = room.charge(ws, data.byteLength);
			if (wait > 0 && !ws.isPaused) {
				ws.pause();
				const resume = (ms: number) =>
					setTimeout(() => {
						if (ws.readyState !== ws.OPEN) return;
						const more = room.owed(ws);
						if (more > 0) return resume(more);
						this.alive.add(ws);
						ws.resume();
					}, ms);
				resume(wait);
			}
			try {
				if (!isBinary) throw new Error('text message');
				room.receive(ws, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
			} catch (err) {
				if (err instanceof UpdateRefusal) {
					// Not applied: neither other clients nor storage see it. The sender is told why.
					this.log(`board ${room.boardId}: refused an update (${err.message})`);
					ws.close(CLOSE_INVALID_UPDATE, closeReason(err.message));
					return;
				}
				// A message we cannot read ends this connection only; the board and others go on.
				this.log(
					`board ${room.boardId}: closing a connection after a bad message (${(err as Error).message})`
				);
				ws.close(CLOSE_BAD_MESSAGE, 'bad message');
			}
		});
		ws.on('error', () => ws.terminate());
		ws.on('close', () => {
			this.forget(ws);
			void this.disconnect(ws, room);
		});
		this.live.set(ws, { context, room });
		this.scheduleRecheck(ws);
		room.join(ws, context, expects);
	}

	/** The next check of a connection's credentials: at their expiry, at the latest after sessionRecheckMs. */
	private scheduleRecheck(ws: WebSocket): void {
		const entry = this.live.get(ws);
		if (!entry?.context.revalidate) return;
		clearTimeout(entry.timer);
		const recheck = this.options.sessionRecheckMs ?? 5 * 60_000;
		const untilExpiry = (entry.context.expiresAt ?? Infinity) - Date.now();
		// setTimeout holds at most 2^31-1 ms; sooner is never wrong, only one more check.
		const delay = Math.max(0, Math.min(untilExpiry, recheck, 2 ** 31 - 1));
		entry.timer = setTimeout(() => void this.recheck(ws), delay);
		entry.timer.unref();
	}

	private async recheck(ws: WebSocket): Promise<void> {
		const entry = this.live.get(ws);
		if (!entry?.context.revalidate) return;
		let result: Awaited<ReturnType<NonNullable<SyncContext['revalidate']>>>;
		try {
			result = await entry.context.revalidate();
		} catch (err) {
			// The database did not answer: keep the connection and try again at the next interval.
			this.log(`rechecking a session failed: ${(err as Error).message}`);
			result = { expiresAt: entry.context.expiresAt };
			if ((result.expiresAt ?? Infinity) <= Date.now()) result = null;
		}
		if (this.live.get(ws) !== entry) return;
		if (!result) {
			this.forget(ws);
			entry.room.revoke(ws, CLOSE_SIGNED_OUT, 'signed out');
			return;
		}
		if (result.access === 'none') {
			this.forget(ws);
			entry.room.revoke(ws, CLOSE_ACCESS_REVOKED, 'access revoked');
			return;
		}
		const { userId } = entry.context;
		if (result.access && userId && (result.access === 'read') !== entry.context.readOnly) {
			entry.room.reauthorize(userId, result.access);
		}
		entry.context.expiresAt = result.expiresAt;
		this.scheduleRecheck(ws);
	}

	private forget(ws: WebSocket): void {
		const entry = this.live.get(ws);
		if (!entry) return;
		clearTimeout(entry.timer);
		this.live.delete(ws);
	}

	/**
	 * A session ended (sign-out, replaced, expired) or all sessions of a user did (password changed,
	 * account removed): their connections close with CLOSE_SIGNED_OUT (4401) at once. Called by the
	 * session events of this process (app.ts); later a relay calls it with other processes' events.
	 * Returns how many connections it closed.
	 */
	endSessions(end: SessionEnd): number {
		let closed = 0;
		for (const [ws, { context, room }] of [...this.live]) {
			const matches =
				'sessionId' in end
					? context.sessionId !== undefined && context.sessionId === end.sessionId
					: context.userId === end.userId;
			if (!matches) continue;
			this.forget(ws);
			room.revoke(ws, CLOSE_SIGNED_OUT, 'signed out');
			closed++;
		}
		return closed;
	}

	private async disconnect(ws: WebSocket, room: Room): Promise<void> {
		if (room.leave(ws) > 0) return;
		await this.unloadIfIdle(room);
	}

	private async unloadIfIdle(room: Room): Promise<void> {
		await room.writer.flush();
		// Not stored (the database is away): the board stays loaded and its writer keeps retrying;
		// it is unloaded once everything is stored (onRecovered). Unloading now would lose the edits.
		if (room.writer.hasPending) return;
		// Someone may have joined while we were writing: then the room stays.
		if (room.size > 0 || this.closing || this.held.has(room.boardId)) return;
		if ((await this.rooms.get(room.boardId)) !== room) return;
		this.rooms.delete(room.boardId);
		try {
			await this.options.relay?.unfollow(room.boardId);
			await this.options.hooks.onDocumentUnloaded?.(room.boardId, room.doc);
		} finally {
			room.destroy();
			// An organisation's document lets go of its board's.
			this.boardListeners.get(room)?.();
			this.boardListeners.delete(room);
			const board = this.boardOf.get(room);
			this.boardOf.delete(room);
			if (board) await this.releaseRoom(board);
		}
	}

	/**
	 * Changes a document on the server (an erasure, a retention purge): loads it through the hooks
	 * if nobody has it open, runs `fn` in one transaction with a server origin (no validation:
	 * this is trusted server code), so connected clients receive the change at once, stores it,
	 * then replaces the stored log by the document's current state, in which Yjs has garbage
	 * collected deleted content, so no earlier update still holds it. Unloads the document again
	 * when nobody is connected. Rejects if storing or compacting failed.
	 */
	async withDocument<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
		if (this.closing) throw new Error('sync server is shutting down');
		this.held.set(docName, (this.held.get(docName) ?? 0) + 1);
		let room: Room | undefined;
		try {
			room = await this.room(docName);
			let result!: T;
			room.doc.transact(() => {
				result = fn(room!.doc);
			}, SERVER_ORIGIN);
			await room.writer.flush();
			if (room.writer.hasPending) throw new Error(`storing document ${docName} failed`);
			await this.options.hooks.onCompactDocument?.(docName, room.doc);
			// Every other process holding it stores its own pending updates and compacts as well, so
			// that none of them writes the removed content back.
			this.options.relay?.publish({ type: 'compact', name: docName });
			return result;
		} finally {
			const left = (this.held.get(docName) ?? 1) - 1;
			if (left > 0) this.held.set(docName, left);
			else this.held.delete(docName);
			if (room && left <= 0) await this.unloadIfIdle(room);
		}
	}

	/**
	 * Reads a document as it is live now, without changing it: the loaded room's document, or
	 * loaded through the hooks if nobody has it open (and unloaded again after). `fn` must only read.
	 */
	async readDocument<T>(docName: string, fn: (doc: Y.Doc) => T | Promise<T>): Promise<T> {
		if (this.closing) throw new Error('sync server is shutting down');
		this.held.set(docName, (this.held.get(docName) ?? 0) + 1);
		let room: Room | undefined;
		try {
			room = await this.room(docName);
			// Awaited here: the document stays loaded while `fn` waits for it.
			return await fn(room.doc);
		} finally {
			const left = (this.held.get(docName) ?? 1) - 1;
			if (left > 0) this.held.set(docName, left);
			else this.held.delete(docName);
			if (room && left <= 0) await this.unloadIfIdle(room);
		}
	}

	/**
	 * Compacts a loaded document after a change made by another process (relay): its pending
	 * updates are stored first. Nothing to do when it is not loaded here.
	 */
	async compactLoaded(name: string): Promise<void> {
		const pending = this.rooms.get(name);
		const room = pending && (await pending.catch(() => undefined));
		if (!room) return;
		await room.writer.flush();
		await this.options.hooks.onCompactDocument?.(name, room.doc);
	}

	/**
	 * A user's access to a board changed: their open connections follow at once (closed with 4403
	 * when `role` is null, read-only for a viewer), on every process (relay).
	 */
	async reauthorize(
		boardId: string,
		userId: string,
		role: BoardRole | null,
		{ relayed = false }: { relayed?: boolean } = {}
	): Promise<number> {
		if (!relayed) this.options.relay?.publish({ type: 'reauthorize', boardId, userId, role });
		const access = role === null ? 'none' : role === 'viewer' ? 'read' : 'write';
		let touched = 0;
		for (const [key, pending] of this.rooms) {
			if (roomBoard(key) !== boardId) continue;
			const room = await pending.catch(() => undefined);
			if (room) touched += room.reauthorize(userId, access);
		}
		return touched;
	}

	/**
	 * A board's address register changed (an import was stored): its open pages fetch it again, on
	 * every process (relay). Returns how many pages were told here.
	 */
	async registerChanged(
		boardId: string,
		{ relayed = false, part = 'register' }: { relayed?: boolean; part?: ServerPart } = {}
	): Promise<number> {
		if (!relayed) this.options.relay?.publish({ type: 'register-changed', boardId, part });
		const pending = this.rooms.get(boardId);
		const room = pending && (await pending.catch(() => undefined));
		return room ? room.registerChanged(part) : 0;
	}

	/** Closes every connection of a user on every board (signed out everywhere, account removed). */
	async disconnectUser(
		userId: string,
		{ relayed = false }: { relayed?: boolean } = {}
	): Promise<number> {
		if (!relayed) this.options.relay?.publish({ type: 'disconnect-user', userId });
		let touched = 0;
		for (const pending of this.rooms.values()) {
			const room = await pending.catch(() => undefined);
			if (room) touched += room.reauthorize(userId, 'none');
		}
		return touched;
	}

	/**
	 * Stores what is pending on every board and closes all connections. A board whose edits cannot
	 * be stored (the database is away) is retried for up to `waitMs`; what is still unstored then is
	 * returned, for the caller to keep (a spill file that the next start replays, see spill.ts).
	 */
	async close({ waitMs = 0 }: { waitMs?: number } = {}): Promise<
		{ docName: string; update: Uint8Array }[]
	> {
		this.closing = true;
		clearInterval(this.pingTimer);
		for (const ws of [...this.live.keys()]) this.forget(ws);
		const rooms = (await Promise.allSettled(this.rooms.values())).flatMap((result) =>
			result.status === 'fulfilled' ? [result.value] : []
		);
		for (const room of rooms) room.closeAll(1012, 'server restarting');
		const deadline = Date.now() + waitMs;
		for (let round = 0; ; round++) {
			await Promise.all(rooms.map((room) => room.writer.flush()));
			if (!rooms.some((room) => room.writer.hasPending) || Date.now() >= deadline) break;
			await new Promise((resolve) =>
				setTimeout(resolve, Math.min(250 * 2 ** round, 2000, deadline - Date.now()))
			);
		}
		const unstored: { docName: string; update: Uint8Array }[] = [];
		for (const room of rooms) {
			await this.options.relay?.unfollow(room.boardId).catch(() => undefined);
			const update = await room.writer.takePending();
			if (update) unstored.push({ docName: room.boardId, update });
			room.destroy();
		}
		this.rooms.clear();
		for (const ws of this.wss.clients) ws.terminate();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
		return unstored;
	}
}

/** The transaction origin of changes made by the server itself (withDocument). */
export const SERVER_ORIGIN = Symbol('buurtbord-server');

/** Rooms are keyed by document name; a board's own document has the board id as its name. */
function roomBoard(key: string): string {
	return key.split('/')[0]!;
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	413: 'Payload Too Large',
	429: 'Too Many Requests',
	503: 'Service Unavailable'
};

/** The access the page says it was made for: `?access=read|write` on the socket URL (or none). */
function expectedAccess(url: string | undefined): SyncAccess | null {
	const query = (url ?? '').split('?')[1];
	const access = query ? new URLSearchParams(query).get('access') : null;
	return access === 'read' || access === 'write' ? access : null;
}

/** A websocket close reason is at most 123 bytes of UTF-8. */
function closeReason(message: string): string {
	let reason = message;
	while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
	return reason;
}

function refuse(socket: Duplex, status: number, message: string): void {
	if (socket.destroyed) return;
	const body = `${message}\n`;
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
			'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
