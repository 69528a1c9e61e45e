import * as decoding from 'lib0/decoding';
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

/**
 * What changed on the server besides the document: the register (the message without a body, as
 * before), or the initiatief texts owners approved for the public pages (a body of 1: the page
 * reloads its data; a page that predates this reads it as the register and fetches that again,
 * which costs it nothing).
 */
export type ServerPart = 'register' | 'approvals' | 'withdrawals';

/** The body of each part ('register' has none); 2: the list of households whose consent was withdrawn. */
const PART_CODES: Record<Exclude<ServerPart, 'register'>, number> = {
	approvals: 1,
	withdrawals: 2
};

export function encodeRegisterChanged(part: ServerPart = 'register'): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_REGISTER_CHANGED);
	if (part !== 'register') encoding.writeVarUint(e, PART_CODES[part]);
	return encoding.toUint8Array(e);
}

export function decodeChangedPart(decoder: decoding.Decoder): ServerPart {
	try {
		if (!decoding.hasContent(decoder)) return 'register';
		const code = decoding.readVarUint(decoder);
		const part = (Object.keys(PART_CODES) as (keyof typeof PART_CODES)[]).find(
			(key) => PART_CODES[key] === code
		);
		return part ?? 'register';
	} catch {
		return 'register';
	}
}
