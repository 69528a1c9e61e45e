import * as Y from 'yjs';
import type { Db } from '../db';

/**
 * Where board documents live in Postgres: an append-only log of Yjs updates per board
 * (table public.board_updates), compacted into one row now and then.
 */
export class UpdateStore {
	constructor(private readonly db: Db) {}

	/** All stored updates of a board, oldest first. */
	async load(boardId: string): Promise<{ seq: number; data: Uint8Array }[]> {
		return this.db.query<{ seq: number; data: Uint8Array }>(
			'select seq, data from public.board_updates where board_id = $1 order by seq',
			[boardId]
		);
	}

	async append(boardId: string, update: Uint8Array): Promise<void> {
		await this.db.query('insert into public.board_updates (board_id, data) values ($1, $2)', [
			boardId,
			update
		]);
	}

	/**
	 * Replaces the board's log by one row holding the document's state. Runs in a transaction that
	 * only deletes the rows it read, so an update appended meanwhile is kept.
	 * Returns the number of rows merged (0 or 1: nothing to do).
	 */
	async compact(boardId: string): Promise<number> {
		return this.db.transaction(async (tx) => {
			const rows = await tx.query<{ seq: number; data: Uint8Array }>(
				'select seq, data from public.board_updates where board_id = $1 order by seq for update',
				[boardId]
			);
			if (rows.length <= 1) return 0;
			// Rebuilding the document (rather than Y.mergeUpdates) lets Yjs drop deleted content,
			// which keeps the stored size close to the size of the state.
			const doc = new Y.Doc();
			Y.transact(doc, () => {
				for (const row of rows) Y.applyUpdate(doc, row.data);
			});
			const state = Y.encodeStateAsUpdate(doc);
			doc.destroy();
			const lastSeq = rows[rows.length - 1]!.seq;
			await tx.query('delete from public.board_updates where board_id = $1 and seq <= $2', [
				boardId,
				lastSeq
			]);
			await tx.query('insert into public.board_updates (board_id, data) values ($1, $2)', [
				boardId,
				state
			]);
			return rows.length;
		});
	}

	async storedBytes(boardId: string): Promise<{ rows: number; bytes: number }> {
		const [row] = await this.db.query<{ rows: number; bytes: number | null }>(
			'select count(*)::int as rows, sum(octet_length(data))::int as bytes from public.board_updates where board_id = $1',
			[boardId]
		);
		return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
	}
}
