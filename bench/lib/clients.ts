/**
 * y-websocket clients in Node (the same client library the browser uses), and the measurements
 * that run on them. Runs in the client worker thread (see worker.ts) or in the main thread.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { sleep, withTimeout } from './util';

// Each y-websocket provider adds a process 'exit' listener (removed on destroy): 30 at once is fine.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100));

export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
}

/**
 * Buurtbord's sync socket wants a signed-in member: its bench URL carries the session cookie in
 * the fragment (`ws://…/sync#cookie=…`), which never leaves this process; it is sent as the Cookie
 * header of the upgrade, as a browser would send it. The reference server's URL has none.
 */
export function splitCredentials(url: string): { url: string; headers: Record<string, string> } {
	const hash = url.indexOf('#');
	if (hash < 0) return { url, headers: {} };
	const cookie = new URLSearchParams(url.slice(hash + 1)).get('cookie');
	const bare = url.slice(0, hash);
	// A browser on the app's own page sends its Origin; the server refuses a cookie without one.
	const origin = new URL(bare.replace(/^ws/, 'http')).origin;
	return { url: bare, headers: cookie ? { cookie, origin } : {} };
}

export function openClient(url: string, room: string): Client {
	const doc = new Y.Doc();
	const target = splitCredentials(url);
	class WithHeaders extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers: target.headers });
		}
	}
	const provider = new WebsocketProvider(target.url, room, doc, {
		WebSocketPolyfill: WithHeaders as unknown as typeof globalThis.WebSocket,
		// Node 20 has a global BroadcastChannel: without this, clients in one process would
		// exchange updates directly and bypass the server.
		disableBc: true
	});
	return { doc, provider };
}

export function whenSynced(client: Client, timeoutMs: number): Promise<void> {
	if (client.provider.synced) return Promise.resolve();
	const synced = new Promise<void>((resolve) => {
		const onSync = (isSynced: boolean) => {
			if (!isSynced) return;
			client.provider.off('sync', onSync);
			resolve();
		};
		client.provider.on('sync', onSync);
	});
	return withTimeout(synced, timeoutMs, `client sync with ${client.provider.url}`);
}

export function closeClient(client: Client): void {
	client.provider.destroy();
	client.doc.destroy();
}

export async function connectClients(
	/** Several URLs (processes of one deployment): the clients are spread over them in turn. */
	url: string | string[],
	room: string,
	count: number,
	timeoutMs: number
): Promise<Client[]> {
	const urls = Array.isArray(url) ? url : [url];
	const clients = Array.from({ length: count }, (_, i) => openClient(urls[i % urls.length]!, room));
	try {
		await Promise.all(clients.map((c) => whenSynced(c, timeoutMs)));
	} catch (err) {
		clients.forEach(closeClient);
		throw err;
	}
	return clients;
}

/** A pin as the board stores it: a Y.Map of its fields in the 'pins' map, keyed by id. */
export function newPin(i: number): Y.Map<unknown> {
	const pin = new Y.Map<unknown>();
	pin.set('kind', ['gesprek', 'initiatief', 'notitie'][i % 3]);
	pin.set('title', `Pin ${i}: gesprek aan de deur`);
	pin.set('addressId', `sweelinckstraat-${(i % 18) + 1}`);
	pin.set('lon', 5.866 + (i % 1000) * 0.00001);
	pin.set('lat', 51.83 + (i % 997) * 0.00001);
	pin.set('createdAt', 1_790_000_000_000 + i * 1000);
	return pin;
}

export interface LatencyOptions {
	url: string;
	/** Spread the clients over these URLs instead (several server processes, bench/processes.ts). */
	urls?: string[];
	room: string;
	clients: number;
	edits: number;
	warmup: number;
	/** Pause between edits (one writer at a time). */
	gapMs: number;
	perEditTimeoutMs: number;
	/** Stop early (with fewer samples) after this long. */
	budgetMs: number;
	/** Every client moves its presence cursor this many times a second during the run (0: none). */
	cursorHz?: number;
}

export interface LatencyResult {
	clients: number;
	/** Edit → seen, one sample per (edit, other client). */
	perClient: number[];
	/** Edit → seen by every other client, one sample per edit. */
	allSeen: number[];
	edits: number;
	timeouts: number;
	stoppedEarly: boolean;
	/** With cursorHz: cursor moves sent by all clients, and presence changes the first client saw. */
	cursorMovesSent?: number;
	presenceSeenByOne?: number;
	/** Wall time of the measured part (for rates). */
	seconds?: number;
}

