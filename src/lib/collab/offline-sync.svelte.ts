import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { OfflineCopy } from './offline';

/** y-websocket message types (y-protocols): sync, and within it step 1, step 2 and update. */
const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** The server's replies to our probes and relayed updates are decoded below this size. */
const DECODE_LIMIT = 1 << 20;

type Clocks = Map<number, number>;
/** A local change: for each client id in it, the clock its structs reach. */
type Marker = [client: number, clock: number][];

function maxInto(target: Clocks, client: number, clock: number): boolean {
	if ((target.get(client) ?? 0) >= clock) return false;
	target.set(client, clock);
	return true;
}

/** Where an update's structs end, per client (skips and deletions aside). */
function updateEnds(update: Uint8Array): Clocks {
	const ends: Clocks = new Map();
	for (const s of Y.decodeUpdate(update).structs) {
		if (s instanceof Y.Item || s instanceof Y.GC) maxInto(ends, s.id.client, s.id.clock + s.length);
	}
	return ends;
}

export type SyncSummary =
	| { state: 'saved' }
	| { state: 'unsent'; count: number; offlineSince: Date | null }
	| { state: 'offline'; since: Date };

/**
 * What the server has of this device's changes, from state vectors rather than guesses.
 *
 * The server's state vector is learnt from what it sends: its sync step 1 on connect (its whole
 * state vector), and every step 2 or update (it has those structs). After local changes the
 * tracker sends a sync step 1 that claims, for each client where this device is ahead, only what
 * the server is known to have; the server answers with what it holds beyond that, which tells
 * how far it has taken our changes. (The server applies messages of one socket in order, so the
 * answer comes after our updates were applied; it stores them within half a second.)
 *
 * A change counts as unsent while any of its structs is beyond the server's known clock. The
 * server's state vector, the list of changes and the moment the connection was lost are kept
 * with the offline copy, so they survive a reload.
 */
export class SyncTracker {
	#server: Clocks = new Map();
	#markers = $state.raw<Marker[]>([]);
	#serverVersion = $state(0);
	#connected = $state(false);
	#offlineSince = $state.raw<Date | null>(null);
	#probeTimer: ReturnType<typeof setTimeout> | null = null;
	#socket: WebSocket | null = null;
	readonly #stop: (() => void)[] = [];

	constructor(
		private readonly doc: Y.Doc,
		private readonly provider: WebsocketProvider,
		private readonly copy: OfflineCopy | null
	) {
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			if (origin === provider || (copy && origin === copy.origin)) return;
			const ends = updateEnds(update);
			if (ends.size === 0) return; // deletions only: covered by the entity's own change
			this.#markers = [...this.#markers, [...ends]];
			this.#persist();
			this.#scheduleProbe();
		};
		doc.on('update', onUpdate);
		this.#stop.push(() => doc.off('update', onUpdate));
		const onStatus = ({ status }: { status: string }) => {
			const connected = status === 'connected';
			if (connected) this.#attach(provider.ws);
			else if (this.#connected) {
				this.#offlineSince = new Date();
				void this.copy?.set('offlineSince', this.#offlineSince.toISOString());
			}
			this.#connected = connected;
			if (connected) this.#offlineSince = null;
		};
		provider.on('status', onStatus);
		this.#stop.push(() => provider.off('status', onStatus));
		if (provider.wsconnected) onStatus({ status: 'connected' });
		else this.#offlineSince = new Date();
	}

