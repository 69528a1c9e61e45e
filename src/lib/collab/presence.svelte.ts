import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import {
	parsePresenceState,
	presenceUserSchema,
	type PresenceFilters,
	type PresencePoint,
	type PresenceSelection,
	type PresenceState,
	type PresenceUser
} from './presence-state';

/** Cursor and view updates are sent at most this often (20 per second). */
export const PRESENCE_THROTTLE_MS = 50;

/** Another tab on this board, as the server stamped it. */
export interface Peer {
	clientId: number;
	user: PresenceUser;
	state: PresenceState;
}

/** Someone else who has an item open. */
export interface Mark {
	userId: string;
	name: string;
	colour: string;
	/** They have its form open for editing (not just selected). */
	editing: boolean;
}

/** One person (all their tabs): for the "who is here" list. */
export interface Person {
	user: PresenceUser;
	/** The tab to follow: the one that changed last. */
	clientId: number;
	presenting: boolean;
	me: boolean;
}

/**
 * Presence on a board: who is here, where their cursor and view are, what they have open, and
 * following a person or the presenter. Over the provider's awareness (y-protocols); the server
 * stamps each state with the signed-in user (src/lib/server/sync/presence.ts), so names shown are
 * the server's, never a client's claim. Create in the browser; `destroy()` when the page goes.
 */
export class BoardPresence {
	readonly awareness: Awareness;
	readonly self: PresenceUser;
	readonly #subscribe: () => void;
	#peers: Peer[] | null = null;
	readonly #stop: () => void;
	/** The tab I follow by choice (a person from the list). */
	#chosen = $state<number | null>(null);
	/** The presenter session I stepped out of (its presentingSince), so I stay out of that one. */
	#steppedOut = $state<number | null>(null);
	#presenting = $state(false);
	/** The latest change to say aloud (aria-live). */
	announcement = $state('');
	#pending: PresenceState = {};
	/** The last marks and their JSON: the same object while nobody's selection changed. */
	#marks: { json: string; value: Readonly<Record<string, Mark[]>> } = { json: '{}', value: {} };
	#timer: ReturnType<typeof setTimeout> | null = null;
	#lastSent = 0;