/** Moves every client's cursor `hz` times a second, as a browser on the map does; returns a stop function. */
function moveCursors(clients: Client[], hz: number, counts: { sent: number; seen: number }) {
	const timers = clients.map((c, j) => {
		let step = 0;
		return setInterval(
			() => {
				step++;
				counts.sent++;
				c.provider.awareness.setLocalStateField('cursor', {
					lon: 5.86 + ((j * 37 + step) % 500) * 0.00002,
					lat: 51.83 + ((j * 11 + step) % 500) * 0.00002
				});
			},
			Math.round(1000 / hz)
		);
	});
	const onChange = () => counts.seen++;
	clients[0]?.provider.awareness.on('change', onChange);
	return () => {
		timers.forEach(clearInterval);
		clients[0]?.provider.awareness.off('change', onChange);
	};
}

/**
 * Connects `clients` clients; they take turns adding a pin (a Y.Map with 6 fields) and the time
 * until each other client's document has it is recorded.
 */
export async function measureLatency(o: LatencyOptions): Promise<LatencyResult> {
	const clients = await connectClients(o.urls ?? o.url, o.room, o.clients, 20_000);
	const result: LatencyResult = {
		clients: o.clients,
		perClient: [],
		allSeen: [],
		edits: 0,
		timeouts: 0,
		stoppedEarly: false
	};
	let current:
		| {
				key: string;
				writer: number;
				t0: number;
				seen: Set<number>;
				lat: number[];
				done: () => void;
		  }
		| undefined;
	const observers = clients.map((c, j) => {
		const pins = c.doc.getMap('pins');
		const observer = (event: Y.YMapEvent<unknown>) => {
			const e = current;
			if (!e || j === e.writer || e.seen.has(j) || !event.keysChanged.has(e.key)) return;
			e.seen.add(j);
			e.lat.push(performance.now() - e.t0);
			if (e.seen.size === clients.length - 1) e.done();
		};
		pins.observe(observer);
		return () => pins.unobserve(observer);
	});
	const counts = { sent: 0, seen: 0 };
	const stopCursors = o.cursorHz ? moveCursors(clients, o.cursorHz, counts) : () => {};
	// Let the cursors reach a steady state before the first edit.
	if (o.cursorHz) await sleep(1000);
	const sentBefore = counts.sent;
	const seenBefore = counts.seen;
	const start = performance.now();
	try {
		const total = o.warmup + o.edits;
		for (let i = 0; i < total; i++) {
			if (performance.now() - start > o.budgetMs) {
				result.stoppedEarly = true;
				break;
			}
			const writer = i % clients.length;
			const doc = clients[writer]!.doc;
			const key = `bench-${o.clients}-${i}-${Math.random().toString(36).slice(2, 8)}`;
			let done!: () => void;
			const seenByAll = new Promise<void>((resolve) => (done = resolve));
			const entry = { key, writer, t0: 0, seen: new Set<number>(), lat: [] as number[], done };
			current = entry;
			entry.t0 = performance.now();
			doc.getMap('pins').set(key, newPin(i));
			try {
				await withTimeout(seenByAll, o.perEditTimeoutMs, `edit ${i} seen by all`);
				if (i >= o.warmup) {
					result.perClient.push(...entry.lat);
					result.allSeen.push(Math.max(...entry.lat));
					result.edits++;
				}
			} catch {
				result.timeouts++;
			}
			current = undefined;
			await sleep(o.gapMs);
		}
	} finally {
		stopCursors();
		observers.forEach((stop) => stop());
		clients.forEach(closeClient);
	}
	result.seconds = (performance.now() - start) / 1000;
	if (o.cursorHz) {
		result.cursorMovesSent = counts.sent - sentBefore;
		result.presenceSeenByOne = counts.seen - seenBefore;
	}
	return result;
}

/** Time from creating a client (it connects at once) until its first sync completes. */
export async function measureColdLoad(
	url: string,
	room: string,
	timeoutMs: number
): Promise<{ ms: number; pins: number }> {
	const t0 = performance.now();
	const client = openClient(url, room);
	try {
		await whenSynced(client, timeoutMs);
		const elapsed = performance.now() - t0;
		return { ms: elapsed, pins: client.doc.getMap('pins').size };
	} finally {
		closeClient(client);
	}
}
