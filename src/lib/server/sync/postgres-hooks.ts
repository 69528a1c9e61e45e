import * as Y from 'yjs';
import { getBoard } from '../boards';
import { boardRole } from '../access';
import { changedGesprekIds, recordGesprekChanges } from '../audit';
import type { AuthResolver } from '../auth/resolve';
import type { Db } from '../db';
import { BOARD_LAYOUT, ORG_NOTES_LAYOUT, TOP_LEVEL } from '../../board/layout';
import { ORG_NOTES } from '../../board/org-notes';
import { extractBoardChanges, extractOrgNoteChanges } from '../history/extract';
import { HistoryRecorder } from '../history/store';
import { syncCounters } from '../ops/metrics';
import { guardWithdrawn } from './consent-guard';
import { guardWithdrawnNotes } from './consent-guard-notes';
import { guardErased } from './erased-guard';
import { SyncRefusal, UpdateRefusal, type SyncHooks, type TakenPart } from './hooks';
import { changesConfidential, parseDocName } from './org-docs';
import { UpdateStore } from './store';
import { takeValidPart } from './repair';
import { validateBoardUpdate, type UpdateFacts } from './validate';

export interface PostgresHooksOptions {
	/** Who is connecting; without it (some tests) every connection may edit every board. */
	auth?: AuthResolver;
	/** Compact a board's log after this many stored updates (and when it is unloaded). */
	compactEvery?: number;
	/** See UpdateStoreOptions; 0 (the default here) writes each store as soon as it can. */
	commitIntervalMs?: number;
	log?: (message: string) => void;
}

/**
 * The sync hooks backed by Postgres: documents load from and store to public.board_updates.
 * Connections authenticate with the request's credentials before the upgrade: no user is 401, no
 * membership is 404 whether or not the board exists, viewers get a read-only connection.
 */
