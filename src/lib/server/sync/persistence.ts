import * as Y from 'yjs';

export interface PersistenceOptions {
	/** Write this long after the last update… */
	debounceMs: number;
	/** …but never later than this after the first unsaved one. */
	maxWaitMs: number;
	/** Store one merged update (the `onStoreDocument` hook). */
	store: (update: Uint8Array) => Promise<void>;
	/** Called when a write fails; the updates are kept and retried (with backoff) until stored. */
	onError: (err: unknown) => void;
	/** Called when everything pushed so far is stored again after a failure. */
	onRecovered?: () => void;
	/** First retry this long after a failed write, doubling up to `maxRetryMs`. */
	retryMs?: number;
	maxRetryMs?: number;
	/**
	 * A write that has not answered after this long counts as failed (a frozen database never
	 * answers); its updates stay pending and are written again (storing an update twice is harmless
	 * for Yjs).
	 */
	storeTimeoutMs?: number;
}

/** Every writer that holds unstored updates, for /metrics (storage lag, pending writes). */
const unstored = new Set<DebouncedWriter>();
/** Totals since the process started, for /metrics. */
export const persistenceCounters = { stored: 0, failed: 0 };

/** What is waiting to be stored in this process: writers, updates, bytes, age of the oldest. */
export function persistenceBacklog(now = Date.now()): {
	documents: number;
	updates: number;
	bytes: number;
	oldestMs: number;
} {
	let updates = 0;
	let bytes = 0;
	let oldest = now;
	for (const writer of unstored) {
		updates += writer.pendingCount;
		bytes += writer.pendingBytes;
		oldest = Math.min(oldest, writer.pendingSince ?? now);
	}
	return { documents: unstored.size, updates, bytes, oldestMs: now - oldest };
}

/**
 * Collects a board's updates and writes them as one merged update within a bounded delay
 * (debounce with a max wait). `flush()` writes at once: when the last client leaves, on shutdown.
 * Writes never overlap, so the stored log keeps the order in which updates arrived. A failed write
 * keeps its updates and is retried with backoff until it succeeds: nothing is dropped while the
 * database is away (the sync server keeps such a board loaded, see SyncServer.unloadIfIdle).
 */
export class DebouncedWriter {
	private pending: Uint8Array[] = [];
	private debounceTimer: NodeJS.Timeout | undefined;
	private maxWaitTimer: NodeJS.Timeout | undefined;
	private retryTimer: NodeJS.Timeout | undefined;
	private retryDelay = 0;
	private writing: Promise<void> = Promise.resolve();
	private stopped = false;
	/** When the oldest unstored update arrived. */
	pendingSince: number | undefined;
	/** How many updates were pushed so far; `storedCount` of them are stored (in order). */
	pushedCount = 0;
	storedCount = 0;
	/**
	 * Called as a write takes its updates (everything pushed so far): what the write will hold,
	 * e.g. the document's state vector at that moment, handed to `onStored` once it is stored.
	 */
	snapshot?: () => Uint8Array | null;
	/** Told after each successful write: every update pushed before `upTo` is now stored. */
	onStored?: (upTo: number, snapshot: Uint8Array | null) => void;

	constructor(private readonly options: PersistenceOptions) {}

	get hasPending(): boolean {
		return this.pending.length > 0;
	}

	get pendingCount(): number {
		return this.pending.length;
	}

	get pendingBytes(): number {
		return this.pending.reduce((sum, update) => sum + update.byteLength, 0);
	}

	/** True between a failed write and the next successful one. */
	get failing(): boolean {
		return this.retryDelay > 0;
	}

	push(update: Uint8Array): void {
		this.pending.push(update);
		this.pushedCount++;
		this.pendingSince ??= Date.now();
		unstored.add(this);
		// While the database is failing the retry timer writes everything; no faster attempts.
		if (this.retryTimer || this.stopped) return;
		// Restarting the same timer: a clearTimeout and a new setTimeout per update were 6.5 % of
		// the server's busy time on a board with 30 editors (docs/benchmarks.md).
		if (this.debounceTimer) this.debounceTimer.refresh();
		else this.debounceTimer = setTimeout(() => void this.flush(), this.options.debounceMs);
		this.maxWaitTimer ??= setTimeout(() => void this.flush(), this.options.maxWaitMs);
	}

	/** Writes everything pushed so far (one attempt); resolves when that attempt ended. */
	flush(): Promise<void> {
		clearTimeout(this.debounceTimer);
		clearTimeout(this.maxWaitTimer);
		clearTimeout(this.retryTimer);
		this.debounceTimer = undefined;
		this.maxWaitTimer = undefined;
		this.retryTimer = undefined;
		this.writing = this.writing.then(async () => {
			if (this.pending.length === 0) return;
			const batch = this.pending;
			this.pending = [];
			// Every update pushed so far is in this batch (a failed one is put back in front).
			const upTo = this.pushedCount;
			const snapshot = this.snapshot?.() ?? null;
			const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
			try {
				await withTimeout(this.options.store(merged), this.options.storeTimeoutMs ?? 10_000);
				persistenceCounters.stored++;
				this.storedCount = upTo;
				this.tellStored(upTo, snapshot);
				if (this.pending.length === 0) {
					this.pendingSince = undefined;
					unstored.delete(this);
				}
				if (this.retryDelay > 0) {
					this.retryDelay = 0;
					if (this.pending.length > 0) this.scheduleRetry(0);
					else this.options.onRecovered?.();
				}
			} catch (err) {
				// Keep the updates (in front of newer ones) and try again later.
				this.pending = [merged, ...this.pending];
				persistenceCounters.failed++;
				this.options.onError(err);
				const base = this.options.retryMs ?? 500;
				this.retryDelay = Math.min(
					this.retryDelay ? this.retryDelay * 2 : base,
					this.options.maxRetryMs ?? 30_000
				);
				this.scheduleRetry(this.retryDelay);
			}
		});
		return this.writing;
	}

	/** A listener's failure is not the write's: the updates are stored either way. */
	private tellStored(upTo: number, snapshot: Uint8Array | null): void {
		try {
			this.onStored?.(upTo, snapshot);
		} catch (err) {
			console.error('[sync] after a write:', err);
		}
	}

	private scheduleRetry(delay: number): void {
		if (this.stopped) return;
		clearTimeout(this.retryTimer);
		this.retryTimer = setTimeout(() => void this.flush(), delay);
	}

	/**
	 * Stops writing (shutdown) and hands over what is still unstored as one update, so the caller
	 * can keep it elsewhere (a spill file, see spill.ts). Waits for a running write first.
	 */
	async takePending(): Promise<Uint8Array | null> {
		this.stopped = true;
		clearTimeout(this.debounceTimer);
		clearTimeout(this.maxWaitTimer);
		clearTimeout(this.retryTimer);
		await this.writing;
		unstored.delete(this);
		const batch = this.pending;
		this.pending = [];
		this.pendingSince = undefined;
		if (batch.length === 0) return null;
		return batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
