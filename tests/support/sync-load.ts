import { readFileSync } from 'node:fs';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { upgradeHeaders, type TestClient } from './clients';

/** Resident memory of a process (MB), from /proc. */
export function rssMb(pid: number): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
	} catch {
		return 0; // the process ended
	}
}

/** Samples a process's RSS every 50 ms until stopped; reports the peak. */
export function sampleRss(pid: number): { stop(): { startMb: number; peakMb: number } } {
	const startMb = rssMb(pid);
	let peakMb = startMb;
	const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 50);
	return {
		stop() {
			clearInterval(timer);
			peakMb = Math.max(peakMb, rssMb(pid));
			return { startMb, peakMb };
		}
	};
}

/** A bare sync socket, as a hostile client would hold one: it sends only what the test says. */
export interface RawSyncSocket {
	ws: WebSocket;
	opened: Promise<void>;
	closed: Promise<{ code: number; reason: string }>;
	/** Bytes received so far. */
	received(): number;
}

export function rawSyncSocket(port: number, room: string, cookie: string): RawSyncSocket {
	const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${room}`, {
		headers: upgradeHeaders(port, { cookie })
	});
	let received = 0;
	ws.on('message', (data: Buffer) => (received += data.byteLength));
	ws.on('error', () => {});
	return {
		ws,
		opened: new Promise((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)));
		}),
		closed: new Promise((resolve) =>
			ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
		),
		received: () => received
	};
}

/** A sync message (y-websocket framing) of the given kind (0 = step 1, 1 = step 2, 2 = update). */
export function syncMessage(kind: 0 | 1 | 2, payload: Uint8Array): Buffer {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, kind);
	encoding.writeVarUint8Array(e, payload);
	return Buffer.from(encoding.toUint8Array(e));
}

/** Sync step 1 of an empty document: "send me everything". */
export function askEverything(): Buffer {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	syncProtocol.writeSyncStep1(e, new Y.Doc());
	return Buffer.from(encoding.toUint8Array(e));
}

/**
 * Edit-to-seen latency between two connected clients: `from` sets a pin's title, the time until
 * `to` holds it. Returns the median of `edits` edits (ms), one edit at a time.
 */
export async function editToSeenMs(
	from: TestClient,
	to: TestClient,
	pinId: string,
	edits = 25
): Promise<number> {
	const times: number[] = [];
	const target = to.pins;
	for (let i = 0; i < edits; i++) {
		const title = `meting ${i} ${Math.random()}`;
		const seen = new Promise<number>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('edit not seen in 10 s')), 10_000);
			const check = () => {
				if (target.get(pinId)?.get('title') === title) {
					clearTimeout(timer);
					target.unobserveDeep(check);
					resolve(performance.now());
				}
			};
			target.observeDeep(check);
		});
		const start = performance.now();
		from.pins.get(pinId)!.set('title', title);
		times.push((await seen) - start);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)]!;
}