	constructor(awareness: Awareness, self: PresenceUser) {
		this.awareness = awareness;
		this.self = self;
		// Same-browser tabs (BroadcastChannel) see this claim; everybody else the server's stamp.
		awareness.setLocalState({ user: self });
		const drop = () => (this.#peers = null);
		awareness.on('change', drop);
		this.#stop = () => awareness.off('change', drop);
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
	}

	/** Every other tab on the board with a readable, stamped state. */
	get peers(): Peer[] {
		this.#subscribe();
		if (this.#peers) return this.#peers;
		const peers: Peer[] = [];
		for (const [clientId, raw] of this.awareness.getStates()) {
			if (clientId === this.awareness.clientID) continue;
			const user = presenceUserSchema.safeParse((raw as { user?: unknown }).user);
			// Field by field: one value this page cannot read (a newer page's, say) hides only that.
			const state = parsePresenceState(raw);
			if (user.success && state) peers.push({ clientId, user: user.data, state });
		}
		this.#peers = peers;
		return peers;
	}

	/** Everybody here, me first, then by name; one entry per person however many tabs. */
	get people(): Person[] {
		const byUser: Record<string, Person> = {};
		for (const peer of this.peers) {
			if (peer.user.id === this.self.id) continue;
			const known = byUser[peer.user.id];
			const presenting = Boolean(peer.state.presenting) || Boolean(known?.presenting);
			byUser[peer.user.id] = { user: peer.user, clientId: peer.clientId, presenting, me: false };
		}
		const others = Object.values(byUser).sort((a, b) =>
			a.user.name.localeCompare(b.user.name, 'nl')
		);
		const me: Person = {
			user: this.self,
			clientId: this.awareness.clientID,
			presenting: this.#presenting,
			me: true
		};
		return [me, ...others];
	}

	/**
	 * Who has what open, by entity id (address, gesprek, initiatief, notitie): for dots in the lists
	 * and "X bewerkt dit". A person editing a gesprek marks both the gesprek and its address.
	 */
	get marks(): Readonly<Record<string, Mark[]>> {
		const marks: Record<string, Mark[]> = {};
		const add = (id: string, peer: Peer, editing: boolean) => {
			const list = (marks[id] ??= []);
			if (list.some((x) => x.userId === peer.user.id)) return;
			list.push({ userId: peer.user.id, name: peer.user.name, colour: peer.user.colour, editing });
		};
		for (const peer of this.peers) {
			if (peer.user.id === this.self.id) continue;
			const { selection, editing } = peer.state;
			if (editing) add(editing.id, peer, true);
			if (selection)
				add(
					selection.id,
					peer,
					editing?.id === selection.id || (selection.kind === 'address' && Boolean(editing))
				);
		}
		// Cursors move 20 times a second; lists re-render only when what people have open changes.
		const json = JSON.stringify(marks);
		if (json !== this.#marks.json) this.#marks = { json, value: marks };
		return this.#marks.value;
	}

	peer(clientId: number | null): Peer | null {
		return clientId === null ? null : (this.peers.find((p) => p.clientId === clientId) ?? null);
	}

	/** Whoever presents (the latest to start), unless that is me. */
	get presenter(): Peer | null {
		if (this.#presenting) return null;
		let best: Peer | null = null;
		for (const p of this.peers) {
			if (!p.state.presenting) continue;
			if (!best || (p.state.presentingSince ?? 0) > (best.state.presentingSince ?? 0)) best = p;
		}
		return best;
	}

	get presenting(): boolean {
		return this.#presenting;
	}

	/** True while a presenter is on and I stepped out of following them. */
	get steppedOut(): boolean {
		const p = this.presenter;
		return p !== null && this.#steppedOut === (p.state.presentingSince ?? 0);
	}

	/** The tab whose view I follow now: my choice, else the presenter unless I stepped out. */
	get followed(): Peer | null {
		const chosen = this.peer(this.#chosen);
		if (chosen) return chosen;
		const p = this.presenter;
		return p && !this.steppedOut ? p : null;
	}

	/** True when the followed tab is the presenter (not a person I chose). */
	get followingPresenter(): boolean {
		const f = this.followed;
		return f !== null && f.clientId !== this.#chosen;
	}

	/**
	 * Follows a person's tab. The presenter (any of their tabs: the list has one button per
	 * person) means back into the presentation, their filters included, as "Volg X weer" does;
	 * before, it followed them as a person: their map but not their filters.
	 */
	follow(clientId: number): void {
		if (clientId === this.awareness.clientID) return;
		const p = this.presenter;
		if (p && p.user.id === this.peer(clientId)?.user.id) {
			this.rejoinPresenter();
			return;
		}
		this.#chosen = clientId;
	}

	/** Stops following (own pan, zoom, Escape, or the banner's button). */
	unfollow(): void {
		const f = this.followed;
		if (!f) return;
		this.#chosen = null;
		const p = this.presenter;
		if (p) this.#steppedOut = p.state.presentingSince ?? 0;
	}

	/** Back to following the presenter after stepping out. */
	rejoinPresenter(): void {
		this.#chosen = null;
		this.#steppedOut = null;
	}

	present(on: boolean): void {
		this.#presenting = on;
		this.#chosen = null;
		this.#send({ presenting: on, presentingSince: on ? Date.now() : 0 }, true);
	}

	setCursor(cursor: PresencePoint | null): void {
		this.#send({ cursor }, cursor === null);
	}
	setView(view: PresencePoint & { zoom: number }): void {
		this.#send({ view: round(view) });
	}
	setSelection(selection: PresenceSelection | null): void {
		this.#send({ selection }, true);
	}
	setEditing(editing: PresenceState['editing']): void {
		this.#send({ editing }, true);
	}
	setFilters(filters: PresenceFilters): void {
		this.#send({ filters }, true);
	}

	destroy(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#stop();
		this.awareness.setLocalState(null);
	}

	/** Merges into the local state; sends at most every PRESENCE_THROTTLE_MS (the last wins). */
	#send(change: PresenceState, now = false): void {
		Object.assign(this.#pending, change);
		if (this.#timer) {
			if (!now) return;
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		const wait = this.#lastSent + PRESENCE_THROTTLE_MS - Date.now();
		if (wait > 0 && !now) {
			this.#timer = setTimeout(() => this.#flush(), wait);
			return;
		}
		this.#flush();
	}

	#flush(): void {
		this.#timer = null;
		this.#lastSent = Date.now();
		const current = (this.awareness.getLocalState() ?? {}) as PresenceState;
		this.awareness.setLocalState({ ...current, ...this.#pending, user: this.self });
		this.#pending = {};
	}
}

/** Enough precision for a view (about a metre), fewer bytes per update. */
function round(view: PresencePoint & { zoom: number }) {
	const r = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
	return { lon: r(view.lon, 6), lat: r(view.lat, 6), zoom: r(view.zoom, 2) };
}
