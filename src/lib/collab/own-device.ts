import { fromBase64Url, importDeviceKey, open, seal } from './device-crypto';
import { OWN_DEVICE_CHOICE_PREFIX, localDatabases } from './offline';

/**
 * "Dit is mijn eigen apparaat" (issue 12; "Own device: confidential notes at rest" in
 * docs/architecture.md). Off by default, chosen per device and user. When on, the organisation's
 * confidential-notes document of a board is kept in IndexedDB (`buurtbord:<user>:<board>:org-notes`),
 * every record sealed with AES-GCM (device-crypto.ts) under a key the server derives per user and
 * session (GET /device-key). The key lives in this page's memory only: without a valid session
 * the stored records cannot be read, and a record of an earlier session is discarded.
 */
const SUFFIX = ':org-notes';
const UPDATES = 'updates';
const META = 'meta';

export function ownDeviceDbName(userId: string, boardId: string): string {
	return `buurtbord:${userId}:${boardId}${SUFFIX}`;
}

/** Whether this user chose "dit is mijn eigen apparaat" on this device. */
export function ownDeviceChosen(userId: string): boolean {
	try {
		return localStorage.getItem(OWN_DEVICE_CHOICE_PREFIX + userId) === '1';
	} catch {
		return false;
	}
}

export function chooseOwnDevice(userId: string, on: boolean): void {
	try {
		if (on) localStorage.setItem(OWN_DEVICE_CHOICE_PREFIX + userId, '1');
		else localStorage.removeItem(OWN_DEVICE_CHOICE_PREFIX + userId);
	} catch {
		// Storage blocked: the choice lasts for this page only.
	}
}

export interface SessionKey {
	key: CryptoKey;
	keyId: string;
}

/**
 * This session's key from the server. 'offline': no answer (no network); 'refused': no valid
 * session (the stored notes can never be read again).
 */
export async function fetchSessionKey(): Promise<SessionKey | 'offline' | 'refused'> {
	let res: Response;
	try {
		res = await fetch('/device-key', {
			cache: 'no-store',
			credentials: 'same-origin',
			headers: { accept: 'application/json' }
		});
	} catch {
		return 'offline';
	}
	if (res.status === 401 || res.status === 403) return 'refused';
	if (!res.ok) return 'offline';
	try {
		const body = (await res.json()) as { key: string; keyId: string };
		return { key: await importDeviceKey(fromBase64Url(body.key)), keyId: body.keyId };
	} catch {
		return 'offline';
	}
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function done(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = tx.onabort = () => reject(tx.error);
	});
}

export function deleteDb(name: string): Promise<void> {
	return new Promise((resolve) => {
		const req = indexedDB.deleteDatabase(name);
		req.onsuccess = req.onerror = req.onblocked = () => resolve();
	});
}

/** Removes this user's stored confidential notes of every board on this device. */
export async function forgetOwnDeviceNotes(userId: string): Promise<void> {
	const prefix = `buurtbord:${userId}:`;
	const names = await localDatabases().catch(() => [] as string[]);
	await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith(SUFFIX)).map(deleteDb));
}

/**
 * One board's sealed store. Records are sealed Yjs updates; `meta.keyId` names the session key
 * they were sealed with. When the device is wiped (another connection deletes the database) the
 * store closes itself and writes nothing more.
 */
export class SealedNotesStore {
	#db: IDBDatabase | null = null;
	#closed = false;

	private constructor(
		readonly name: string,
		private readonly session: SessionKey
	) {}

	/** Opens (creating) the store and reads what it holds for this session's key. */
	static async open(
		userId: string,
		boardId: string,
		session: SessionKey
	): Promise<{ store: SealedNotesStore; updates: Uint8Array[] }> {
		const store = new SealedNotesStore(ownDeviceDbName(userId, boardId), session);
		const req = indexedDB.open(store.name, 1);
		req.onupgradeneeded = () => {
			req.result.createObjectStore(UPDATES, { autoIncrement: true });
			req.result.createObjectStore(META);
		};
		const db = await request(req);
		store.#db = db;
		// Wiped (sign-out, access lost, the option turned off in another tab): let go at once.
		db.onversionchange = () => store.close();
		return { store, updates: await store.#read() };
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** The stored updates; records of another session's key, or that do not open, are discarded. */
	async #read(): Promise<Uint8Array[]> {
		const db = this.#db!;
		const tx = db.transaction([UPDATES, META], 'readonly');
		const [keyId, sealed] = await Promise.all([
			request(tx.objectStore(META).get('keyId')) as Promise<string | undefined>,
			request(tx.objectStore(UPDATES).getAll()) as Promise<Uint8Array[]>
		]);
		if (keyId === this.session.keyId) {
			try {
				return await Promise.all(sealed.map((s) => open(this.session.key, s, this.name)));
			} catch {
				// Changed on the device, or unreadable: start again from the server's copy.
			}
		}
		await this.replace(null);
		return [];
	}

	/** Adds one update (sealed). */
	async append(update: Uint8Array): Promise<void> {
		const sealed = await seal(this.session.key, update, this.name);
		if (this.#closed || !this.#db) return;
		const tx = this.#db.transaction(UPDATES, 'readwrite');
		tx.objectStore(UPDATES).add(sealed);
		await done(tx);
	}

	/** Replaces every record with one update (the whole document), or none; records the key. */
	async replace(state: Uint8Array | null): Promise<void> {
		const sealed = state ? await seal(this.session.key, state, this.name) : null;
		if (this.#closed || !this.#db) return;
		const tx = this.#db.transaction([UPDATES, META], 'readwrite');
		tx.objectStore(UPDATES).clear();
		if (sealed) tx.objectStore(UPDATES).add(sealed);
		tx.objectStore(META).put(this.session.keyId, 'keyId');
		await done(tx);
	}

	close(): void {
		this.#closed = true;
		this.#db?.close();
		this.#db = null;
	}
}
