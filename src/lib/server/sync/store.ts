import * as Y from 'yjs';
import type { Db, SqlParam } from '../db';
import { parseDocName } from './org-docs';

/** The rows of one document: its table and the key columns that select them. */
interface Log {
	table: string;
	/** `board_id = $1 [and organisation_id = $2]` */
	where: string;
	columns: string;
	params: string[];
}

/**
 * Where a document's log lives: a board's shared document in public.board_updates, an
 * organisation's confidential notes on a board (`<board>/org/<organisation>`) in
 * public.org_note_updates.
 */
function logOf(name: string): Log {
	const ref = parseDocName(name);
	if (!ref) throw new Error('invalid document name');
	if (ref.kind === 'board') {
		return {
			table: 'public.board_updates',
			where: 'board_id = $1',
			columns: 'board_id',
			params: [ref.boardId]
		};
	}
	return {
		table: 'public.org_note_updates',
		where: 'board_id = $1 and organisation_id = $2',
		columns: 'board_id, organisation_id',
		params: [ref.boardId, ref.organisationId]
	};
}

/**
 * Where documents live in Postgres: an append-only log of Yjs updates per document, compacted into
 * one row now and then. Documents are named as the sync server names them: a board id, or
 * `<board>/org/<organisation>` (see org-docs.ts).
 */
interface Append {
	params: SqlParam[];
	resolve: (seq: number) => void;
	reject: (err: unknown) => void;
}

/** Inserts of up to this many rows run as prepared statements (one per row count and table). */
const PREPARED_ROWS = 4;

/** At most this many rows in one insert (PostgreSQL takes at most 65535 parameters). */
const MAX_ROWS_PER_INSERT = 500;

export interface UpdateStoreOptions {
	/**
	 * Inserts into one table start at least this far apart (PostgreSQL's `commit_delay`, at the
	 * application's end): appends that arrive in between go in together with the next one. 0 (the
	 * default) writes each as soon as the previous insert has finished. A lone append after a
	 * quiet spell is written at once either way.
	 */
	commitIntervalMs?: number;
}

export class UpdateStore {
	/** Per table: appends that came in while an insert into it was running. */
	private readonly waiting = new Map<string, { log: Log; rows: Append[] }>();
	private readonly writing = new Set<string>();
	/** Per table: when its last insert started (performance.now()). */
	private readonly lastInsert = new Map<string, number>();

	constructor(
		private readonly db: Db,
		private readonly options: UpdateStoreOptions = {}
	) {}

	/** All stored updates of a document, oldest first. */
	async load(name: string): Promise<{ seq: number; data: Uint8Array }[]> {
		const log = logOf(name);
		return this.db.query<{ seq: number; data: Uint8Array }>(
			`select seq, data from ${log.table} where ${log.where} order by seq`,
			log.params
		);
	}

	/**
	 * Appends one update; resolves with its seq once it is stored. Group commit: an append while an
	 * insert into the same table is running waits for it and then goes in with every other append
	 * that came meanwhile, as one multi-row insert (one statement and commit instead of one each:
	 * with 50 boards edited at once, most of the storage's CPU time was per statement). An append
	 * with nothing running is written at once, unless the last insert started less than
	 * `commitIntervalMs` ago: then it waits for the rest of that interval, with the others.
	 */
	append(name: string, update: Uint8Array): Promise<number> {
		const log = logOf(name);
		return new Promise<number>((resolve, reject) => {
			let queue = this.waiting.get(log.table);
			if (!queue) this.waiting.set(log.table, (queue = { log, rows: [] }));
			queue.rows.push({ params: [...log.params, update], resolve, reject });
			if (!this.writing.has(log.table)) void this.drain(log.table);
		});
	}

