import { on } from 'svelte/events';
import { WebsocketProvider } from 'y-websocket';
import { page } from '$app/state';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CLOSE_INVALID_UPDATE } from '$lib/board/layout';
import { setLocalReadOnly } from '$lib/board/common';
import { CLOSE_SIGNED_OUT } from './close-codes';
import { MESSAGE_ACCESS_CHANGED, decodeAccessChanged, type SyncAccess } from './access-changed';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from './not-taken';
import { decodeChangedPart, MESSAGE_REGISTER_CHANGED } from './register-changed';
import {
	OfflineCopy,
	forgetOtherUsers,
	isSigningOut,
	keepPagesOffline,
	wipeLocalData
} from './offline';
import { SyncTracker } from './offline-sync.svelte';

/** The server closed the socket because it could not read a message (see the sync server). */
const CLOSE_BAD_MESSAGE = 4400;
/** The server closed the socket because this user lost access to the board (removed from it). */
const CLOSE_ACCESS_REVOKED = 4403;

/**
 * - connecting: first connection not made yet
 * - connected: "verbonden"
 * - reconnecting: "opnieuw verbinden" (the socket dropped; y-websocket retries with backoff)
 * - offline: the browser says it has no network
 * - refused: the server refused a change from this device; the local copy holds it, so reconnecting
 *   would only send it again: the connection stops and the user reloads the board
 * - revoked: the user was removed from the board; reconnecting would only be refused (404), so the
 *   connection stops and the page says access is gone
 * - signed-out: the session ended (signed out, here or in another tab, or expired): the page goes
 *   to the sign-in page, which brings the user back here afterwards
 */
export type ConnectionStatus =
	'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused' | 'revoked' | 'signed-out';

/** Refused connection attempts in a row before the page asks whether it may still connect. */
const FAILED_ATTEMPTS_BEFORE_CHECK = 3;
/** At most one such question per this interval. */
const ACCESS_CHECK_INTERVAL_MS = 10_000;

/** After a "signed out" close, the same user may reconnect at most once per this interval. */
const RESUME_INTERVAL_MS = 60_000;

/** The websocket endpoint of the sync server on this host: /sync/<boardId>. */
export function syncServerUrl(location: Pick<Location, 'protocol' | 'host'>): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

/**
 * Keeps a board's document in sync with the server and exposes the connection status as
 * Svelte state. Create it in the browser only; call destroy() when the page goes.
 */
export class BoardConnection {
	#socket = $state<'connecting' | 'connected' | 'disconnected'>('connecting');
	#online = $state(true);
	#everConnected = $state(false);
	#synced = $state(false);
	#refused = $state(false);
	#revoked = $state(false);
	#signedOut = $state(false);
	#lastResume = 0;
	/** Connection attempts in a row whose socket never opened (a refused upgrade is one). */
	#failedAttempts = 0;
	#openedSinceClose = false;
	#lastAccessCheck = 0;
	readonly #boardId: string;
	readonly #userId: string | undefined;
	/** Whether the board's pages are (being) kept for offline use: after the first sync. */
	#keeping = false;
	#stopped = false;
	#notTaken = $state.raw<{ count: number; parts: NotTaken[] } | null>(null);
	#access = $state<SyncAccess | null>(null);
	#registerChanges = $state(0);
	#approvalsChanges = $state(0);
	#withdrawalsChanges = $state(0);
	readonly #provider: WebsocketProvider;
	readonly #stop: (() => void)[] = [];
	/** The board's copy on this device (with `userId`), see offline.ts. */
	readonly offline: OfflineCopy | null = null;
	/** What the server has of this device's changes (with `userId`). */
	readonly sync: SyncTracker | null = null;

