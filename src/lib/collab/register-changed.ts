import * as encoding from 'lib0/encoding';

/**
 * "Register changed": the board's address register was changed (an import was stored) while
 * the board is open. The server sends it (y-websocket framing, a message type of its own, no body)
 * to the board's pages, which fetch the register again (by its ETag: the same copy costs nothing),
 * so new addresses appear on the map and in the lists of everyone who has the board open, as the
 * gesprekken recorded at them do. Only to connections that said which access their page was made
 * for (access-changed.ts): pages that know this message.
 */
export const MESSAGE_REGISTER_CHANGED = 11;

export function encodeRegisterChanged(): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_REGISTER_CHANGED);
	return encoding.toUint8Array(e);
}
