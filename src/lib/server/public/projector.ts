import * as Y from 'yjs';
import type { Db } from '../db';
import type { SyncHooks } from '../sync/hooks';
import { parseDocName } from '../sync/org-docs';
import { refreshProjection } from './store';

export interface ProjectorOptions {
	/** Quiet time after the last store before the projection is recomputed. */
	debounceMs?: number;
	/** Longest a board edited without pause waits for its recomputation. */
	maxWaitMs?: number;
	log?: (message: string) => void;
}

/**
 * Keeps the public projection up to date: wraps the sync hooks so that every stored board
 * document schedules a recomputation (debounced per board; a board being edited is recomputed at
 * most once per `debounceMs` quiet period, and at least once per `maxWaitMs` while edits go on
 * without a pause). Organisations' confidential documents never count.
 */
export function withPublicProjection<H extends SyncHooks & { drain(): Promise<void> }>(
	hooks: H,
	db: Db,
	{
		debounceMs = 1000,
		maxWaitMs = 30_000,
		log = (m) => console.log(`[public] ${m}`)
	}: ProjectorOptions = {}
): H {
	const timers = new Map<
		string,
		{ timer: ReturnType<typeof setTimeout>; doc: Y.Doc; since: number }
	>();
	const running = new Set<Promise<void>>();

	function run(boardId: string, doc: Y.Doc): void {
		timers.delete(boardId);
		const job = refreshProjection(db, boardId, doc)
			.catch((err: unknown) =>
				log(`updating the public projection of ${boardId} failed: ${(err as Error).name}`)
			)
			.finally(() => running.delete(job));
		running.add(job);
	}

	function schedule(docName: string, doc: Y.Doc): void {
		if (parseDocName(docName)?.kind !== 'board') return;
		const pending = timers.get(docName);
		if (pending) clearTimeout(pending.timer);
		const since = pending?.since ?? Date.now();
		const wait = Math.max(0, Math.min(debounceMs, since + maxWaitMs - Date.now()));
		timers.set(docName, { doc, since, timer: setTimeout(() => run(docName, doc), wait) });
	}

	/** Runs a scheduled recomputation now, on a copy (the document may be destroyed next). */
	function flush(docName: string): void {
		const pending = timers.get(docName);
		if (!pending) return;
		clearTimeout(pending.timer);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(pending.doc));
		run(docName, copy);
	}

	return {
		...hooks,
		async onStoreDocument(boardId, update, doc) {
			await hooks.onStoreDocument(boardId, update, doc);
			schedule(boardId, doc);
		},
		async onCompactDocument(boardId, doc) {
			await hooks.onCompactDocument?.(boardId, doc);
			// A change made by the server (an erasure): the projection follows at once.
			schedule(boardId, doc);
			flush(boardId);
		},
		async onDocumentUnloaded(boardId, doc) {
			// Before the document is destroyed.
			flush(boardId);
			await hooks.onDocumentUnloaded?.(boardId, doc);
		},
		async drain() {
			for (const name of [...timers.keys()]) flush(name);
			await Promise.allSettled([...running]);
			await hooks.drain();
		}
	};
}
