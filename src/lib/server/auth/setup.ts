import type { Queryable } from '../db';

/**
 * First start of the embedded mode: until the first built-in account exists, /setup (or the CLI)
 * creates it. Afterwards nobody can use /setup to make themselves an owner.
 */
export async function hasAnyLocalAccount(db: Queryable): Promise<boolean> {
	const [row] = await db.query<{ any: boolean }>(
		'select exists (select 1 from public.local_credentials) as any'
	);
	return row?.any === true;
}

/** Makes a user owner of every board there is (the first owner gets the demo board). */
export async function makeOwnerOfEveryBoard(db: Queryable, userId: string): Promise<string[]> {
	const rows = await db.query<{ board_id: string }>(
		`insert into public.board_members (board_id, user_id, role)
		 select id, $1, 'owner' from public.boards
		 on conflict (board_id, user_id) do update set role = 'owner'
		 returning board_id`,
		[userId]
	);
	return rows.map((r) => r.board_id).sort();
}

/**
 * Whether this user holds the oldest built-in account: two /setup forms sent at the same moment
 * both pass the "no account yet" check, and only the first account may become the owner.
 */
export async function isFirstLocalAccount(db: Queryable, userId: string): Promise<boolean> {
	const [row] = await db.query<{ user_id: string }>(
		'select user_id from public.local_credentials order by created_at, user_id limit 1'
	);
	return row?.user_id === userId;
}
