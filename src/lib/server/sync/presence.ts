import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
	PRESENCE_USER_KEY,
	parsePresenceState,
	presenceColour,
	type PresenceState,
	type PresenceUser
} from '../../collab/presence-state';
import type { SyncContext } from './hooks';

/**
 * The presence hook of a room (y-protocols awareness), beside the document hooks: it decides what
 * a connection may announce and what others receive.
 *
 * - **Own ids only.** A connection claims at most `idsPerConnection` awareness client ids: the
 *   first ids it announces a new state for that no other open connection holds. Entries for any
 *   other id are dropped silently (y-websocket clients echo everyone's states back, so a foreign
 *   id is normal traffic, not an attack to close the socket for).
 * - **Stamped.** Each accepted state is parsed field by field with the shared schema
 *   (`parsePresenceState`: a field that fails is dropped alone, unknown fields go) and the server
 *   writes `user` (id, name, organisation, colour) from the connection's authenticated user:
 *   nobody can show another name. A state is read up to `rawStateBytes`; what is kept is at most
 *   `stateBytes` (the largest fields go first until it fits).
 * - **Coalesced.** Accepted entries wait in one map (latest per id) and are applied and broadcast
 *   together at most every `intervalMs` (20 per second by default): a connection that floods gets
 *   its last state through, others get one message per interval. Above `messagesPerSecond`
 *   awareness messages a connection's messages are dropped unread.
 * - **Gone with the connection.** `leave` drops its pending entries and removes its states.
 * - **Board-wide presentations.** Who presents, and since when, is read from the room's awareness,
 *   which holds the states of every process (redis-relay.ts): a presentation that ended here or on
 *   another process (stopped, its connection closed, its process gone) is remembered for
 *   PRESENTATION_RESUME_MS on every process, so its presenter continues it wherever they reconnect.
 *   A user who lost access (`forget`) continues nothing.
 * - **A tab coming back.** A reconnecting tab resends its state with the clock it had, which the
 *   removal of its state left as it was: its own user may take the id back at that clock (the
 *   server applies it one clock later, so that every client takes it).
 */
export interface PresenceLimits {
	idsPerConnection: number;
	/** Largest state (JSON, UTF-8 bytes) kept and broadcast, stamp included. */
	stateBytes: number;
	/**
	 * Largest state read at all (JSON, UTF-8 bytes); larger ones are dropped whole unread. Above
	 * stateBytes, so that one overlong field is dropped alone and the rest stays.
	 */
	rawStateBytes: number;
	/** Presence is broadcast at most once per interval per board. */
	intervalMs: number;
	/** Awareness messages a connection may send per second before they are dropped unread. */
	messagesPerSecond: number;
	/** Entries read from one awareness message; the rest are ignored. */
	entriesPerMessage: number;
}

export const PRESENCE_LIMITS: PresenceLimits = {
	idsPerConnection: 2,
	// A presenter's whole filter (session 21: `filters.criteria`, lists of at most 20 values each)
	// beside the older filter fields, selection, view and the stamp: 2,048 was too tight for a few
	// long street names or theme ids.
	stateBytes: 8192,
	// Parsing 32 KiB of JSON takes well under a millisecond, and a connection's bytes are budgeted
	// (limits.ts: IncomingBudget) and only its own (at most two) ids are parsed.
	rawStateBytes: 32_768,
	intervalMs: 50,
	messagesPerSecond: 100,
	entriesPerMessage: 1000
};

/** Presenting again within this time after stopping continues the same presentation. */
export const PRESENTATION_RESUME_MS = 30_000;

/** How long the user of a state that went is kept, for a tab that comes back (see mayWrite). */
const DEPARTED_MS = 10 * 60_000;

/** Origin of the presence changes this hook applies (not a connection). */
export const PRESENCE_ORIGIN = Symbol('buurtbord-presence');

/** The owner of ids whose states come from another server process. */
const FOREIGN = Object.freeze({ foreign: true });

interface Holder {
	ids: Set<number>;
	user: PresenceUser | null;
	/** The connection's access (read-only changes with the member's role). */
	context: SyncContext;
	/** When this connection started presenting, by the server's clock; null when it does not. */
	presentingSince: number | null;
	/** Token bucket for awareness messages. */
	tokens: number;
	refilledAt: number;
}