	/**
	 * With `userId`: the board is also kept on this device for offline use (see offline.ts).
	 * `awareness`: the presence to share on this board (presence.svelte.ts); else a fresh one.
	 */
	constructor(
		boardId: string,
		board: { doc: Y.Doc },
		{
			userId,
			awareness,
			access
		}: {
			userId?: string;
			awareness?: Awareness;
			/** The access the page was made for: the server says when the connection's differs. */
			access?: SyncAccess;
		} = {}
	) {
		this.#online = navigator.onLine;
		this.#boardId = boardId;
		this.#userId = userId;
		// A page made for reading (a viewer's) writes nothing to the board, as below once demoted.
		if (access === 'read') setLocalReadOnly(board.doc, true);
		if (userId) {
			void forgetOtherUsers(userId);
			this.offline = new OfflineCopy(userId, boardId, board.doc);
		}
		this.#provider = new WebsocketProvider(syncServerUrl(window.location), boardId, board.doc, {
			...(awareness ? { awareness } : {}),
			...(access ? { params: { access } } : {})
		});
		// Parts of this device's change that the server did not take (it applied the rest).
		this.#provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			const told = decodeNotTaken(decoder);
			if (told) this.#notTaken = told;
		};
		// The address register changed (an import elsewhere): counted, the page fetches it again.
		// Or an owner approved initiatief texts, or the list of households whose consent was
		// withdrawn changed: counted, the page reloads its data.
		this.#provider.messageHandlers[MESSAGE_REGISTER_CHANGED] = (_encoder, decoder) => {
			const part = decodeChangedPart(decoder);
			if (part === 'approvals') this.#approvalsChanges++;
			else if (part === 'withdrawals') this.#withdrawalsChanges++;
			else this.#registerChanged();
		};
		// The user's role on the board changed while it is open (see access-changed.ts).
		this.#provider.messageHandlers[MESSAGE_ACCESS_CHANGED] = (_encoder, decoder) => {
			const access = decodeAccessChanged(decoder);
			if (!access) return;
			this.#access = access;
			// Reading only now: no command writes to this device's copy any more (the server would
			// drop it, while the page showed it as saved). The page disables its controls too.
			setLocalReadOnly(board.doc, access === 'read');
			// The kept pages were made for the old role: kept again, for the new one.
			if (this.#keeping) this.#keep({ again: true });
		};
		if (this.offline) {
			const sync = new SyncTracker(board.doc, this.#provider, this.offline);
			this.sync = sync;
			const copy = this.offline;
			void copy.loaded
				.then(() => sync.restore())
				.then(async () => {
					// A page made for reading that finds changes of this device not on the server (made
					// before the member became a viewer, offline): they can never be taken, and would
					// show as records nobody else has. The copy goes, and the page loads the server's.
					if (access !== 'read' || sync.unsentToServer === 0 || !navigator.onLine) return;
					await copy.clear().catch(() => undefined);
					window.location.reload();
				});
		}
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			// Back after a drop: an import may have been stored meanwhile, unheard.
			if (status === 'connected' && this.#everConnected && this.#socket !== 'connected')
				this.#registerChanged();
			this.#socket = status;
			if (status === 'connected') {
				this.#everConnected = true;
				this.#openedSinceClose = true;
				this.#failedAttempts = 0;
			}
		};
		const onSync = (synced: boolean) => {
			this.#synced = synced;
			if (synced && this.#userId && !this.#keeping) this.#keepPages();
		};
		const onClose = (event: CloseEvent | null) => {
			if (!this.#openedSinceClose && ++this.#failedAttempts >= FAILED_ATTEMPTS_BEFORE_CHECK) {
				void this.#checkAccess();
			}
			this.#openedSinceClose = false;
			if (event?.code === CLOSE_SIGNED_OUT) {
				this.#provider.disconnect();
				void this.#afterSignedOut();
				return;
			}
			if (event?.code === CLOSE_ACCESS_REVOKED) {
				this.#accessLost();
				return;
			}
			if (event?.code !== CLOSE_INVALID_UPDATE && event?.code !== CLOSE_BAD_MESSAGE) return;
			this.#refused = true;
			this.#provider.disconnect();
		};
		this.#provider.on('status', onStatus);
		this.#provider.on('sync', onSync);
		this.#provider.on('connection-close', onClose);
		this.#stop.push(
			() => this.#provider.off('status', onStatus),
			() => this.#provider.off('sync', onSync),
			() => this.#provider.off('connection-close', onClose),
			on(window, 'online', () => {
				this.#online = true;
				// Try at once instead of waiting for the backoff.
				if (!this.#provider.wsconnected && !this.#refused && !this.#revoked && !this.#signedOut)
					this.#provider.connect();
			}),
			on(window, 'offline', () => (this.#online = false))
		);
	}

	/**
	 * Keeps the board's pages and register on this device for offline use, once the board has
	 * loaded and the page is idle: the shell's and pages' downloads do not compete with the
	 * board's own first load (the document and the register), on a phone's connection least of all.
	 */
	#keepPages(): void {
		this.#keeping = true;
		const keep = () => this.#keep();
		if ('requestIdleCallback' in window) requestIdleCallback(keep, { timeout: 2_000 });
		else setTimeout(keep, 500);
	}

	/** Asks for the board's pages (or `only` the register) to be kept; see keepPagesOffline. */
	#keep(options: { again?: boolean; only?: 'register' } = {}): void {
		if (this.#stopped || !this.#userId || !navigator.onLine) return;
		const board = `/boards/${this.#boardId}`;
		const register = `${board}/adressen.json`;
		const paths = options.only === 'register' ? [register] : [board, `${board}/deur`, register];
		keepPagesOffline(this.#userId, paths, { again: options.again });
	}

	/** The address register changed (an import), or may have while the socket was away. */
	#registerChanged(): void {
		this.#registerChanges++;
		// The kept copy too: door mode offline must find the new addresses.
		if (this.#keeping) this.#keep({ again: true, only: 'register' });
	}

	/** The board is no longer this user's: the device may be in the wrong hands, its copies go. */
	#accessLost(): void {
		this.#revoked = true;
		this.#provider.disconnect();
		void wipeLocalData();
	}

	/**
	 * The socket keeps failing to open (the server refuses the upgrade: a session that ended, or a
	 * membership that did, while this device was offline, never reaches the page as a close code).
	 * Asked at most every ACCESS_CHECK_INTERVAL_MS: who is signed in, and is the board still theirs.
	 */
	async #checkAccess(): Promise<void> {
		if (!this.#online || Date.now() - this.#lastAccessCheck < ACCESS_CHECK_INTERVAL_MS) return;
		this.#lastAccessCheck = Date.now();
		const expected = (page.data as { account?: { id?: string } | null }).account?.id;
		const now = await fetch('/session', { headers: { accept: 'application/json' } })
			.then((res) => (res.ok ? (res.json() as Promise<{ userId: string | null }>) : undefined))
			.catch(() => undefined);
		if (now === undefined) return; // the server does not answer: keep trying as before
		if (now.userId === null || now.userId !== expected) {
			this.#provider.disconnect();
			void this.#afterSignedOut();
			return;
		}
		const board = await fetch(`/boards/${encodeURIComponent(this.#boardId)}/adressen.json`, {
			method: 'HEAD'
		}).catch(() => undefined);
		if (board && (board.status === 404 || board.status === 403)) this.#accessLost();
	}

	/**
	 * The server closed the socket because its session ended. The same user still signed in (a
	 * Supabase page renews its access token; the socket was opened with the old one) reconnects
	 * with the current cookie; anyone else goes to the sign-in page, and back here afterwards.
	 */
	async #afterSignedOut(): Promise<void> {
		if (isSigningOut()) {
			this.#signedOut = true;
			return;
		}
		const expected = (page.data as { account?: { id?: string } | null }).account?.id;
		if (expected && Date.now() - this.#lastResume > RESUME_INTERVAL_MS) {
			this.#lastResume = Date.now();
			const now = await fetch('/session', { headers: { accept: 'application/json' } })
				.then((res) => (res.ok ? (res.json() as Promise<{ userId: string | null }>) : null))
				.catch(() => null);
			if (now?.userId === expected) {
				this.#provider.connect();
				return;
			}
		}
		this.#signedOut = true;
		// Signed out in this tab: the sign-out form's answer goes to the sign-in page.
		if (isSigningOut()) return;
		const next = window.location.pathname + window.location.search;
		// A full navigation: nothing of the board stays in this tab's memory.
		window.location.assign(`/login?next=${encodeURIComponent(next)}`);
	}

	get status(): ConnectionStatus {
		if (this.#signedOut) return 'signed-out';
		if (this.#revoked) return 'revoked';
		if (this.#refused) return 'refused';
		if (!this.#online) return 'offline';
		if (this.#socket === 'connected') return 'connected';
		return this.#everConnected ? 'reconnecting' : 'connecting';
	}

	/**
	 * What the server last said it did not take of this device's changes (the rest it applied;
	 * what it did not take it took back, and that change is here already); null when nothing.
	 */
	get notTaken(): { count: number; parts: NotTaken[] } | null {
		return this.#notTaken;
	}

	dismissNotTaken(): void {
		this.#notTaken = null;
	}

	/**
	 * What the server last said this connection may do, when that differed from the access the page
	 * was made for (the role changed meanwhile, see access-changed.ts); else null.
	 */
	get access(): SyncAccess | null {
		return this.#access;
	}

	/**
	 * How often the address register may have changed since the page was made: the server said so,
	 * or the socket came back after a drop (an import meanwhile would have gone unheard).
	 */
	/** How often owners changed the approved initiatief texts while the board was open. */
	get approvalsChanges(): number {
		return this.#approvalsChanges;
	}

	get registerChanges(): number {
		return this.#registerChanges;
	}

	/** How often the board's list of households whose consent was withdrawn changed (owners' count). */
	get withdrawalsChanges(): number {
		return this.#withdrawalsChanges;
	}

	/**
	 * Loads the page again for the new role. Reading only now: this board's copy on the device goes
	 * first, so that the changes the server did not take do not come back with it.
	 */
	async reloadForNewRole(): Promise<void> {
		if (this.#access === 'read') await this.offline?.clear().catch(() => undefined);
		window.location.reload();
	}

	/** True once the server's copy of the document has been received. */
	get synced(): boolean {
		return this.#synced;
	}

	destroy(): void {
		this.#stopped = true;
		for (const stop of this.#stop.splice(0)) stop();
		this.sync?.destroy();
		void this.offline?.destroy();
		this.#provider.destroy();
	}
}
