import * as Y from 'yjs';

export interface PersistenceOptions {
	/** Write this long after the last update… */
	debounceMs: number;
	/** …but never later than this after the first unsaved one. */
	maxWaitMs: number;
	/** Store one merged update (the `onStoreDocument` hook). */
	store: (update: Uint8Array) => Promise<void>;
	/** Called when a write fails; the updates are kept and retried on the next flush. */
	onError: (err: unknown) => void;
}

/**
 * Collects a board's updates and writes them as one merged update within a bounded delay
 * (debounce with a max wait). `flush()` writes at once: when the last client leaves, on shutdown.
 * Writes never overlap, so the stored log keeps the order in which updates arrived.
 */
export class DebouncedWriter {
	private pending: Uint8Array[] = [];
	private debounceTimer: ReturnType<typeof setTimeout> | undefined;
	private maxWaitTimer: ReturnType<typeof setTimeout> | undefined;
	private writing: Promise<void> = Promise.resolve();

	constructor(private readonly options: PersistenceOptions) {}

	get hasPending(): boolean {
		return this.pending.length > 0;
	}

	push(update: Uint8Array): void {
		this.pending.push(update);
		clearTimeout(this.debounceTimer);
		this.debounceTimer = setTimeout(() => void this.flush(), this.options.debounceMs);
		this.maxWaitTimer ??= setTimeout(() => void this.flush(), this.options.maxWaitMs);
	}

	/** Writes everything pushed so far; resolves when it is stored. */
	flush(): Promise<void> {
		clearTimeout(this.debounceTimer);
		clearTimeout(this.maxWaitTimer);
		this.debounceTimer = undefined;
		this.maxWaitTimer = undefined;
		this.writing = this.writing.then(async () => {
			if (this.pending.length === 0) return;
			const batch = this.pending;
			this.pending = [];
			const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
			try {
				await this.options.store(merged);
			} catch (err) {
				// Keep the updates (in front of newer ones) so a later flush stores them.
				this.pending = [merged, ...this.pending];
				this.options.onError(err);
			}
		});
		return this.writing;
	}
}
