import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** A Node y-websocket client, as a browser tab would connect. */
export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	pins: Y.Map<Y.Map<unknown>>;
	destroy(): void;
}

export interface ConnectOptions {
	/** `Cookie` header of the upgrade request, e.g. a seeded user's `cookie` (tests/support/accounts.ts). */
	cookie?: string;
	/** Extra headers, e.g. `authorization: Bearer …`; `origin: ''` sends no Origin at all. */
	headers?: Record<string, string>;
	/** Query parameters of the socket URL, e.g. `{ access: 'write' }` as the board page sends it. */
	params?: Record<string, string>;
}

/**
 * The headers of a test client's upgrade: an `Origin` of the server itself, as a browser on the
 * app's own page sends it (the sync server refuses a cookie without it), unless given; a header
 * given as '' is left out.
 */
export function upgradeHeaders(
	port: number,
	headers: Record<string, string> = {}
): Record<string, string> {
	const out: Record<string, string> = { origin: `http://127.0.0.1:${port}` };
	for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
	for (const [name, value] of Object.entries(out)) if (value === '') delete out[name];
	return out;
}

/** A `ws` WebSocket class that sends these headers with its upgrade request, as a browser sends cookies. */
export function webSocketWithHeaders(headers: Record<string, string>): typeof globalThis.WebSocket {
	class WithHeaders extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return WithHeaders as unknown as typeof globalThis.WebSocket;
}

// Every y-websocket provider in Node adds an 'exit' listener to the process (removed again by
// destroy()). A test here runs up to tens of simulated clients in one process, past Node's
// default warning at 10; a real leak still shows past this.
process.setMaxListeners(Math.max(process.getMaxListeners(), 64));

/**
 * Connects to /sync/<room> (a board id, or e.g. `<board>/org` for a per-organisation document).
 * Without a cookie the server refuses the upgrade (401): pass a seeded user's cookie.
 */
export function connectClient(
	port: number,
	room = 'spoorbuurt',
	options: ConnectOptions = {}
): TestClient {
	const doc = new Y.Doc();
	const headers = upgradeHeaders(port, {
		...options.headers,
		...(options.cookie ? { cookie: options.cookie } : {})
	});
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
		WebSocketPolyfill: webSocketWithHeaders(headers),
		// Clients in one Node process would otherwise sync through BroadcastChannel, bypassing the server.
		disableBc: true,
		// Fast reconnects keep the restart tests short; browsers use the default back-off.
		maxBackoffTime: 200,
		...(options.params ? { params: options.params } : {})
	});
	return {
		doc,
		provider,
		pins: doc.getMap('pins'),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export function whenSynced(client: TestClient, timeoutMs = 10_000): Promise<void> {
	if (client.provider.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('client did not sync')), timeoutMs);
		client.provider.once('sync', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** Adds a pin the way the board commands do: a Y.Map of fields under its id. */
export function addPin(client: TestClient, id: string, title: string): void {
	client.doc.transact(() => {
		const pin = new Y.Map<unknown>();
		pin.set('id', id);
		pin.set('kind', 'notitie');
		pin.set('title', title);
		pin.set('addressId', null);
		pin.set('lon', 5.87);
		pin.set('lat', 51.832);
		pin.set('createdAt', new Date().toISOString());
		client.pins.set(id, pin);
	});
}

export function titles(client: TestClient): string[] {
	return [...client.pins.values()].map((p) => String(p.get('title'))).sort();
}
