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
	 * Replaces the board's stored log by one row: the state of the live document, which holds
	 * everything stored so far. The order matters: the last stored seq is read first and the state
	 * encoded after, so every row up to that seq (appended only after its update reached the
	 * document) is in the state; rows appended meanwhile have a higher seq and are kept.
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
			const [stored] = await tx.query<{ rows: number; last: number | null }>(
				`select count(*)::int as rows, max(seq) as last from ${log.table} where ${log.where}`,
				log.params
			);
			if (!stored || stored.rows < (force ? 1 : 2) || stored.last === null) return 0;
			const state = encodeState();
			await tx.query(`delete from ${log.table} where ${log.where} and seq <= $${n + 1}`, [
				...log.params,
				stored.last
			]);
			await tx.query(
				`insert into ${log.table} (${log.columns}, data) values (${placeholders(n + 1)})`,
				[...log.params, state]
			);
			return stored.rows;
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
