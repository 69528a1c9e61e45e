import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { upgradeHeaders } from './clients';

/** A bare socket on /sync/<room> that remembers when and how it was closed. */
export interface WatchedSocket {
	ws: WebSocket;
	/** Resolves with the close code and the time it came (Date.now()). */
	closed: Promise<{ code: number; at: number }>;
	/** The close code so far, or null while open. */
	code(): number | null;
}

/** Opens /sync/<room> with these headers (the server's own Origin unless given) and waits for it to open. */
export async function openWatchedSocket(
	port: number,
	room: string,
	headers: Record<string, string>
): Promise<WatchedSocket> {
	const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${room}`, {
		headers: upgradeHeaders(port, headers)
	});
	let code: number | null = null;
	const closed = new Promise<{ code: number; at: number }>((resolve) =>
		ws.on('close', (c) => {
			code = c;
			resolve({ code: c, at: Date.now() });
		})
	);
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('unexpected-response', (_req, res) =>
			reject(new Error(`upgrade refused: ${res.statusCode}`))
		);
		ws.once('error', reject);
	});
	return { ws, closed, code: () => code };
}

/** A y-websocket update message that adds a pin with this title (valid for the board's layout). */
export function pinUpdateMessage(id: string, title: string): Uint8Array {
	const doc = new Y.Doc();
	let update: Uint8Array | undefined;
	doc.on('update', (u: Uint8Array) => (update = u));
	doc.transact(() => {
		const pin = new Y.Map<unknown>();
		pin.set('id', id);
		pin.set('kind', 'notitie');
		pin.set('title', title);
		pin.set('addressId', null);
		pin.set('lon', 5.87);
		pin.set('lat', 51.832);
		pin.set('createdAt', new Date().toISOString());
		doc.getMap('pins').set(id, pin);
	});
	doc.destroy();
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	syncProtocol.writeUpdate(e, update!);
	return encoding.toUint8Array(e);
}