interface Entry {
	clock: number;
	/** The stamped state as JSON, or 'null' for a removal. */
	json: string;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class RoomPresence {
	private readonly holders = new Map<object, Holder>();
	/** Awareness client id → the connection that holds it. */
	private readonly owners = new Map<number, object>();
	private readonly pending = new Map<number, Entry>();
	/**
	 * Each user's last presentation and when it ended (stopped, or its connection closed): the
	 * user presenting again at once continues it, also from a new connection (a reload, or a
	 * reconnect after the network was gone), so who stepped out stays out. Keyed by user id (by
	 * the connection where there is none); entries older than PRESENTATION_RESUME_MS go.
	 */
	private readonly presentations = new Map<unknown, { since: number; endedAt: number }>();
	/** Per awareness id with a state (of any process): its user and, while it presents, since when. */
	private readonly shown = new Map<number, { userId: string | null; since: number | null }>();
	/** Ids whose state went, with its user and when: only that user's tab takes one back at its clock. */
	private readonly departed = new Map<number, { userId: string; at: number }>();
	/** Users who lost access, and when: their presentations before that are not continued. */
	private readonly revokedAt = new Map<string, number>();
	private timer: ReturnType<typeof setTimeout> | null = null;
	private lastFlush = 0;
	private readonly observe = ({
		added,
		updated,
		removed
	}: {
		added: number[];
		updated: number[];
		removed: number[];
	}) => this.observeStates(added, updated, removed);

	constructor(
		private readonly awareness: awarenessProtocol.Awareness,
		private readonly limits: PresenceLimits = PRESENCE_LIMITS
	) {
		awareness.on('update', this.observe);
	}

	/** Reads one awareness message of a connection. Throws only on an unreadable message. */
	receive(connection: object, context: SyncContext, payload: Uint8Array): void {
		const holder = this.holder(connection, context);
		if (!this.take(holder)) return;
		const decoder = decoding.createDecoder(payload);
		const count = decoding.readVarUint(decoder);
		const { limits } = this;
		let changed = false;
		for (let i = 0; i < count && i < limits.entriesPerMessage; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			// The state's UTF-8 bytes, not decoded yet: most entries (echoes of others) are dropped.
			const raw = decoding.readVarUint8Array(decoder);
			if (!this.mayWrite(connection, holder, clientId, clock, raw)) continue;
			const json = this.stamp(connection, holder, raw);
			if (json === undefined) continue;
			// A tab taking its id back at the clock it had: one later, or nobody would apply it.
			const meta =
				this.owners.get(clientId) === connection ? undefined : this.awareness.meta.get(clientId);
			const out = meta && meta.clock >= clock ? meta.clock + 1 : clock;
			const known = this.pending.get(clientId);
			if (known && known.clock >= out) continue;
			holder.ids.add(clientId);
			this.owners.set(clientId, connection);
			this.pending.set(clientId, { clock: out, json });
			changed = true;
		}
		if (changed) this.schedule();
	}

	/** A connection closed: its pending entries go and its states are removed for everyone. */
	leave(connection: object): void {
		const holder = this.holders.get(connection);
		if (!holder) return;
		this.holders.delete(connection);
		this.endPresentation(connection, holder);
		const ids = [...holder.ids];
		for (const id of ids) {
			this.owners.delete(id);
			this.pending.delete(id);
		}
		awarenessProtocol.removeAwarenessStates(this.awareness, ids, PRESENCE_ORIGIN);
	}

	/**
	 * States announced on another server process (redis-relay.ts): no connection here may claim
	 * their ids while they are present; `gone` ids are free again (unless a connection here holds them).
	 */
	markForeign(present: number[], gone: number[]): void {
		for (const id of present) if (!this.owners.has(id)) this.owners.set(id, FOREIGN);
		for (const id of gone) if (this.owners.get(id) === FOREIGN) this.owners.delete(id);
	}

	/**
	 * The user of the open connection that holds an awareness id on this process (a tab's
	 * awareness id is its document's Yjs client id); undefined when none does.
	 */
	holderOf(clientId: number): string | undefined {
		const owner = this.owners.get(clientId);
		if (owner === undefined || owner === FOREIGN) return undefined;
		return this.holders.get(owner)?.context.userId;
	}

	/** Ids held by open connections (for tests and monitoring). */
	get heldIds(): number {
		let held = 0;
		for (const owner of this.owners.values()) if (owner !== FOREIGN) held++;
		return held;
	}

	/** Whether the state of this id comes from another process (redis-relay.ts). */
	isForeign(clientId: number): boolean {
		return this.owners.get(clientId) === FOREIGN;
	}

	/**
	 * A user lost access to the board (removed, signed out everywhere): what they presented is not
	 * continued, on this process and (the relay carries the access change) on every other.
	 */
	forget(userId: string): void {
		this.revokedAt.set(userId, Date.now());
		this.presentations.delete(userId);
		for (const holder of this.holders.values())
			if (holder.context.userId === userId) holder.presentingSince = null;
	}

	destroy(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.pending.clear();
		this.awareness.off('update', this.observe);
	}

	/**
	 * Follows every state the room shows (this process's, after the flush, and other processes'):
	 * a presentation that ends is remembered for its user, a state that goes leaves its user.
	 */
	private observeStates(added: number[], updated: number[], removed: number[]): void {
		const now = Date.now();
		const states = this.awareness.getStates();
		for (const id of added.concat(updated)) {
			const state = states.get(id) as
				{ user?: { id?: unknown }; presenting?: unknown; presentingSince?: unknown } | undefined;
			const userId = typeof state?.user?.id === 'string' ? state.user.id : null;
			const since =
				state?.presenting === true && typeof state.presentingSince === 'number'
					? state.presentingSince
					: null;
			const before = this.shown.get(id);
			if (before && before.since !== null && before.since !== since) {
				this.remember(before.userId, before.since, now);
			}
			// Presenting now: nothing to continue for this user while it lasts.
			if (since !== null && userId !== null) this.presentations.delete(userId);
			this.shown.set(id, { userId, since });
			this.departed.delete(id);
		}
		for (const id of removed) {
			const before = this.shown.get(id);
			if (!before) continue;
			this.shown.delete(id);
			if (before.since !== null) this.remember(before.userId, before.since, now);
			if (before.userId !== null) this.departed.set(id, { userId: before.userId, at: now });
		}
		if (this.departed.size > 256) {
			for (const [id, { at }] of this.departed)
				if (now - at > DEPARTED_MS) this.departed.delete(id);
		}
	}

	/** A presentation ended: its presenter may continue it for PRESENTATION_RESUME_MS. */
	private remember(key: unknown, since: number, now: number): void {
		if (key === null || key === undefined) return;
		if (typeof key === 'string' && (this.revokedAt.get(key) ?? -1) >= since) return;
		for (const [k, last] of this.presentations)
			if (now - last.endedAt >= PRESENTATION_RESUME_MS) this.presentations.delete(k);
		const last = this.presentations.get(key);
		if (last && last.since === since && last.endedAt <= now) return;
		this.presentations.set(key, { since, endedAt: now });
	}

	private holder(connection: object, context: SyncContext): Holder {
		let holder = this.holders.get(connection);
		if (!holder) {
			holder = {
				ids: new Set(),
				user: stampFor(context),
				context,
				presentingSince: null,
				tokens: this.limits.messagesPerSecond,
				refilledAt: Date.now()
			};
			this.holders.set(connection, holder);
		}
		return holder;
	}

	/** One token per message, refilled at messagesPerSecond. */
	private take(holder: Holder): boolean {
		const now = Date.now();
		const rate = this.limits.messagesPerSecond;
		holder.tokens = Math.min(rate, holder.tokens + ((now - holder.refilledAt) / 1000) * rate);
		holder.refilledAt = now;
		if (holder.tokens < 1) return false;
		holder.tokens -= 1;
		return true;
	}

	private mayWrite(
		connection: object,
		holder: Holder,
		clientId: number,
		clock: number,
		raw: Uint8Array
	): boolean {
		const owner = this.owners.get(clientId);
		if (owner === connection) return true;
		if (owner !== undefined) return false;
		// A claim: only with a new state (not a removal, nor an echo Yjs would ignore anyway).
		if (holder.ids.size >= this.limits.idsPerConnection) return false;
		if (raw.length === 4 && raw[0] === 110 /* "null" */) return false;
		const meta = this.awareness.meta.get(clientId);
		if (!meta || meta.clock < clock) return true;
		// The same tab back (a reconnect, here or after its process died) resends the clock it had.
		// Another user's client echoing a state that just went (a stale echo) may not take it.
		return (
			meta.clock === clock &&
			!this.awareness.states.has(clientId) &&
			holder.context.userId !== undefined &&
			this.departed.get(clientId)?.userId === holder.context.userId
		);
	}

	/** The state as others will see it (JSON), or undefined to drop it. */
	private stamp(connection: object, holder: Holder, raw: Uint8Array): string | undefined {
		if (raw.length > this.limits.rawStateBytes) return undefined;
		let value: unknown;
		try {
			value = JSON.parse(textDecoder.decode(raw));
		} catch {
			return undefined;
		}
		if (value === null) return 'null';
		const state = parsePresenceState(value);
		if (!state) return undefined;
		// A read-only member edits nothing: others are never told "X bewerkt dit".
		if (holder.context.readOnly) delete state.editing;
		this.presentation(connection, holder, state);
		const stamped: Record<string, unknown> = holder.user
			? { ...state, [PRESENCE_USER_KEY]: holder.user }
			: { ...state };
		let json = JSON.stringify(stamped);
		// Too big together (each field is bounded, their sum is not): the largest fields go first.
		while (Buffer.byteLength(json) > this.limits.stateBytes) {
			const largest = Object.keys(stamped)
				.filter((key) => key !== PRESENCE_USER_KEY)
				.sort((a, b) => JSON.stringify(stamped[b]).length - JSON.stringify(stamped[a]).length)[0];
			if (largest === undefined) return undefined;
			delete stamped[largest];
			json = JSON.stringify(stamped);
		}
		return json;
	}

	/**
	 * When a presentation started is the server's time, not what the client says (the latest
	 * presenter leads, so a far-future time would lead for ever), and stopping and starting again
	 * within PRESENTATION_RESUME_MS continues the same presentation: those who chose to look around
	 * themselves stay out of it (presence.svelte.ts keys that choice by this time).
	 */
	private presentation(connection: object, holder: Holder, state: PresenceState): void {
		if (state.presenting) {
			if (holder.presentingSince === null) {
				const now = Date.now();
				const key = holder.context.userId ?? connection;
				const last = this.presentations.get(key);
				holder.presentingSince =
					last && now - last.endedAt < PRESENTATION_RESUME_MS ? last.since : now;
				this.presentations.delete(key);
			}
			state.presentingSince = holder.presentingSince;
			return;
		}
		this.endPresentation(connection, holder);
		if (state.presentingSince !== undefined) state.presentingSince = 0;
	}

	/** A connection stopped presenting (or closed while it did): remembered for a quick restart. */
	private endPresentation(connection: object, holder: Holder): void {
		if (holder.presentingSince === null) return;
		this.remember(holder.context.userId ?? connection, holder.presentingSince, Date.now());
		holder.presentingSince = null;
	}

	private schedule(): void {
		if (this.timer) return;
		const wait = this.lastFlush + this.limits.intervalMs - Date.now();
		if (wait <= 0) this.flush();
		else this.timer = setTimeout(() => this.flush(), wait);
	}

	/** Applies every pending entry in one awareness update: one broadcast to every connection. */
	private flush(): void {
		this.timer = null;
		this.lastFlush = Date.now();
		if (this.pending.size === 0) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, this.pending.size);
		for (const [clientId, entry] of this.pending) {
			encoding.writeVarUint(encoder, clientId);
			encoding.writeVarUint(encoder, entry.clock);
			encoding.writeVarString(encoder, entry.json);
		}
		this.pending.clear();
		awarenessProtocol.applyAwarenessUpdate(
			this.awareness,
			encoding.toUint8Array(encoder),
			PRESENCE_ORIGIN
		);
	}
}

/** The user a connection's states are stamped with (none in tests that run without accounts). */
function stampFor(context: SyncContext): PresenceUser | null {
	if (!context.userId) return null;
	return {
		id: context.userId,
		name: context.userName ?? '',
		organisation: context.organisationName ?? null,
		colour: presenceColour(context.userId)
	};
}
