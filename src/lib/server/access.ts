import type { Queryable } from './db';

/** Roles per board, weakest first: viewer (reads), editor (edits), owner (members, settings). */
export const BOARD_ROLES = ['viewer', 'editor', 'owner'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

export function isBoardRole(value: unknown): value is BoardRole {
	return typeof value === 'string' && (BOARD_ROLES as readonly string[]).includes(value);
}

/** Whether `role` is at least `min` (viewer < editor < owner). */
export function hasRole(role: BoardRole | null | undefined, min: BoardRole): boolean {
	return role != null && BOARD_ROLES.indexOf(role) >= BOARD_ROLES.indexOf(min);
}

/**
 * A user's role on a board, or null when they are not a member or the board does not exist: the
 * two look the same to callers, so nobody learns whether a board they cannot open exists.
 */
export async function boardRole(
	db: Queryable,
	userId: string,
	boardId: string
): Promise<BoardRole | null> {
	const [row] = await db.query<{ role: string }>(
		'select role from public.board_members where board_id = $1 and user_id = $2',
		[boardId, userId]
	);
	return row && isBoardRole(row.role) ? row.role : null;
}

/** Makes a user a member of a board with this role (or changes their role). */
export async function setBoardRole(
	db: Queryable,
	boardId: string,
	userId: string,
	role: BoardRole
): Promise<void> {
	await db.query(
		`insert into public.board_members (board_id, user_id, role) values ($1, $2, $3)
		 on conflict (board_id, user_id) do update set role = excluded.role`,
		[boardId, userId, role]
	);
}