export function postgresHooks(
	db: Db,
	options: PostgresHooksOptions = {}
): SyncHooks & { drain(): Promise<void> } {
	const store = new UpdateStore(db, { commitIntervalMs: options.commitIntervalMs });
	const compactEvery = options.compactEvery ?? 100;
	const log = options.log ?? ((message: string) => console.log(`[sync] ${message}`));
	const sinceCompaction = new Map<string, number>();
	const compacting = new Map<string, Promise<unknown>>();
	/** Documents whose log is compacted after the next store (see changesConfidential). */
	const compactAfterStore = new Set<string>();
	/**
	 * Per loaded document, the seqs of stored rows its live document holds (loaded or appended
	 * from it): compaction neither reads nor merges them again (store.ts).
	 */
	const known = new Map<string, Set<number>>();
	const compactOptions = (name: string, doc: Y.Doc) => ({ known: known.get(name), doc });
	/** Item history (public.item_history): field-level changes per person, written in batches. */
	const history = new HistoryRecorder(db, log);

	function compact(boardId: string, doc: Y.Doc): Promise<unknown> {
		// One compaction per board at a time.
		const running = compacting.get(boardId);
		if (running) return running;
		const job = store
			.compact(boardId, () => Y.encodeStateAsUpdate(doc), compactOptions(boardId, doc))
			.catch((err: unknown) => log(`compacting board ${boardId} failed: ${(err as Error).message}`))
			.finally(() => compacting.delete(boardId));
		compacting.set(boardId, job);
		sinceCompaction.set(boardId, 0);
		return job;
	}

	return {
		async onAuthenticate(request, boardId) {
			const { auth } = options;
			if (!auth) return { readOnly: false };
			const credentials = {
				cookie: request.headers.cookie,
				authorization: request.headers.authorization ?? bearerFromQuery(request.url)
			};
			const resolved = await auth.resolve(credentials);
			if (!resolved) throw new SyncRefusal(401, 'sign in first');
			const role = await boardRole(db, resolved.user.id, boardId);
			// The same answer as for a board that does not exist.
			if (!role) throw new SyncRefusal(404, 'board not found');
			return {
				readOnly: role === 'viewer',
				userId: resolved.user.id,
				organisationId: resolved.user.organisationId,
				sessionId: resolved.sessionId,
				expiresAt: resolved.expiresAt?.getTime(),
				// The same credentials again: a built-in session may have been renewed (sliding expiry)
				// or ended; a Supabase access token is over at its exp (the browser then reconnects
				// with the renewed one from its cookie).
				// The membership too: a change that did not come through this process's members page
				// (another process without Redis, an owner through the Supabase API) applies here as well.
				async revalidate() {
					const again = await auth.resolve(credentials);
					if (!again || again.user.id !== resolved.user.id) return null;
					const now = await boardRole(db, resolved.user.id, boardId);
					const access = !now ? 'none' : now === 'viewer' ? 'read' : 'write';
					return { expiresAt: again.expiresAt?.getTime(), access };
				},
				// Stamped on this connection's presence, so others see who it really is.
				userName: resolved.user.displayName,
				organisationName: await organisationName(db, resolved.user.organisationId)
			};
		},
		async onLoadDocument(boardId, doc) {
			// boardId is the document name: the board id, or `<board>/org/<organisation>` (org-docs.ts).
			const ref = parseDocName(boardId);
			if (!ref || !(await getBoard(db, ref.boardId))) throw new SyncRefusal(404, 'board not found');
			const rows = await store.load(boardId);
			Y.transact(doc, () => {
				for (const row of rows) Y.applyUpdate(doc, row.data);
			});
			known.set(boardId, new Set(rows.map((row) => row.seq)));
			// Typed top-level maps, so that Yjs reports their key changes as map events (history).
			for (const key of Object.keys(ref.kind === 'org' ? ORG_NOTES_LAYOUT : BOARD_LAYOUT)) {
				doc.getMap(key);
			}
			// A long log (e.g. after a crash before compaction) is compacted, so the next load is fast:
			// after the load, not before the first client gets the document (compact() deletes only
			// the rows it merged and runs one at a time per board, like every other compaction).
			if (rows.length > compactEvery) void compact(boardId, doc);
		},
		onBeforeApply(docName, update, doc, mayRepair = () => true, sender, board, decoded) {
			const org = parseDocName(docName)?.kind === 'org';
			const layout = org ? ORG_NOTES_LAYOUT : BOARD_LAYOUT;
			// A signed-in user's update: gesprek markers are checked against their organisation.
			const author = sender?.userId ? { organisationId: sender.organisationId ?? null } : undefined;
			let part: TakenPart | undefined;
			let facts: UpdateFacts;
			try {
				facts = validateBoardUpdate(update, doc, layout, author, decoded);
			} catch (err) {
				syncCounters.refused++;
				// Never lose a client's work: take what is valid, and say what was not (repair.ts).
				const valid =
					err instanceof UpdateRefusal && mayRepair()
						? takeValidPart(update, doc, layout, author)
						: null;
				if (!valid) throw err;
				part = { update: valid.update, notTaken: valid.notTaken };
				facts = valid.facts;
			}
			// No erased gesprek comes back (erased-guard.ts: a device's undo of its own deletion).
			const erased = org
				? null
				: guardErased(part?.update ?? update, doc, facts, mayRepair, layout, author);
			if (erased) {
				syncCounters.refused++;
				log(`board ${docName}: refused ${erased.notTaken.length} erased gesprek(ken)`);
				part = { update: erased.update, notTaken: [...(part?.notTaken ?? []), ...erased.notTaken] };
				facts = erased.facts;
			}
			// Nothing personal for a household that withdrew its consent (consent-guard.ts), nor
			// confidential notes about it or about a gesprek the board deleted or erased
			// (consent-guard-notes.ts: the consent and the gesprekken are the board's).
			const guarded = org
				? guardWithdrawnNotes(part?.update ?? update, doc, board, facts, mayRepair, layout)
				: guardWithdrawn(part?.update ?? update, doc, facts, mayRepair, layout, author);
			if (!guarded) return part;
			syncCounters.refused++;
			log(
				`board ${docName}: refused personal data for a withdrawn household or a removed gesprek (${guarded.notTaken.length} fields)`
			);
			return { update: guarded.update, notTaken: [...(part?.notTaken ?? []), ...guarded.notTaken] };
		},
		onChange(docName, context, transaction) {
			syncCounters.updates++;
			if (changesConfidential(transaction)) compactAfterStore.add(docName);
			const ref = parseDocName(docName);
			if (context.userId && ref) {
				// Item history: what changed, field by field (an organisation's notes: only that they did).
				const org = ref.kind === 'org';
				history.record(
					{
						boardId: ref.boardId,
						actorId: context.userId,
						organisationId: org ? ref.organisationId : null
					},
					org ? extractOrgNoteChanges(transaction) : extractBoardChanges(transaction)
				);
			}
			// Audit: who changed which gesprek (ids only), at most once a minute per person and gesprek.
			// In an organisation's document the confidential notes are keyed by gesprek id as well.
			const topLevel = parseDocName(docName)?.kind === 'org' ? ORG_NOTES : TOP_LEVEL.gesprekken;
			const gesprekIds = context.userId ? changedGesprekIds(transaction, topLevel) : [];
			if (gesprekIds.length === 0) return;
			const boardId = docName.split('/')[0]!;
			recordGesprekChanges(db, boardId, context.userId!, gesprekIds).catch((err: unknown) =>
				log(`audit of board ${boardId} failed: ${(err as Error).message}`)
			);
		},
		async onStoreDocument(boardId, update, doc) {
			const seq = await store.append(boardId, update);
			known.get(boardId)?.add(seq);
			if (compactAfterStore.delete(boardId)) {
				// Notes just marked confidential: their shared text is gone from the document but not
				// from the stored log. After any compaction that encoded the state before, compact again.
				void (async () => {
					for (let running = compacting.get(boardId); running; running = compacting.get(boardId)) {
						await running;
					}
					const job = store
						.compact(boardId, () => Y.encodeStateAsUpdate(doc), {
							force: true,
							...compactOptions(boardId, doc)
						})
						.catch((err: unknown) =>
							log(`compacting board ${boardId} failed: ${(err as Error).message}`)
						)
						.finally(() => compacting.delete(boardId));
					compacting.set(boardId, job);
					sinceCompaction.set(boardId, 0);
				})();
			}
			const count = (sinceCompaction.get(boardId) ?? 0) + 1;
			sinceCompaction.set(boardId, count);
			if (count >= compactEvery) void compact(boardId, doc);
		},
		async onCompactDocument(boardId, doc) {
			// A compaction that encoded the state before the change must end first, or its older
			// state would be stored after ours. Unlike compact(), a failure here reaches the caller.
			for (let running = compacting.get(boardId); running; running = compacting.get(boardId)) {
				await running;
			}
			const job = store.compact(
				boardId,
				() => Y.encodeStateAsUpdate(doc),
				compactOptions(boardId, doc)
			);
			compacting.set(
				boardId,
				job.catch(() => undefined).finally(() => compacting.delete(boardId))
			);
			sinceCompaction.set(boardId, 0);
			await job;
		},
		async onDocumentUnloaded(boardId, doc) {
			await compact(boardId, doc);
			sinceCompaction.delete(boardId);
			known.delete(boardId);
		},
		/** Waits for running compactions (before the database is closed). */
		async drain() {
			await history.close();
			await Promise.allSettled([...compacting.values()]);
		}
	};
}

/** Non-browser clients may pass their access token as ?access_token= (browsers send cookies). */
function bearerFromQuery(url: string | undefined): string | undefined {
	const query = url?.split('?')[1];
	if (!query) return undefined;
	const token = new URLSearchParams(query).get('access_token');
	return token ? `Bearer ${token}` : undefined;
}

async function organisationName(db: Db, id: string | null): Promise<string | null> {
	if (!id) return null;
	const rows = await db.query<{ name: string }>(
		'select name from public.organisations where id = $1',
		[id]
	);
	return rows[0]?.name ?? null;
}
