import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { CLOSE_INVALID_UPDATE } from '../../board/layout';
import type { SyncContext } from './hooks';
import { DebouncedWriter } from './persistence';
import { RoomPresence } from './presence';

/** y-websocket message types. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * Close codes the client sees: 4400 = we could not read your message; 4422 = your document
 * update breaks the board's model and was refused (the close reason says why).
 */
export const CLOSE_BAD_MESSAGE = 4400;
/** The user lost access (removed from the board or signed out everywhere). */
export const CLOSE_ACCESS_REVOKED = 4403;
export { CLOSE_INVALID_UPDATE };

interface Connection {
	ws: WebSocket;
	context: SyncContext;
}

/**
 * One board's live document with its connections and its persistence. All per-board sync state
 * lives here, behind SyncServer's room map: the seam for running several server processes later.
 */
export class Room {
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	/** Who may announce what, stamped with whom, how often (presence.ts). */
	readonly presence = new RoomPresence(this.awareness);
	private readonly connections = new Map<WebSocket, Connection>();
	/** True while the stored state is being applied: that state is not written back. */
	loading = false;

	constructor(
		readonly boardId: string,
		readonly writer: DebouncedWriter,
		/** Checks a client's update before it is applied; throws UpdateRefusal to refuse it. */
		private readonly beforeApply?: (update: Uint8Array, doc: Y.Doc) => void,
		/** Told what a client's applied update changed, and whose connection sent it (audit log). */
		afterApply?: (context: SyncContext, transaction: Y.Transaction) => void
	) {
		// The server holds no presence of its own.
		this.awareness.setLocalState(null);
		if (afterApply) {
			// Client updates are applied with their socket as the origin (applyChecked).
			this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
				const conn = this.connections.get(transaction.origin as WebSocket);
				if (conn) afterApply(conn.context, transaction);
			});
		}
		this.doc.on('update', (update: Uint8Array) => {
			if (!this.loading) this.writer.push(update);
			const message = encoding.createEncoder();
			encoding.writeVarUint(message, MESSAGE_SYNC);
			syncProtocol.writeUpdate(message, update);
			this.broadcast(encoding.toUint8Array(message));
		});
		this.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
				const changed = [...added, ...updated, ...removed];
				const message = encoding.createEncoder();
				encoding.writeVarUint(message, MESSAGE_AWARENESS);
				encoding.writeVarUint8Array(
					message,
					awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)
				);
				this.broadcast(encoding.toUint8Array(message));
			}
		);
	}

	get size(): number {
		return this.connections.size;
	}

	join(ws: WebSocket, context: SyncContext): void {
		const conn: Connection = { ws, context };
		this.connections.set(ws, conn);
		// Start the sync: our state vector (step 1), then the presence of everyone else.
		const step1 = encoding.createEncoder();
		encoding.writeVarUint(step1, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(step1, this.doc);
		send(ws, encoding.toUint8Array(step1));
		const states = this.awareness.getStates();
		if (states.size > 0) {
			const message = encoding.createEncoder();
			encoding.writeVarUint(message, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(
				message,
				awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])
			);
			send(ws, encoding.toUint8Array(message));
		}
	}

	/** Removes a connection and its presence; returns how many remain. */
	leave(ws: WebSocket): number {
		const conn = this.connections.get(ws);
		if (conn) {
			this.connections.delete(ws);
			this.presence.leave(ws);
		}
		return this.connections.size;
	}

	/**
	 * Handles one binary message of a connection. Throws on a message it cannot read; the caller
	 * closes that connection. The document is only changed by complete, readable updates.
	 */
	receive(ws: WebSocket, data: Uint8Array): void {
		const conn = this.connections.get(ws);
		if (!conn) return;
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MESSAGE_SYNC: {
				const kind = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (kind === syncProtocol.messageYjsSyncStep1) {
					const reply = encoding.createEncoder();
					encoding.writeVarUint(reply, MESSAGE_SYNC);
					syncProtocol.writeSyncStep2(reply, this.doc, payload);
					send(ws, encoding.toUint8Array(reply));
				} else if (
					kind === syncProtocol.messageYjsSyncStep2 ||
					kind === syncProtocol.messageYjsUpdate
				) {
					if (conn.context.readOnly) return;
					this.beforeApply?.(payload, this.doc);
					applyChecked(this.doc, payload, ws);
				} else {
					throw new Error(`unknown sync message ${kind}`);
				}
				break;
			}
			case MESSAGE_AWARENESS:
				// Own ids only, stamped with the user, coalesced (presence.ts).
				this.presence.receive(ws, conn.context, decoding.readVarUint8Array(decoder));
				break;
			case MESSAGE_QUERY_AWARENESS: {
				const message = encoding.createEncoder();
				encoding.writeVarUint(message, MESSAGE_AWARENESS);
				encoding.writeVarUint8Array(
					message,
					awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
						...this.awareness.getStates().keys()
					])
				);
				send(ws, encoding.toUint8Array(message));
				break;
			}
			default:
				throw new Error(`unknown message type ${type}`);
		}
	}

	/**
	 * Applies a user's new access to their open connections at once: closed when they have none
	 * left, read-only when they became a viewer. Returns how many connections it touched.
	 */
	reauthorize(userId: string, access: 'none' | 'read' | 'write'): number {
		let touched = 0;
		for (const conn of this.connections.values()) {
			if (conn.context.userId !== userId) continue;
			touched++;
			if (access === 'none') conn.ws.close(CLOSE_ACCESS_REVOKED, 'access revoked');
			else conn.context.readOnly = access === 'read';
		}
		return touched;
	}

	/** Closes every connection (server shutdown). */
	closeAll(code: number, reason: string): void {
		for (const ws of this.connections.keys()) ws.close(code, reason);
	}

	destroy(): void {
		this.presence.destroy();
		this.awareness.destroy();
		this.doc.destroy();
	}

	private broadcast(message: Uint8Array): void {
		for (const ws of this.connections.keys()) send(ws, message);
	}
}

/**
 * Applies a client's update only if it decodes completely: a truncated or garbled update would
 * otherwise be half-applied. Decoding into a scratch document first costs one extra decode.
 */
function applyChecked(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
	const probe = new Y.Doc();
	try {
		Y.applyUpdate(probe, update);
	} finally {
		probe.destroy();
	}
	Y.applyUpdate(doc, update, origin);
}

function send(ws: WebSocket, message: Uint8Array): void {
	if (ws.readyState !== ws.OPEN) return;
	ws.send(message, (err) => {
		if (err) ws.terminate();
	});
}
