/** A board as stored in Postgres: its identity and where its map opens. */
export interface BoardMeta {
	id: string;
	name: string;
	centerLon: number;
	centerLat: number;
	zoom: number;
}

/**
 * Board ids are short slugs. Anything else (path tricks, very long, non-ASCII) is refused
 * before it reaches the database or the sync server.
 */
export const BOARD_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isBoardId(id: string): boolean {
	return BOARD_ID.test(id);
}
