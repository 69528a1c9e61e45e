import { page } from '$app/state';
import { getContext, setContext } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_INVALID_UPDATE } from '$lib/board/layout';
import { syncServerUrl } from './connection.svelte';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from './not-taken';
import { SyncTracker } from './offline-sync.svelte';
import { chooseOwnDevice, forgetOwnDeviceNotes, ownDeviceChosen } from './own-device';
import { OwnDeviceCopy, type OwnDeviceState } from './own-device-copy.svelte';

/** Close codes of the sync server (src/lib/server/sync/room.ts). */
const CLOSE_BAD_MESSAGE = 4400;
const CLOSE_ACCESS_REVOKED = 4403;

/** The page data about confidential notes (src/lib/server/confidential.ts). */
export interface ConfidentialInfo {
	organisationId: string | null;
	organisations: Record<string, string>;
	canEdit: boolean;
}

/**
 * The confidential notes of the user's own organisation on a board ("alleen mijn organisatie"): a
 * second Y.Doc, synced over /sync/<board>/org. The server picks the organisation from the session,
 * so this browser only ever holds its own organisation's notes. Created only for signed-in members
 * with an organisation; others keep `doc` null and never open the socket.
 *
 * Kept on the device only when the user chose "dit is mijn eigen apparaat" (`setOwnDevice`), sealed
 * with this session's key (own-device-copy.svelte.ts); then the notes stay editable offline once
 * they were loaded, and what was written offline survives a reload.
 */
export class ConfidentialNotes {
	readonly organisationId: string | null;
	readonly organisations: Record<string, string>;
	readonly canEdit: boolean;
	/** The organisation's document once connect() ran in the browser; null before and without one. */
	doc = $state.raw<Y.Doc | null>(null);
	/** True once the server's copy has arrived: only then may notes be created or moved. */
	synced = $state(false);
	/** The server refused a change or the user lost access: the connection stopped for good. */
	stopped = $state(false);
	/** What the server did not take of this device's last notes change (NotTakenNotice). */
	notTaken = $state.raw<{ count: number; parts: NotTaken[] } | null>(null);
	/** What the server has of this device's note changes (counted in the board's sync state). */
	sync = $state.raw<SyncTracker | null>(null);
	#provider: WebsocketProvider | null = null;
	#copy = $state.raw<OwnDeviceCopy | null>(null);
	#everSynced = $state(false);
	readonly #userId: string | null;
	#stopOnline: (() => void) | null = null;

	constructor(
		/** The board id (a getter, read when connecting). */
		private readonly boardId: () => string,
		/** From the board page's data (its load returns `confidential`). */
		info = page.data.confidential as ConfidentialInfo | undefined,
		userId = (page.data.userId as string | undefined) ?? null
	) {
		this.#userId = userId;
		this.organisationId = info?.organisationId ?? null;
		this.organisations = info?.organisations ?? {};
		this.canEdit = info?.canEdit ?? false;
	}

	/** Whether this user keeps confidential notes (has an organisation). */
	get available(): boolean {
		return this.organisationId !== null;
	}

	/** The user's own organisation's name. */
	get organisationName(): string {
		return (this.organisationId && this.organisations[this.organisationId]) || '';
	}

	/** Opens the socket (in the browser, once). */
	connect(): void {
		if (!this.organisationId || this.#provider) return;
		const doc = new Y.Doc();
		this.#provider = new WebsocketProvider(
			syncServerUrl(window.location),
			`${this.boardId()}/org`,
			doc,
			// No BroadcastChannel: every tab on this board shares the room name `<board>/org`, whoever
			// is signed in there; only the server decides which organisation's notes a tab receives.
			{ disableBc: true }
		);
		const provider = this.#provider;
		// Parts of this device's notes change that the server did not take (a household that
		// withdrew its consent meanwhile, server/sync/consent-guard-notes.ts): shown as the board's.
		provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			const told = decodeNotTaken(decoder);
			if (told) this.notTaken = told;
		};
		provider.on('sync', (synced: boolean) => {
			this.synced = synced;
			if (!synced) return;
			this.#everSynced = true;
			// Back online with the key still missing (a reload without network): ask again.
			if (this.#copy?.state === 'locked') void this.#copy.start();
		});
		provider.on('connection-close', (event: CloseEvent | null) => {
			const code = event?.code;
			if (
				code !== CLOSE_ACCESS_REVOKED &&
				code !== CLOSE_INVALID_UPDATE &&
				code !== CLOSE_BAD_MESSAGE
			)
				return;
			// Reconnecting would be refused again (or resend the refused change): stop.
			provider.disconnect();
			this.stopped = true;
			this.synced = false;
			// Access gone: the organisation's notes leave this tab's memory too.
			if (code === CLOSE_ACCESS_REVOKED) queueMicrotask(() => this.destroy());
		});
		this.doc = doc;
		// Counts the notes written in this page until the server has them. The sealed copy (own
		// device) restores its content with its own origin: not counted, as it keeps no server clocks.
		this.sync = new SyncTracker(doc, provider, null, (origin) => origin instanceof OwnDeviceCopy);
		if (this.#userId && ownDeviceChosen(this.#userId)) this.#openCopy();
	}

	#openCopy(): void {
		if (!this.doc || !this.#userId || this.#copy) return;
		const copy = new OwnDeviceCopy(this.#userId, this.boardId(), this.doc);
		this.#copy = copy;
		void copy.start();
		const online = () => {
			if (copy.state === 'locked') void copy.start();
		};
		window.addEventListener('online', online);
		this.#stopOnline = () => window.removeEventListener('online', online);
	}

	/** "Dit is mijn eigen apparaat": whether the notes are kept (sealed) on this device. */
	get ownDevice(): OwnDeviceState {
		return this.#copy?.state ?? 'off';
	}

	/** Turns "dit is mijn eigen apparaat" on or off; off removes the stored notes at once. */
	async setOwnDevice(on: boolean): Promise<void> {
		if (!this.#userId) return;
		chooseOwnDevice(this.#userId, on);
		if (on) return this.#openCopy();
		const copy = this.#copy;
		this.#copy = null;
		this.#stopOnline?.();
		this.#stopOnline = null;
		await copy?.stop();
		await forgetOwnDeviceNotes(this.#userId);
	}

	dismissNotTaken(): void {
		this.notTaken = null;
	}

	/** Resolves once every change so far is stored on the device (own device on). */
	settled(): Promise<void> {
		return this.#copy?.settled() ?? Promise.resolve();
	}

	destroy(): void {
		this.#stopOnline?.();
		this.#stopOnline = null;
		void this.#copy?.close();
		this.#copy = null;
		this.sync?.destroy();
		this.sync = null;
		this.#provider?.destroy();
		this.#provider = null;
		this.doc?.destroy();
		this.doc = null;
		this.synced = false;
	}

	/**
	 * Whether the notes can be shown and changed now: the server's copy has arrived, or (own device)
	 * the device's sealed copy is open and holds the server's copy from earlier, so work goes on
	 * without a network.
	 */
	get ready(): boolean {
		if (!this.doc || this.stopped) return false;
		if (this.synced) return true;
		const copy = this.#copy;
		return copy?.state === 'open' && (this.#everSynced || copy.restored);
	}
}

const KEY = Symbol('confidential-notes');

export function setConfidentialNotes(notes: ConfidentialNotes): void {
	setContext(KEY, notes);
}

/** The board's confidential notes (set by the board view); undefined outside a board. */
export function getConfidentialNotes(): ConfidentialNotes | undefined {
	return getContext<ConfidentialNotes | undefined>(KEY);
}
