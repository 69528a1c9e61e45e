import { page } from '$app/state';
import { getContext, setContext } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { syncServerUrl } from './connection.svelte';

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
		this.#provider.on('sync', (synced: boolean) => (this.synced = synced));
		this.doc = doc;
	}

	destroy(): void {
		this.#provider?.destroy();
		this.#provider = null;
		this.doc?.destroy();
		this.doc = null;
		this.synced = false;
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
