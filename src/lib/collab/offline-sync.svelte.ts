import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { countUnsent, type OfflineCopy } from './offline';
import { ServerClocks, updateEnds, type Marker } from './offline-clocks';
import { MESSAGE_STORED, decodeStored, encodeStoredRequest } from './stored';

/** The first question what is stored, this long after a change of this device. */
const ASK_FIRST_MS = 300;
/** While changes are sent but not known to be stored, the server is asked again this often. */
const ASK_AGAIN_MS = 1_500;

export type SyncSummary =
	| { state: 'saved' }
	/**
	 * Connected, everything sent, some of it not stored yet (the server's write delay); `since`:
	 * when the oldest of those changes was made (ms).
	 */
	| { state: 'saving'; since: number }
	/** `offlineSince`: a timestamp (ms), or null while connected. */
	| { state: 'unsent'; count: number; offlineSince: number | null }
	| { state: 'offline'; since: number };

/**
 * One summary for the board and its companion documents (the organisation's confidential notes):
 * their unsent changes add up; the board's connection decides "offline since".
 */
export function combineSync(
	main: SyncSummary | null,
	others: readonly (SyncSummary | null)[]
): SyncSummary | null {
	if (!main) return null;
	const count = [main, ...others].reduce(
		(sum, s) => sum + (s?.state === 'unsent' ? s.count : 0),
		0
	);
	if (count === 0) {
		if (main.state !== 'saved' && main.state !== 'saving') return main;
		const since = [main, ...others].reduce(
			(oldest, s) => (s?.state === 'saving' ? Math.min(oldest, s.since) : oldest),
			Infinity
		);
		return since === Infinity ? main : { state: 'saving', since };
	}
	const offlineSince =
		main.state === 'offline' ? main.since : main.state === 'unsent' ? main.offlineSince : null;
	return { state: 'unsent', count, offlineSince };
}

/**
 * What the server has of this device's changes, from state vectors rather than guesses.
 *
 * The server's state vector is learnt from what it sends: its sync step 1 on connect (its whole
 * state vector), and every step 2 or update (it has those structs). After local changes the
 * tracker sends a sync step 1 that claims, for each client where this device is ahead, only what
 * the server is known to have; the server answers with what it holds beyond that, which tells
 * how far it has taken our changes (offline-clocks.ts). The server applies the messages of one
 * socket in order, so the answer comes after our updates were applied.
 *
 * Applied is not stored: the server writes within its write delay (0.6 s by default), and a crash
 * before that loses what only it had. So the tracker also asks what is stored (stored.ts); the
 * server answers once its database has everything it had applied when asked.
 *
 * A local change counts as unsent while any of its structs is beyond the server's known clock,
 * and as saving while any is beyond what the server said is stored. The server's clocks, the list
 * of changes not known to be stored and the moment the connection was lost are kept with the
 * offline copy, so they survive a reload.
 */
export class SyncTracker {
	readonly #server = new ServerClocks();
	/** What the server said is stored (a lower bound; part of what it has). */
	readonly #stored = new ServerClocks();
	#markers = $state.raw<Marker[]>([]);
	/** When each change in the list was made (or, kept from an earlier session, loaded). */
	readonly #madeAt = new WeakMap<Marker, number>();
	#serverVersion = $state(0);
	#connected = $state(false);
	#offlineSince = $state<number | null>(null);
	#probeTimer: ReturnType<typeof setTimeout> | null = null;
	#askTimer: ReturnType<typeof setTimeout> | null = null;
	#socket: WebSocket | null = null;
	readonly #stop: (() => void)[] = [];

