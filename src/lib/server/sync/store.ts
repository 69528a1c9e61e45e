import * as Y from 'yjs';
import type { Db } from '../db';
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
export class UpdateStore {
	constructor(private readonly db: Db) {}

	/** All stored updates of a document, oldest first. */
	async load(name: string): Promise<{ seq: number; data: Uint8Array }[]> {
		const log = logOf(name);
		return this.db.query<{ seq: number; data: Uint8Array }>(
			`select seq, data from ${log.table} where ${log.where} order by seq`,
			log.params
		);
	}

	async append(name: string, update: Uint8Array): Promise<void> {
		const log = logOf(name);
		await this.db.query(
			`insert into ${log.table} (${log.columns}, data) values (${placeholders(log.params.length + 1)})`,
			[...log.params, update]
		);
	}

	/**
	 * Replaces the document's stored log by one row, deleting only the rows it merged into it, so
	 * that it stays correct with several writers (server processes on one database, each appending
	 * what its own clients sent): the rows are read (and locked) in the transaction, applied on top
	 * of the live document's state in a scratch document, and exactly those rows are replaced by
	 * the result. A row another process wrote that this process never saw is merged, not lost; a
	 * row committed after the read is not touched. The scratch document garbage-collects content
	 * deleted in the live document, so a compaction after an erasure leaves none of it.
	 * Returns the number of rows replaced (0: nothing to do).
	 */
	async compact(
		name: string,
		encodeState: () => Uint8Array,
		/**
		 * Rewrite even a log of one row: that row may be a merged update that still holds content
		 * deleted since (merging updates does not garbage-collect); the state does not.
		 */
		{ force = false }: { force?: boolean } = {}
	): Promise<number> {
		const log = logOf(name);
		const n = log.params.length;
		return this.db.transaction(async (tx) => {
			// Locked: a compaction of the same document in another process waits for this one and
			// then no longer sees the rows deleted here.
			const rows = await tx.query<{ seq: number; data: Uint8Array }>(
				`select seq, data from ${log.table} where ${log.where} order by seq for update`,
				log.params
			);
			if (rows.length < (force ? 1 : 2)) return 0;
			const state = mergeIntoState(
				encodeState(),
				rows.map((row) => row.data)
			);
			await tx.query(
				`delete from ${log.table} where ${log.where} and seq = any($${n + 1}::bigint[])`,
				[...log.params, `{${rows.map((row) => row.seq).join(',')}}`]
			);
			await tx.query(
				`insert into ${log.table} (${log.columns}, data) values (${placeholders(n + 1)})`,
				[...log.params, state]
			);
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
