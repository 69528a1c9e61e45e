import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { upgradeHeaders, type TestClient } from './clients';
import { addPin } from './clients';

/** y-websocket's awareness message type. */
const MESSAGE_AWARENESS = 1;

/** One awareness message as y-protocols encodes it: (client id, clock, state JSON) entries. */
export function awarenessMessage(
	entries: { clientId: number; clock: number; state: unknown }[]
): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const e of entries) {
		encoding.writeVarUint(inner, e.clientId);
		encoding.writeVarUint(inner, e.clock);
		encoding.writeVarString(inner, JSON.stringify(e.state));
	}
	const outer = encoding.createEncoder();
	encoding.writeVarUint(outer, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
	return encoding.toUint8Array(outer);
}

/** A bare socket on /sync/<room> that counts the awareness messages and entries it receives. */
export interface RawPresenceSocket {
	ws: WebSocket;
	/** Awareness messages received so far. */
	messages(): number;
	/** Every client id this socket was told about with a state. */
	idsSeen(): Set<number>;
	close(): void;
}

export function openRawSocket(port: number, cookie: string, room = 'spoorbuurt') {
	return new Promise<RawPresenceSocket>((resolve, reject) => {
		const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${room}`, {
			headers: upgradeHeaders(port, { cookie })
		});
		let messages = 0;
		const ids = new Set<number>();
		ws.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return;
			messages++;
			const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
			const count = decoding.readVarUint(inner);
			for (let i = 0; i < count; i++) {
				const id = decoding.readVarUint(inner);
				decoding.readVarUint(inner);
				if (decoding.readVarString(inner) !== 'null') ids.add(id);
			}
		});
		ws.once('open', () =>
			resolve({
				ws,
				messages: () => messages,
				idsSeen: () => ids,
				close: () => ws.close()
			})
		);
		ws.once('error', reject);
	});
}

/**
 * Edit-to-seen latency: `from` adds a pin, the time until `to` has it; `count` edits one after
 * the other. Returns the sorted latencies in ms.
 */
export async function editLatencies(
	from: TestClient,
	to: TestClient,
	count: number,
	tag: string
): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < count; i++) {
		const id = `${tag}-${i}`;
		const seen = new Promise<number>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`edit ${id} not seen in 10 s`)), 10_000);
			const check = () => {
				if (to.pins.has(id)) {
					clearTimeout(timer);
					to.pins.unobserve(check);
					resolve(performance.now());
				}
			};
			to.pins.observe(check);
		});
		const start = performance.now();
		addPin(from, id, id);
		out.push((await seen) - start);
	}
	return out.sort((a, b) => a - b);
}

export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