	constructor(
		private readonly doc: Y.Doc,
		private readonly provider: WebsocketProvider,
		private readonly copy: OfflineCopy | null,
		/** Origins that are not this page's own edits (e.g. another copy on the device). */
		notLocal: (origin: unknown) => boolean = () => false
	) {
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			if (origin === provider || (copy && origin === copy.origin) || notLocal(origin)) return;
			const ends = updateEnds(update);
			if (ends.length === 0) return; // deletions only: no structs to wait for
			this.#madeAt.set(ends, Date.now());
			this.#markers = [...this.#markers, ends];
			this.#persist();
			this.#scheduleProbe();
			// Throttled, not debounced: while someone types without pause, the question still goes.
			this.#askTimer ??= setTimeout(() => {
				this.#askTimer = null;
				this.#ask();
			}, ASK_FIRST_MS);
		};
		doc.on('update', onUpdate);
		this.#stop.push(() => doc.off('update', onUpdate));
		provider.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
			const stateVector = decodeStored(decoder);
			if (stateVector) this.#onStored(stateVector);
		};
		// Signing out asks first while changes are not on the server (offline.ts).
		this.#stop.push(countUnsent(() => this.unsent));
		const onStatus = ({ status }: { status: string }) => {
			const connected = status === 'connected';
			if (connected) {
				this.#attach(provider.ws);
				this.#offlineSince = null;
			} else if (this.#connected || this.#offlineSince === null) {
				this.#offlineSince = Date.now();
				void this.copy?.set('offlineSince', this.#offlineSince);
			}
			this.#connected = connected;
		};
		provider.on('status', onStatus);
		// The browser knows it lost the network before the socket notices.
		const onOffline = () => onStatus({ status: 'disconnected' });
		// A socket that survived a short loss of network: connected again without a new status.
		const onOnline = () => {
			if (provider.wsconnected) onStatus({ status: 'connected' });
			this.#scheduleProbe();
		};
		window.addEventListener('offline', onOffline);
		window.addEventListener('online', onOnline);
		this.#stop.push(
			() => provider.off('status', onStatus),
			() => window.removeEventListener('offline', onOffline),
			() => window.removeEventListener('online', onOnline)
		);
		if (provider.wsconnected && navigator.onLine) onStatus({ status: 'connected' });
		else if (!navigator.onLine) onStatus({ status: 'disconnected' });
	}

	/** Loads what an earlier session of this page knew (call once the offline copy is loaded). */
	async restore(): Promise<void> {
		if (!this.copy) return;
		const [server, stored, markers, since] = await Promise.all([
			this.copy.get<Uint8Array>('serverStateVector'),
			this.copy.get<Uint8Array>('storedStateVector'),
			this.copy.get<string>('pendingChanges'),
			this.copy.get<number>('offlineSince')
		]);
		if (server instanceof Uint8Array) this.#server.restore(server);
		if (stored instanceof Uint8Array) this.#stored.restore(stored);
		if (typeof markers === 'string') {
			try {
				const kept = JSON.parse(markers) as Marker[];
				const now = Date.now();
				for (const marker of kept) this.#madeAt.set(marker, now);
				this.#markers = [...kept, ...this.#markers];
			} catch {
				// unreadable: counted from the clocks instead (see unsent)
			}
		}
		if (!this.#connected && typeof since === 'number') this.#offlineSince = since;
		this.#prune();
		this.#serverVersion++;
		this.#scheduleProbe();
	}

	/** The number of this device's changes the server is not known to have stored. */
	get unsent(): number {
		void this.#serverVersion;
		return this.#markers.length || this.#unknownAhead();
	}

	/** Of those, the ones the server is not known to have at all. */
	get unsentToServer(): number {
		void this.#serverVersion;
		return this.#markers.filter((m) => !this.#server.has(m)).length || this.#unknownAhead();
	}

	/** Changes the list does not know of (kept before it): at least one if the clocks are ahead. */
	#unknownAhead(): number {
		return this.#server.known && this.#server.behind(this.doc) ? 1 : 0;
	}

	get summary(): SyncSummary {
		const offlineSince = this.#offlineSince;
		// Offline, a change the server had but had not stored may have to be sent again.
		const count = this.#connected ? this.unsentToServer : this.unsent;
		if (count > 0) return { state: 'unsent', count, offlineSince };
		if (!this.#connected) return { state: 'offline', since: offlineSince ?? Date.now() };
		if (this.unsent > 0) {
			const now = Date.now();
			const since = this.#markers.reduce((t, m) => Math.min(t, this.#madeAt.get(m) ?? now), now);
			return { state: 'saving', since };
		}
		return { state: 'saved' };
	}

	#attach(ws: WebSocket | null): void {
		if (!ws || ws === this.#socket) return;
		this.#socket = ws;
		ws.addEventListener('message', (event: MessageEvent) => {
			if (event.data instanceof ArrayBuffer) this.#onMessage(new Uint8Array(event.data));
		});
	}

	#onMessage(data: Uint8Array): void {
		let result: { step1: boolean; changed: boolean };
		try {
			result = this.#server.read(data);
		} catch {
			return; // not ours to judge: the provider handles (or refuses) the message
		}
		// Our answer to the server's step 1 goes out right after it: then ask what it brought.
		if (result.step1) this.#scheduleProbe(50);
		if (result.changed) {
			this.#prune();
			this.#serverVersion++;
			this.#persist();
		}
	}

	/** The server's answer to "what is stored?": changes it covers are safe. */
	#onStored(stateVector: Uint8Array): void {
		let entries: Map<number, number>;
		try {
			entries = Y.decodeStateVector(stateVector);
		} catch {
			return;
		}
		// What is stored the server has.
		const changed = this.#stored.merge(entries);
		if (this.#server.merge(entries) || changed) {
			this.#prune();
			this.#serverVersion++;
			this.#persist();
		}
		if (this.#markers.length === 0 && this.#askTimer) {
			clearTimeout(this.#askTimer);
			this.#askTimer = null;
		}
	}

	/** Changes the server has stored are forgotten (the list stays short). */
	#prune(): void {
		const left = this.#markers.filter((m) => !this.#stored.has(m));
		if (left.length !== this.#markers.length) this.#markers = left;
	}

	/**
	 * Asks the server what is stored while some change is not known to be, again every
	 * ASK_AGAIN_MS: a change of ours the server applies later (it waited for another's part) is
	 * then heard of too. The server answers only when something new was stored.
	 */
	#ask(): void {
		if (this.#markers.length === 0) return;
		const ws = this.provider.ws;
		if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
		ws.send(encodeStoredRequest() as Uint8Array<ArrayBuffer>);
		this.#askTimer ??= setTimeout(() => {
			this.#askTimer = null;
			this.#ask();
		}, ASK_AGAIN_MS);
	}

	#scheduleProbe(delay = 300): void {
		if (this.#probeTimer) clearTimeout(this.#probeTimer);
		this.#probeTimer = setTimeout(() => {
			this.#probeTimer = null;
			const ws = this.provider.ws;
			if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
			const probe = this.#server.probe(this.doc);
			if (probe) ws.send(probe as Uint8Array<ArrayBuffer>);
			// After our updates and the probe: answered once they are stored.
			this.#ask();
		}, delay);
	}

	#persist(): void {
		if (!this.copy) return;
		void this.copy.set('serverStateVector', this.#server.encode());
		void this.copy.set('storedStateVector', this.#stored.encode());
		void this.copy.set('pendingChanges', JSON.stringify(this.#markers));
	}

	destroy(): void {
		if (this.#probeTimer) clearTimeout(this.#probeTimer);
		if (this.#askTimer) clearTimeout(this.#askTimer);
		for (const stop of this.#stop.splice(0)) stop();
	}
}