	private async drain(table: string): Promise<void> {
		this.writing.add(table);
		const interval = this.options.commitIntervalMs ?? 0;
		try {
			for (let queue = this.waiting.get(table); queue?.rows.length;) {
				const wait = (this.lastInsert.get(table) ?? -Infinity) + interval - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
				const rows = queue.rows.splice(0, MAX_ROWS_PER_INSERT);
				this.lastInsert.set(table, performance.now());
				await this.insert(queue.log, rows);
			}
		} finally {
			this.writing.delete(table);
			this.waiting.delete(table);
		}
	}

	private async insert(log: Log, rows: Append[]): Promise<void> {
		const width = log.params.length + 1;
		const values = rows.map(
			(_, r) => `(${Array.from({ length: width }, (_, i) => `$${r * width + i + 1}`).join(', ')})`
		);
		try {
			// An identity column numbers the rows of one insert in the order of its VALUES, and
			// RETURNING gives them back in that order.
			const sql = `insert into ${log.table} (${log.columns}, data) values ${values.join(', ')} returning seq`;
			const params = rows.flatMap((row) => row.params);
			// The usual insert (a row or a few) is kept prepared: on PGlite that is a third of its CPU.
			const stored =
				rows.length <= PREPARED_ROWS
					? await this.db.prepared<{ seq: number }>(sql, params)
					: await this.db.query<{ seq: number }>(sql, params);
			if (stored.length !== rows.length) throw new Error('insert returned fewer rows');
			rows.forEach((row, i) => row.resolve(stored[i]!.seq));
		} catch (err) {
			if (rows.length === 1) {
				rows[0]!.reject(err);
				return;
			}
			// One row may be the cause (its board was deleted meanwhile): each on its own, so that
			// only its own writer sees the error (and the others are stored).
			for (const row of rows) await this.insert(log, [row]);
		}
	}

	/**
	 * Replaces the document's stored log by one row, deleting only the rows it merged into it, so
	 * that it stays correct with several writers (server processes on one database, each appending
	 * what its own clients sent): the rows are read (and locked) in the transaction, and exactly
	 * those rows are replaced by the live state with every row applied on top (mergeIntoState). A
	 * row another process wrote that this process never saw is merged, not lost; a row committed
	 * after the read is not touched; the merge garbage-collects content deleted in the live
	 * document, so a compaction after an erasure leaves none of it.
	 *
	 * `known`: the seqs of rows the live document `doc` is known to hold (loaded into it, or
	 * appended from it); their data is not even read. Rows outside it that the document holds all
	 * the same (`docHolds`) are not merged either, so the usual compaction writes the live state
	 * as it is, without decoding it again. The set is kept up to date: the rows replaced leave it,
	 * the new row joins it when it is the live state. Returns the number of rows replaced.
	 */
	async compact(
		name: string,
		encodeState: () => Uint8Array,
		{
			force = false,
			known,
			doc
		}: {
			/**
			 * Rewrite even a log of one row: that row may be a merged update that still holds content
			 * deleted since (merging updates does not garbage-collect); the state does not.
			 */
			force?: boolean;
			known?: Set<number>;
			doc?: Y.Doc;
		} = {}
	): Promise<number> {
		const log = logOf(name);
		const n = log.params.length;
		const seqs = (list: Iterable<number>) => `{${[...list].join(',')}}`;
		return this.db.transaction(async (tx) => {
			// Locked: a compaction of the same document in another process waits for this one and
			// then no longer sees the rows deleted here.
			const rows = await tx.query<{ seq: number; data: Uint8Array | null }>(
				`select seq, case when seq = any($${n + 1}::bigint[]) then null else data end as data
				 from ${log.table} where ${log.where} order by seq for update`,
				[...log.params, seqs(known ?? [])]
			);
			if (rows.length < (force ? 1 : 2)) return 0;
			const stateOf = lazyDeleteSet(doc);
			const foreign = rows.flatMap((row) =>
				row.data && !(doc && docHolds(doc, row.data, stateOf)) ? [row.data] : []
			);
			const live = encodeState();
			const state = foreign.length > 0 ? mergeIntoState(live, foreign) : live;
			await tx.query(
				`delete from ${log.table} where ${log.where} and seq = any($${n + 1}::bigint[])`,
				[...log.params, seqs(rows.map((row) => row.seq))]
			);
			const [inserted] = await tx.query<{ seq: number }>(
				`insert into ${log.table} (${log.columns}, data) values (${placeholders(n + 1)}) returning seq`,
				[...log.params, state]
			);
			if (known) {
				for (const row of rows) known.delete(row.seq);
				if (state === live) known.add(inserted!.seq);
			}
			return rows.length;
		});
	}

