/**
 * What one sync connection (and one board) may cost the server, and the close codes it sees when
 * it goes beyond. A browser tab stays far below every limit; only a broken or hostile client
 * reaches one. The numbers are documented in docs/architecture.md ("Limits per connection and
 * board"); tests/integration/sync-limits.test.ts measures them against the real server.
 */

/** The socket sent no sync message (step 1) within `handshakeMs` after it opened. */
export const CLOSE_HANDSHAKE_TIMEOUT = 4408;
/** The connection's updates that wait for missing parts grew beyond the bound. */
export const CLOSE_PENDING_TOO_LARGE = 4413;
/** Sync requests (step 1, each answered with the document) came faster than allowed. */
export const CLOSE_TOO_MANY_REQUESTS = 4429;
/** The client does not read what the server sends: its unsent data grew beyond the bound. */
export const CLOSE_SLOW_CONSUMER = 4507;
/** The process holds too much unsent data for all its connections: try again shortly. */
export const CLOSE_BUSY = 4503;

export interface ConnectionLimits {
	/** A socket must send its first sync message within this time (ms). */
	handshakeMs: number;
	/** Sync step 1 requests: a bucket of `burst` requests, refilled by one every `refillMs`. */
	syncRequestBurst: number;
	syncRequestRefillMs: number;
	/**
	 * Unsent bytes a connection may have queued when the server has more to send, on top of the
	 * largest whole-document answer this board has sent (so a slow phone can receive a big board).
	 */
	outgoingBytes: number;
	/** Bytes of updates waiting for missing parts, per connection and per board (all connections). */
	pendingBytesPerConnection: number;
	pendingBytesPerBoard: number;
	/**
	 * Open sockets of one user on one board (a board page and door mode hold two each: the board
	 * and the organisation's notes). More are refused with HTTP 429 at the upgrade.
	 */
	socketsPerUser: number;
	/**
	 * Unsent bytes of all connections of the process together: a sync request whose answer would
	 * go beyond is not answered and its connection closed (CLOSE_BUSY; the client tries again).
	 * One user opening many sockets that ask for a big board and do not read stays bounded.
	 */
	queuedBytesPerProcess: number;
	/**
	 * Incoming messages of one user on one board (all their sockets there together): a bucket of
	 * `messageBurst` messages refilled at `messagesPerSecond`, and one of `byteBurst` bytes refilled
	 * at `bytesPerSecond`. Beyond either, the server stops reading that user's sockets until the
	 * budget is back (backpressure: nothing is dropped, the client's messages wait in TCP).
	 */
	messageBurst: number;
	messagesPerSecond: number;
	byteBurst: number;
	bytesPerSecond: number;
}

export const DEFAULT_LIMITS: Readonly<ConnectionLimits> = {
	handshakeMs: 10_000,
	syncRequestBurst: 4,
	syncRequestRefillMs: 10_000,
	outgoingBytes: 4 * 1024 * 1024,
	pendingBytesPerConnection: 1024 * 1024,
	pendingBytesPerBoard: 4 * 1024 * 1024,
	socketsPerUser: 64,
	queuedBytesPerProcess: 512 * 1024 * 1024,
	messageBurst: 300,
	messagesPerSecond: 150,
	byteBurst: 16 * 1024 * 1024,
	bytesPerSecond: 2 * 1024 * 1024
};

/** A limit was exceeded: the connection is closed with `code`. */
export class LimitExceeded extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
		this.name = 'LimitExceeded';
	}
}

/** A token bucket: `take()` is false when the connection asked too often. */
export class RequestBucket {
	private tokens: number;
	private last = Date.now();

	constructor(
		private readonly burst: number,
		private readonly refillMs: number
	) {
		this.tokens = burst;
	}

	take(now = Date.now()): boolean {
		this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.refillMs);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

/**
 * What one user may send on one board (ConnectionLimits.messageBurst and the rest). Unlike
 * RequestBucket, a message is never refused: the budget goes into debt, and `take` says how long
 * to stop reading before it is paid off.
 */
export class IncomingBudget {
	private messages: number;
	private bytes: number;
	private last: number;

	constructor(
		private readonly limits: Pick<
			ConnectionLimits,
			'messageBurst' | 'messagesPerSecond' | 'byteBurst' | 'bytesPerSecond'
		>,
		now = performance.now()
	) {
		this.messages = limits.messageBurst;
		this.bytes = limits.byteBurst;
		this.last = now;
	}

	/** Charges one message of `bytes`; returns how long (ms) to stop reading, 0 when in budget. */
	take(bytes: number, now = performance.now()): number {
		this.refill(now);
		this.messages -= 1;
		this.bytes -= bytes;
		return this.owed();
	}

	/** How long (ms) until the debt is paid off, 0 when there is none. */
	wait(now = performance.now()): number {
		this.refill(now);
		return this.owed();
	}

	private refill(now: number): void {
		const { messageBurst, messagesPerSecond, byteBurst, bytesPerSecond } = this.limits;
		const elapsed = Math.max(0, now - this.last) / 1000;
		this.last = now;
		this.messages = Math.min(messageBurst, this.messages + elapsed * messagesPerSecond);
		this.bytes = Math.min(byteBurst, this.bytes + elapsed * bytesPerSecond);
	}

	private owed(): number {
		const { messagesPerSecond, bytesPerSecond } = this.limits;
		const seconds = Math.max(-this.messages / messagesPerSecond, -this.bytes / bytesPerSecond, 0);
		return Math.ceil(seconds * 1000);
	}
}

/** A websocket close reason is at most 123 bytes of UTF-8. */
export function closeReason(message: string): string {
	let reason = message;
	while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
	return reason;
}
