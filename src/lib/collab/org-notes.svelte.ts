import { page } from '$app/state';
import { getContext, setContext } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_INVALID_UPDATE } from '$lib/board/layout';
import { syncServerUrl } from './connection.svelte';

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
	#provider: WebsocketProvider | null = null;

	constructor(
		/** The board id (a getter, read when connecting). */
		private readonly boardId: () => string,
		/** From the board page's data (its load returns `confidential`). */
		info = page.data.confidential as ConfidentialInfo | undefined
	) {
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
		provider.on('sync', (synced: boolean) => (this.synced = synced));
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
	}

	destroy(): void {
		this.#provider?.destroy();
		this.#provider = null;
		this.doc?.destroy();
		this.doc = null;
		this.synced = false;
	}

	/** Whether the notes can be shown and changed now. */
	get ready(): boolean {
		return Boolean(this.doc && this.synced && !this.stopped);
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