	/** Loads what an earlier session of this page knew (call once the offline copy is loaded). */
	async restore(): Promise<void> {
		if (!this.copy) return;
		const [server, markers, since] = await Promise.all([
			this.copy.get<Uint8Array>('serverStateVector'),
			this.copy.get<string>('pendingChanges'),
			this.copy.get<string>('offlineSince')
		]);
		if (server instanceof Uint8Array) {
			for (const [client, clock] of Y.decodeStateVector(server)) maxInto(this.#server, client, clock);
		}
		if (typeof markers === 'string') {
			try {
				const stored = JSON.parse(markers) as Marker[];
				this.#markers = [...stored, ...this.#markers];
			} catch {
				// unreadable: counted from the clocks instead (see count)
			}
		}
		if (!this.#connected && typeof since === 'string') this.#offlineSince = new Date(since);
		this.#prune();
		this.#serverVersion++;
		this.#scheduleProbe();
	}

	/** The number of this device's changes the server does not have yet. */
	get unsent(): number {
		void this.#serverVersion;
		const pending = this.#markers.filter((m) => this.#beyondServer(m)).length;
		if (pending > 0) return pending;
		// Changes from before the tracker kept a list: at least one if any clock is ahead.
		for (const [client, clock] of Y.getStateVector(this.doc)) {
			if (clock > (this.#server.get(client) ?? 0) && this.#serverKnown) return 1;
		}
		return 0;
	}

	get summary(): SyncSummary {
		const count = this.unsent;
		if (count > 0) return { state: 'unsent', count, offlineSince: this.#offlineSince };
		if (!this.#connected) return { state: 'offline', since: this.#offlineSince ?? new Date() };
		return { state: 'saved' };
	}

	get #serverKnown(): boolean {
		return this.#server.size > 0;
	}

	#beyondServer(marker: Marker): boolean {
		return marker.some(([client, clock]) => clock > (this.#server.get(client) ?? 0));
	}

	#attach(ws: WebSocket | null): void {
		if (!ws || ws === this.#socket) return;
		this.#socket = ws;
		ws.addEventListener('message', (event: MessageEvent) => {
			if (event.data instanceof ArrayBuffer) this.#onMessage(new Uint8Array(event.data));
		});
	}

	#onMessage(data: Uint8Array): void {
		let changed = false;
		try {
			const decoder = decoding.createDecoder(data);
			if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
			const kind = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (kind === SYNC_STEP1) {
				for (const [client, clock] of Y.decodeStateVector(payload))
					changed = maxInto(this.#server, client, clock) || changed;
				// Our answer (step 2) goes out right after this message; ask what it brought.
				this.#scheduleProbe(50);
			} else if ((kind === SYNC_STEP2 || kind === SYNC_UPDATE) && data.length < DECODE_LIMIT) {
				for (const [client, clock] of updateEnds(payload))
					changed = maxInto(this.#server, client, clock) || changed;
			}
		} catch {
			return; // not ours to judge: the provider handles (or refuses) the message
		}
		if (changed) {
			this.#prune();
			this.#serverVersion++;
			this.#persist();
		}
	}

	/** Changes the server has are forgotten (the list stays short). */
	#prune(): void {
		const left = this.#markers.filter((m) => this.#beyondServer(m));
		if (left.length !== this.#markers.length) this.#markers = left;
	}

	#scheduleProbe(delay = 300): void {
		if (this.#probeTimer) clearTimeout(this.#probeTimer);
		this.#probeTimer = setTimeout(() => this.#probe(), delay);
	}

	/** A sync step 1 claiming only what the server is known to have of the clients we are ahead on. */
	#probe(): void {
		this.#probeTimer = null;
		const ws = this.provider.ws;
		if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
		const local = Y.getStateVector(this.doc);
		let ahead = false;
		const claimed = new Map<number, number>();
		for (const [client, clock] of local) {
			const known = this.#server.get(client) ?? 0;
			if (clock > known) ahead = true;
			claimed.set(client, Math.min(clock, known));
		}
		if (!ahead) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		encoding.writeVarUint(encoder, SYNC_STEP1);
		const sv = encoding.createEncoder();
		encoding.writeVarUint(sv, claimed.size);
		for (const [client, clock] of claimed) {
			encoding.writeVarUint(sv, client);
			encoding.writeVarUint(sv, clock);
		}
		encoding.writeVarUint8Array(encoder, encoding.toUint8Array(sv));
		ws.send(encoding.toUint8Array(encoder));
	}

	#persist(): void {
		if (!this.copy) return;
		const sv = encoding.createEncoder();
		encoding.writeVarUint(sv, this.#server.size);
		for (const [client, clock] of this.#server) {
			encoding.writeVarUint(sv, client);
			encoding.writeVarUint(sv, clock);
		}
		void this.copy.set('serverStateVector', encoding.toUint8Array(sv));
		void this.copy.set('pendingChanges', JSON.stringify(this.#markers));
	}

	destroy(): void {
		if (this.#probeTimer) clearTimeout(this.#probeTimer);
		for (const stop of this.#stop.splice(0)) stop();
	}
}
