import { IndexeddbPersistence, storeState } from 'y-indexeddb';
import type * as Y from 'yjs';
import { collectDeleted, erasedMap } from '$lib/board/erase';
import { m } from '$lib/paraglide/messages';

/**
 * The board's copy on this device (issue 12, "Field mode and offline" in docs/architecture.md).
 *
 * - The shared board document is kept in IndexedDB (y-indexeddb), one database per user and board
 *   (`buurtbord:<user>:<board>`), so a board opened once opens again without a network and what
 *   was recorded offline survives closing the browser. The organisation's confidential notes are
 *   stored only when the user chose "dit is mijn eigen apparaat", sealed (own-device.ts), in
 *   `buurtbord:<user>:<board>:org-notes`.
 * - The service worker keeps the board's pages (app shell, page data with the address register)
 *   in Cache Storage, for one user at a time.
 * - Signing out and losing access (close code 4403) wipe both: `wipeLocalData`.
 */
const DB_PREFIX = 'buurtbord:';
/** Cache Storage names of the service worker (src/service-worker.ts) start with this. */
export const CACHE_PREFIX = 'buurtbord-';
/** localStorage keys of the "dit is mijn eigen apparaat" choice (own-device.ts), per user. */
export const OWN_DEVICE_CHOICE_PREFIX = 'buurtbord-own-device:';

export function offlineDbName(userId: string, boardId: string): string {
	return `${DB_PREFIX}${userId}:${boardId}`;
}

const open = new Set<IndexeddbPersistence>();

/** A board document kept in IndexedDB; `loaded` resolves once the stored copy is in the doc. */
export class OfflineCopy {
	readonly #persistence: IndexeddbPersistence;
	readonly loaded: Promise<void>;
	readonly #record: Y.Map<boolean>;
	/**
	 * An erasure reached this device (the board's record of erased gesprekken grew, board/erase.ts):
	 * y-indexeddb keeps every update it stored until it trims its log (after 500), so the erased
	 * household's content would stay on the device's disk. The log is rewritten as the document's
	 * state at once, after the page's undo history let go of it (forgetHistoryOnRemoteRemoval).
	 */
	readonly #onErasure = (event: Y.YMapEvent<boolean>) => {
		if (event.transaction.origin === this.#persistence) return;
		setTimeout(() => void this.compact(), 0);
	};

