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
	 * Replaces the board's stored log by one row: the state of the live document, which holds
	 * everything stored so far. The order matters: the last stored seq is read first and the state
	 * encoded after, so every row up to that seq (appended only after its update reached the
	 * document) is in the state; rows appended meanwhile have a higher seq and are kept.
	 * Returns the number of rows replaced (0: nothing to do).
	 */
	async compact(boardId: string, encodeState: () => Uint8Array): Promise<number> {
		return this.db.transaction(async (tx) => {
			const [log] = await tx.query<{ rows: number; last: number | null }>(
				'select count(*)::int as rows, max(seq) as last from public.board_updates where board_id = $1',
				[boardId]
			);
			if (!log || log.rows <= 1 || log.last === null) return 0;
			const state = encodeState();
			await tx.query('delete from public.board_updates where board_id = $1 and seq <= $2', [
				boardId,
				log.last
			]);
			await tx.query('insert into public.board_updates (board_id, data) values ($1, $2)', [
				boardId,
				state
			]);
			return log.rows;
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
