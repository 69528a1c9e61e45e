import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** y-websocket message types (y-protocols): sync, and within it step 1, step 2 and update. */
const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** Relayed updates and replies are decoded below this size (the state vector on connect covers the rest). */
const DECODE_LIMIT = 1 << 20;

/** A local change: for each client id in it, the clock its structs reach. */
export type Marker = [client: number, clock: number][];

/** Where an update's structs end, per client (deletions aside). */
export function updateEnds(update: Uint8Array): Marker {
	const ends = new Map<number, number>();
	for (const s of Y.decodeUpdate(update).structs) {
		if (s instanceof Y.Item || s instanceof Y.GC) {
			const end = s.id.clock + s.length;
			if ((ends.get(s.id.client) ?? 0) < end) ends.set(s.id.client, end);
		}
	}
	return [...ends];
}

function encodeStateVector(clocks: Iterable<[number, number]>): Uint8Array {
	const list = [...clocks];
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, list.length);
	for (const [client, clock] of list) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
	}
	return encoding.toUint8Array(encoder);
}

/** What the server is known to have: a lower bound of its state vector. */
export class ServerClocks {
	readonly #clocks = new Map<number, number>();

	get known(): boolean {
		return this.#clocks.size > 0;
	}

	/** Raises the known clocks; true when something changed. */
	merge(entries: Iterable<[number, number]>): boolean {
		let changed = false;
		for (const [client, clock] of entries) {
			if ((this.#clocks.get(client) ?? 0) < clock) {
				this.#clocks.set(client, clock);
				changed = true;
			}
		}
		return changed;
	}

	has(marker: Marker): boolean {
		return marker.every(([client, clock]) => clock <= (this.#clocks.get(client) ?? 0));
	}

	/** True when the document holds structs the server is not known to have. */
	behind(doc: Y.Doc): boolean {
		for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
			if (clock > (this.#clocks.get(client) ?? 0)) return true;
		}
		return false;
	}

	encode(): Uint8Array {
		return encodeStateVector(this.#clocks);
	}

	restore(stored: Uint8Array): void {
		this.merge(Y.decodeStateVector(stored));
	}

	/**
	 * Learns from a message the server sent: its sync step 1 (its whole state vector) or a step 2 /
	 * update (it has those structs). Returns whether it was the server's step 1, and whether the
	 * known clocks changed.
	 */
	read(data: Uint8Array): { step1: boolean; changed: boolean } {
		const decoder = decoding.createDecoder(data);
		if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return { step1: false, changed: false };
		const kind = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (kind === SYNC_STEP1)
			return { step1: true, changed: this.merge(Y.decodeStateVector(payload)) };
		if ((kind === SYNC_STEP2 || kind === SYNC_UPDATE) && data.length < DECODE_LIMIT)
			return { step1: false, changed: this.merge(updateEnds(payload)) };
		return { step1: false, changed: false };
	}

	/**
	 * A sync step 1 claiming, for every client the document is ahead on, only what the server is
	 * known to have; the server answers with what it holds beyond that. Null when not ahead.
	 */
	probe(doc: Y.Doc): Uint8Array | null {
		let ahead = false;
		const claimed: [number, number][] = [];
		for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
			const known = this.#clocks.get(client) ?? 0;
			if (clock > known) ahead = true;
			claimed.push([client, Math.min(clock, known)]);
		}
		if (!ahead) return null;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		encoding.writeVarUint(encoder, SYNC_STEP1);
		encoding.writeVarUint8Array(encoder, encodeStateVector(claimed));
		return encoding.toUint8Array(encoder);
	}
}
