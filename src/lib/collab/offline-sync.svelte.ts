import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { countUnsent, type OfflineCopy } from './offline';
import { ServerClocks, updateEnds, type Marker } from './offline-clocks';

export type SyncSummary =
	| { state: 'saved' }
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
	if (count === 0) return main;
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
 * socket in order, so the answer comes after our updates were applied; it stores them within 0.6 s
 * (BUURTBORD_PERSIST_MAX_WAIT_MS plus BUURTBORD_PERSIST_COMMIT_INTERVAL_MS).
 *
 * A local change counts as unsent while any of its structs is beyond the server's known clock.
 * The server's clocks, the list of unsent changes and the moment the connection was lost are kept
 * with the offline copy, so they survive a reload.
 */
export class SyncTracker {
	readonly #server = new ServerClocks();
	#markers = $state.raw<Marker[]>([]);
	#serverVersion = $state(0);
	#connected = $state(false);
	#offlineSince = $state<number | null>(null);
	#probeTimer: ReturnType<typeof setTimeout> | null = null;
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
			this.#markers = [...this.#markers, ends];
			this.#persist();
			this.#scheduleProbe();
		};
		doc.on('update', onUpdate);
		this.#stop.push(() => doc.off('update', onUpdate));
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
		const [server, markers, since] = await Promise.all([
			this.copy.get<Uint8Array>('serverStateVector'),
			this.copy.get<string>('pendingChanges'),
			this.copy.get<number>('offlineSince')
		]);
		if (server instanceof Uint8Array) this.#server.restore(server);
		if (typeof markers === 'string') {
			try {
				this.#markers = [...(JSON.parse(markers) as Marker[]), ...this.#markers];
			} catch {
				// unreadable: counted from the clocks instead (see unsent)
			}
		}
		if (!this.#connected && typeof since === 'number') this.#offlineSince = since;
		this.#prune();
		this.#serverVersion++;
		this.#scheduleProbe();
	}

	/** The number of this device's changes the server does not have yet. */
	get unsent(): number {
		void this.#serverVersion;
		const pending = this.#markers.filter((m) => !this.#server.has(m)).length;
		if (pending > 0) return pending;
		// Changes the list does not know of (kept before it): at least one if the clocks are ahead.
		return this.#server.known && this.#server.behind(this.doc) ? 1 : 0;
	}

	get summary(): SyncSummary {
		const count = this.unsent;
		if (count > 0) return { state: 'unsent', count, offlineSince: this.#offlineSince };
		if (!this.#connected) return { state: 'offline', since: this.#offlineSince ?? Date.now() };
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

	/** Changes the server has are forgotten (the list stays short). */
	#prune(): void {
		const left = this.#markers.filter((m) => !this.#server.has(m));
		if (left.length !== this.#markers.length) this.#markers = left;
	}

	#scheduleProbe(delay = 300): void {
		if (this.#probeTimer) clearTimeout(this.#probeTimer);
		this.#probeTimer = setTimeout(() => {
			this.#probeTimer = null;
			const ws = this.provider.ws;
			if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
			const probe = this.#server.probe(this.doc);
			if (probe) ws.send(probe as Uint8Array<ArrayBuffer>);
		}, delay);
	}

	#persist(): void {
		if (!this.copy) return;
		void this.copy.set('serverStateVector', this.#server.encode());
		void this.copy.set('pendingChanges', JSON.stringify(this.#markers));
	}

	destroy(): void {
		if (this.#probeTimer) clearTimeout(this.#probeTimer);
		for (const stop of this.#stop.splice(0)) stop();
	}
}
