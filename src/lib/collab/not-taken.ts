import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * "Not taken": the server applied a client's update except these parts, which break the board's
 * model (issue 12, never lose a client's work). It sends this message (y-websocket framing, a
 * message type of its own) on that client's connection only; the connection stays open, and
 * the server's own change that takes the parts back reaches every client like any other.
 */
export const MESSAGE_NOT_TAKEN = 9;

export type NotTakenReason =
	| 'unknown'
	| 'invalid'
	| 'too-long'
	| 'required'
	| 'confidential'
	/** Personal data for a household that withdrew its consent (server/sync/consent-guard.ts). */
	| 'withdrawn'
	/** A gesprek the board erased, or confidential notes for it (server/sync/erased-guard.ts). */
	| 'erased'
	/** Confidential notes for a gesprek the board deleted (server/sync/consent-guard-notes.ts). */
	| 'deleted';

/** One part of an update the server did not take. */
export interface NotTaken {
	/** Where: the top-level kind, the entity id, the field (and nested fields), e.g. pins/abc/title. */
	path: string[];
	reason: NotTakenReason;
}

/** What a page shows a not-taken notice for: a board's connection, or the confidential notes'. */
export interface NotTakenSource {
	readonly notTaken: { count: number; parts: NotTaken[] } | null;
	dismissNotTaken(): void;
}

/** At most this many parts are named in one message (the count says how many there were). */
const MAX_LISTED = 50;

export function encodeNotTaken(parts: readonly NotTaken[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_NOT_TAKEN);
	encoding.writeVarString(
		e,
		JSON.stringify({
			count: parts.length,
			parts: parts
				.slice(0, MAX_LISTED)
				.map((p) => ({ path: p.path.map((s) => s.slice(0, 60)), reason: p.reason }))
		})
	);
	return encoding.toUint8Array(e);
}

/** The body of a not-taken message (after its type); null when it cannot be read. */
export function decodeNotTaken(
	decoder: decoding.Decoder
): { count: number; parts: NotTaken[] } | null {
	try {
		const body = JSON.parse(decoding.readVarString(decoder)) as {
			count?: unknown;
			parts?: unknown;
		};
		if (!Array.isArray(body.parts)) return null;
		const parts = body.parts.filter(
			(p): p is NotTaken =>
				!!p &&
				Array.isArray((p as NotTaken).path) &&
				(p as NotTaken).path.every((s) => typeof s === 'string') &&
				typeof (p as NotTaken).reason === 'string'
		);
		return { count: typeof body.count === 'number' ? body.count : parts.length, parts };
	} catch {
		return null;
	}
}
