import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { upgradeHeaders } from './clients';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

export interface SocketCapture {
	/** HTTP status of a refused upgrade, or 101 when the socket opened. */
	status: number;
	/** Every byte the server sent on the socket (nothing when refused) plus a refusal's body. */
	bytes: Buffer;
}

/**
 * Opens /sync/<room> as a bare websocket, asks for the whole document (sync step 1 with an empty
 * state vector) and records every byte that comes back for `listenMs`: what a client without
 * any state would receive. For checking that secrets never reach a connection. Sends the server's
 * own Origin unless `headers` name another (or `origin: ''` for none).
 */
export function captureSocket(
	port: number,
	room: string,
	headers: Record<string, string> = {},
	listenMs = 800
): Promise<SocketCapture> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${room}`, {
			headers: upgradeHeaders(port, headers)
		});
		ws.on('unexpected-response', (_req, res) => {
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
		});
		ws.on('open', () => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			syncProtocol.writeSyncStep1(e, new Y.Doc());
			ws.send(encoding.toUint8Array(e));
			setTimeout(() => ws.close(), listenMs);
		});
		ws.on('message', (data: Buffer) => chunks.push(Buffer.from(data)));
		ws.on('close', () => resolve({ status: 101, bytes: Buffer.concat(chunks) }));
		ws.on('error', (err) => {
			if (!chunks.length) reject(err);
		});
	});
}

/** Whether a secret appears in bytes as UTF-8 text (as Yjs encodes strings). */
export function containsText(bytes: Buffer | string, secret: string): boolean {
	return (typeof bytes === 'string' ? Buffer.from(bytes) : bytes).includes(Buffer.from(secret));
}