	constructor(userId: string, boardId: string, doc: Y.Doc) {
		this.#persistence = new IndexeddbPersistence(offlineDbName(userId, boardId), doc);
		open.add(this.#persistence);
		this.loaded = this.#persistence.whenSynced.then(() => undefined);
		this.#record = erasedMap(doc);
		this.#record.observe(this.#onErasure);
	}

	/** Rewrites the stored log as the document's current state (deleted content left behind). */
	async compact(): Promise<void> {
		if (!open.has(this.#persistence)) return;
		try {
			await this.loaded;
			collectDeleted(this.#persistence.doc);
			await storeState(this.#persistence, true);
		} catch {
			// Destroyed meanwhile (wiped, page left): nothing to rewrite.
		}
	}

	/** The origin y-indexeddb applies the stored copy with (not a local edit). */
	get origin(): unknown {
		return this.#persistence;
	}

	async get<T>(key: string): Promise<T | undefined> {
		try {
			return (await this.#persistence.get(key)) as T | undefined;
		} catch {
			return undefined;
		}
	}

	async set(key: string, value: unknown): Promise<void> {
		try {
			await this.#persistence.set(key, value as never);
		} catch {
			// Destroyed meanwhile (wiped, page left): nothing to keep.
		}
	}

	async destroy(): Promise<void> {
		this.#record.unobserve(this.#onErasure);
		open.delete(this.#persistence);
		await this.#persistence.destroy();
	}

	/** Removes this board's copy from the device (the document in memory stays as it is). */
	async clear(): Promise<void> {
		this.#record.unobserve(this.#onErasure);
		open.delete(this.#persistence);
		await this.#persistence.clearData();
	}
}

/** The names of Buurtbord's IndexedDB databases on this device. */
export async function localDatabases(): Promise<string[]> {
	const all = await indexedDB.databases();
	return all.map((d) => d.name ?? '').filter((name) => name.startsWith(DB_PREFIX));
}

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = request.onerror = () => resolve();
		// Another tab still has it open: it is deleted as soon as that tab lets go.
		request.onblocked = () => resolve();
	});
}

/**
 * Removes every local copy of every board on this device: the IndexedDB databases (after closing
 * the ones this tab has open; the sealed confidential notes' stores close themselves when asked to),
 * the "own device" choices and the service worker's caches. Edits not yet sent are lost, which
 * is the point: the device may be lost, or in someone else's hands.
 */
export async function wipeLocalData(): Promise<void> {
	await Promise.all([...open].map((p) => p.destroy().catch(() => undefined)));
	open.clear();
	const names = await localDatabases().catch(() => [] as string[]);
	await Promise.all(names.map(deleteDatabase));
	// Whoever signs in next on this device chooses anew.
	try {
		for (const key of Object.keys(localStorage))
			if (key.startsWith(OWN_DEVICE_CHOICE_PREFIX)) localStorage.removeItem(key);
	} catch {
		// no storage access: nothing kept there either
	}
	if ('caches' in globalThis) {
		const keys = await caches.keys();
		await Promise.all(keys.filter((k) => k.startsWith(CACHE_PREFIX)).map((k) => caches.delete(k)));
	}
}

/**
 * Called on every page loaded online by a signed-in user: whatever another user left on this
 * device goes (their board copies, and the service worker's kept pages). Before, only opening a
 * board did this, and someone signing in after a session ended elsewhere could open the previous
 * user's board offline.
 */
export function signedInOnDevice(userId: string): void {
	void forgetOtherUsers(userId).catch(() => undefined);
	void navigator.serviceWorker?.ready
		.then((registration) => registration.active?.postMessage({ type: 'signed-in', userId }))
		.catch(() => undefined);
}

/** Another user signed in on this device: their predecessor's board copies go. */
export async function forgetOtherUsers(userId: string): Promise<void> {
	const mine = `${DB_PREFIX}${userId}:`;
	const names = await localDatabases().catch(() => [] as string[]);
	await Promise.all(names.filter((n) => !n.startsWith(mine)).map(deleteDatabase));
}

/**
 * Asks the service worker to keep these pages of this board (fetched with the user's cookie)
 * for offline use. It keeps one user's pages only: another user's are dropped first. A page kept
 * a short while ago is not fetched again unless `again` (it changed: the register after an import).
 */
export function keepPagesOffline(
	userId: string,
	paths: string[],
	{ again = false }: { again?: boolean } = {}
): void {
	const worker = navigator.serviceWorker;
	if (!worker) return;
	void worker.ready.then((registration) =>
		registration.active?.postMessage({ type: 'keep-pages', userId, paths, again })
	);
}

let signingOut = false;

/** This tab's counts of changes not yet on the server (one per open board document). */
const unsentCounts = new Set<() => number>();

/** Registers a count of unsent changes (SyncTracker); returns the unregistering. */
export function countUnsent(count: () => number): () => void {
	unsentCounts.add(count);
	return () => unsentCounts.delete(count);
}

function unsentNow(): number {
	let total = 0;
	for (const count of unsentCounts) total += count();
	return total;
}

/** How long signing out waits for changes to be stored before it asks. */
const SIGNOUT_WAIT_MS = 3_000;

/** The number of changes not stored yet, once it is 0 or after `ms`. */
async function unsentAfter(ms: number): Promise<number> {
	const until = Date.now() + ms;
	let unsent = unsentNow();
	while (unsent > 0 && Date.now() < until) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		unsent = unsentNow();
	}
	return unsent;
}

/** Whether the server answers (a sign-out only happens there). */
async function serverReachable(): Promise<boolean> {
	try {
		const res = await fetch('/session', { cache: 'no-store' });
		return res.ok;
	} catch {
		return false;
	}
}

/**
 * True once this tab's own sign-out form was sent: the server then closes the board socket
 * ("signed out"), and the page must let the form's answer lead to the sign-in page instead of
 * going there itself with a way back to the board.
 */
export function isSigningOut(): boolean {
	return signingOut;
}

/**
 * The sign-out form's submit: the board copies on this device go first (IndexedDB, caches),
 * then the form is sent. Without script the form is sent as is and the sign-out response's
 * Clear-Site-Data header clears the same.
 *
 * Not while the server cannot be reached: the session would stay valid there (the next person
 * on this device would be signed in as this user) while what was recorded offline and not sent
 * yet was wiped. The user is told instead. With changes not sent yet, the user is asked first.
 */
export function signOutWipingDevice(event: SubmitEvent): void {
	const form = event.currentTarget;
	if (!(form instanceof HTMLFormElement)) return;
	event.preventDefault();
	void (async () => {
		if (!(await serverReachable())) {
			alert(m.signout_offline());
			return;
		}
		// Changes made just now are usually stored within a second: no question for those.
		const unsent = await unsentAfter(SIGNOUT_WAIT_MS);
		if (unsent > 0 && !confirm(m.signout_unsent({ count: unsent }))) return;
		signingOut = true;
		void navigator.serviceWorker?.controller?.postMessage({ type: 'wipe' });
		await wipeLocalData().catch(() => undefined);
		form.submit();
	})();
}
