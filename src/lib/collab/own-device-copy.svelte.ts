import * as Y from 'yjs';
import { orgNotesMap } from '$lib/board/org-notes';
import {
	SealedNotesStore,
	deleteDb,
	fetchSessionKey,
	forgetOwnDeviceNotes,
	ownDeviceDbName
} from './own-device';

/**
 * - off: confidential notes are not kept on this device (the default)
 * - opening: asking the server for this session's key
 * - open: kept on the device, sealed; what is recorded offline survives a reload
 * - locked: kept on the device, but no key (no network): readable once the server answers again
 * - refused: no valid session: what was stored is unreadable and removed
 */
export type OwnDeviceState = 'off' | 'opening' | 'open' | 'locked' | 'refused';

/** Writes are gathered this long, then sealed and stored as one record. */
const FLUSH_MS = 100;
/** After this many records the store is rewritten as one (the whole document). */
const COMPACT_AFTER = 50;

/**
 * The sealed copy of one organisation's confidential-notes document on this device, for
 * "dit is mijn eigen apparaat" (own-device.ts). It reads what is stored into the document once the
 * server gave this session's key, then stores every change (local or from the server) sealed.
 */
export class OwnDeviceCopy {
	state = $state<OwnDeviceState>('off');
	/** Stored notes were read into the document (the page can work on them without the server). */
	restored = $state(false);
	#store: SealedNotesStore | null = null;
	#pending: Uint8Array[] = [];
	#timer: ReturnType<typeof setTimeout> | null = null;
	#writing: Promise<void> = Promise.resolve();
	#records = 0;
	#generation = 0;
	readonly #onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === this) return;
		this.#pending.push(update);
		this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
	};
	/** A gesprek's notes were removed elsewhere (an erasure, a deletion): see #onRemoval. */
	#rewrite = false;
	/**
	 * The records hold every earlier update, so notes removed by an erasure (or a colleague's
	 * deletion of the gesprek) would stay in them, sealed, until the next rewrite: it comes with
	 * the next store instead.
	 */
	readonly #onRemoval = (event: Y.YMapEvent<Y.Text>) => {
		if (event.transaction.local) return;
		for (const change of event.changes.keys.values())
			if (change.action === 'delete') this.#rewrite = true;
	};

	constructor(
		private readonly userId: string,
		private readonly boardId: string,
		private readonly doc: Y.Doc
	) {}

	/** Opens the copy (asks for the key); again after 'locked' when the network is back. */
	async start(): Promise<void> {
		if (this.state === 'open' || this.state === 'opening') return;
		const generation = ++this.#generation;
		this.state = 'opening';
		const key = await fetchSessionKey();
		if (generation !== this.#generation) return;
		if (key === 'offline') {
			this.state = 'locked';
			return;
		}
		if (key === 'refused') {
			this.state = 'refused';
			await deleteDb(ownDeviceDbName(this.userId, this.boardId));
			return;
		}
		let opened: Awaited<ReturnType<typeof SealedNotesStore.open>>;
		try {
			opened = await SealedNotesStore.open(this.userId, this.boardId, key);
		} catch {
			this.state = 'locked';
			return;
		}
		if (generation !== this.#generation) return opened.store.close();
		const { store, updates } = opened;
		// What this device recorded before, offline edits included: the provider sends what the
		// server lacks of it.
		this.doc.transact(() => {
			for (const update of updates) Y.applyUpdate(this.doc, update, this);
		}, this);
		this.#store = store;
		this.#pending = [];
		this.doc.on('update', this.#onUpdate);
		orgNotesMap(this.doc).observe(this.#onRemoval);
		this.#records = 1;
		const state = Y.encodeStateAsUpdate(this.doc);
		this.#queue(() => store.replace(state));
		this.restored = updates.length > 0;
		this.state = 'open';
	}

	#queue(write: () => Promise<void>): void {
		this.#writing = this.#writing.then(write).catch(() => undefined);
	}

	#flush(): void {
		this.#timer = null;
		const store = this.#store;
		if (!store || this.#pending.length === 0) return;
		const update = Y.mergeUpdates(this.#pending.splice(0));
		if (store.closed) return this.#lost();
		if (++this.#records > COMPACT_AFTER || this.#rewrite) {
			this.#records = 1;
			this.#rewrite = false;
			const state = Y.encodeStateAsUpdate(this.doc);
			this.#queue(() => store.replace(state));
		} else this.#queue(() => store.append(update));
	}

	/** The store was deleted from under us (the device was wiped): keep nothing more. */
	#lost(): void {
		this.#detach();
		this.state = 'off';
	}

	/** Resolves once everything given so far is stored. */
	async settled(): Promise<void> {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#flush();
		}
		await this.#writing;
	}

	#detach(): void {
		this.#generation++;
		this.doc.off('update', this.#onUpdate);
		orgNotesMap(this.doc).unobserve(this.#onRemoval);
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#pending = [];
		this.#store?.close();
		this.#store = null;
	}

	/** The page goes: what is pending is stored, then the store is closed. */
	async close(): Promise<void> {
		const flushed = this.settled();
		this.doc.off('update', this.#onUpdate);
		await flushed;
		this.#detach();
	}

	/** Stops storing; with `forget` (the option turned off) removes this user's stored notes. */
	async stop({ forget = false }: { forget?: boolean } = {}): Promise<void> {
		this.#detach();
		this.state = 'off';
		this.restored = false;
		if (forget) await forgetOwnDeviceNotes(this.userId);
	}
}
