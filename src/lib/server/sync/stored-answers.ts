import type WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeStored } from '../../collab/stored';
import type { DebouncedWriter } from './persistence';

/**
 * Answers the pages' question "what of the board is stored?" (collab/stored.ts) for one room, so
 * that a page says "everything saved" only once the database has its changes, not when the server
 * has merely applied them (up to the write delay earlier, lost if the server crashed then).
 *
 * A question waits for the write that holds every update applied when it arrived. The answer is
 * the document's state vector as that write took its updates. Each socket has at most one waiting
 * question, and a question while nothing new was stored since that socket's last answer is not
 * answered again: asking often costs the server no more than asking once.
 */
export class StoredAnswers {
	/** Per socket: the writer's pushed count its question waits for. */
	readonly #waiting = new Map<WebSocket, number>();
	/** Per socket: the stored count of its last answer. */
	readonly #answered = new WeakMap<WebSocket, number>();

	constructor(
		private readonly doc: Y.Doc,
		private readonly writer: DebouncedWriter,
		private readonly send: (ws: WebSocket, message: Uint8Array) => void
	) {
		// The state vector is taken only while someone waits for it.
		writer.snapshot = () => (this.#waiting.size > 0 ? Y.encodeStateVector(doc) : null);
		writer.onStored = (upTo, snapshot) => this.#stored(upTo, snapshot);
	}

	ask(ws: WebSocket): void {
		const wants = this.writer.pushedCount;
		if (this.writer.storedCount < wants) {
			this.#waiting.set(ws, wants);
			return;
		}
		// Everything applied is stored: the document is what the database has.
		if (this.#answered.get(ws) === this.writer.storedCount) return;
		this.#answer(ws, Y.encodeStateVector(this.doc), this.writer.storedCount);
	}

	leave(ws: WebSocket): void {
		this.#waiting.delete(ws);
	}

	destroy(): void {
		this.#waiting.clear();
		this.writer.snapshot = undefined;
		this.writer.onStored = undefined;
	}

	#stored(upTo: number, snapshot: Uint8Array | null): void {
		let vector = snapshot;
		for (const [ws, wants] of this.#waiting) {
			if (wants > upTo) continue;
			// No snapshot (nobody waited when the write began): exact only if nothing came since;
			// otherwise the next write, which takes one, answers.
			vector ??= this.writer.pushedCount === upTo ? Y.encodeStateVector(this.doc) : null;
			if (!vector) return;
			this.#waiting.delete(ws);
			this.#answer(ws, vector, upTo);
		}
	}

	#answer(ws: WebSocket, vector: Uint8Array, upTo: number): void {
		this.#answered.set(ws, upTo);
		this.send(ws, encodeStored(vector));
	}
}