	async storedBytes(name: string): Promise<{ rows: number; bytes: number }> {
		const log = logOf(name);
		const [row] = await this.db.query<{ rows: number; bytes: number | null }>(
			`select count(*)::int as rows, sum(octet_length(data))::int as bytes from ${log.table} where ${log.where}`,
			log.params
		);
		return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
	}
}

function placeholders(count: number): string {
	return Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
}

/**
 * The live state with every stored row applied on top, as one update. Rows the live document
 * already holds change nothing (the common case: then the state is returned as it is); a row it
 * lacks (written by another process) is merged. Deletions in the live state win over content the
 * rows still hold: a garbage-collected struct stays collected.
 */
export function mergeIntoState(state: Uint8Array, rows: Uint8Array[]): Uint8Array {
	const doc = new Y.Doc({ guid: 'compaction' });
	try {
		Y.applyUpdate(doc, state);
		let changed = false;
		doc.on('update', () => (changed = true));
		for (const row of rows) Y.applyUpdate(doc, row);
		return changed ? Y.encodeStateAsUpdate(doc) : state;
	} finally {
		doc.destroy();
	}
}

/** Rows larger than this are merged without checking whether the live document holds them. */
const HOLD_CHECK_BYTES = 256 * 1024;

/** A document's deleted ranges: client → sorted, merged ranges. */
type DeleteSet = ReturnType<typeof Y.createDeleteSetFromStructStore>;

/** The document's deleted ranges, computed once and only when needed. */
function lazyDeleteSet(doc: Y.Doc | undefined): () => DeleteSet | undefined {
	let ds: DeleteSet | undefined;
	return () => (doc ? (ds ??= Y.createDeleteSetFromStructStore(doc.store)) : undefined);
}

/**
 * Whether the document already holds everything a (small) stored row holds: every struct (by
 * client and clock) and every deletion. Conservative: when in doubt, false (the row is merged).
 */
export function docHolds(
	doc: Y.Doc,
	row: Uint8Array,
	deleteSet: () => DeleteSet | undefined
): boolean {
	if (row.byteLength > HOLD_CHECK_BYTES) return false;
	let update: ReturnType<typeof Y.decodeUpdate>;
	try {
		update = Y.decodeUpdate(row);
	} catch {
		return false;
	}
	for (const struct of update.structs) {
		if (Y.getState(doc.store, struct.id.client) < struct.id.clock + struct.length) return false;
	}
	if (update.ds.clients.size === 0) return true;
	const deleted = deleteSet();
	if (!deleted) return false;
	for (const [client, items] of update.ds.clients) {
		const ranges = deleted.clients.get(client) ?? [];
		for (const item of items) if (!covers(ranges, item.clock, item.len)) return false;
	}
	return true;
}

/** Whether sorted, merged deleted ranges cover [clock, clock + len). */
function covers(ranges: { clock: number; len: number }[], clock: number, len: number): boolean {
	let low = 0;
	let high = ranges.length - 1;
	while (low <= high) {
		const mid = (low + high) >> 1;
		const range = ranges[mid]!;
		if (range.clock + range.len <= clock) low = mid + 1;
		else if (range.clock > clock) high = mid - 1;
		else return range.clock + range.len >= clock + len;
	}
	return false;
}
