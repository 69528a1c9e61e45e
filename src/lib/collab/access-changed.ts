import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * "Access changed": what this connection may do on the board now. The board page says on its
 * socket URL which access it was made for (`?access=read|write`, from the role it was loaded
 * with); the server sends this message (y-websocket framing, a message type of its own) when the
 * connection's access differs: at once when the role changed between the page and the socket, and
 * whenever an owner changes the role while the board is open. The page then says so: its editing
 * controls were made for the other role. Connections that say nothing are told nothing.
 */
export const MESSAGE_ACCESS_CHANGED = 10;

export type SyncAccess = 'read' | 'write';

export function encodeAccessChanged(access: SyncAccess): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_ACCESS_CHANGED);
	encoding.writeVarString(e, access);
	return encoding.toUint8Array(e);
}

/** The body of an access-changed message (after its type); null when it cannot be read. */
export function decodeAccessChanged(decoder: decoding.Decoder): SyncAccess | null {
	try {
		const access = decoding.readVarString(decoder);
		return access === 'read' || access === 'write' ? access : null;
	} catch {
		return null;
	}
}
