import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * "Stored": what the server has written to its database, so that a page says "everything saved"
 * only when a crash of the server could no longer lose it. y-websocket framing, a message type of
 * its own, both ways:
 * - the page asks with an empty body, after the updates it wants to know about (the server
 *   handles one socket's messages in order, so the question comes after them);
 * - the server answers once everything it had applied when the question arrived is stored, with
 *   the state vector of the document as stored (or more): the page's changes whose structs it
 *   covers are safe. One question is answered once; a question while nothing new was stored since
 *   the last answer on that socket is not answered again.
 */
export const MESSAGE_STORED = 12;

/** The page's question. */
export function encodeStoredRequest(): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_STORED);
	return encoding.toUint8Array(e);
}

/** The server's answer: a Yjs state vector (Y.encodeStateVector) of what is stored. */
export function encodeStored(stateVector: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_STORED);
	encoding.writeVarUint8Array(e, stateVector);
	return encoding.toUint8Array(e);
}

/** The body of an answer (after its type); null when it cannot be read. */
export function decodeStored(decoder: decoding.Decoder): Uint8Array | null {
	try {
		return decoding.readVarUint8Array(decoder);
	} catch {
		return null;
	}
}
