import { isBoardRole, type BoardRole } from './access';
import type { Db, Queryable } from './db';

// Invitations live in invites.ts and invite-accept.ts; re-exported so that callers keep one import.
export * from './invites';
export * from './invite-accept';

export interface Member {
	userId: string;
	name: string;
	email: string | null;
	organisation: string | null;
	role: BoardRole;
}

/** A board's members, owners first, then by name. */
export async function listMembers(db: Queryable, boardId: string): Promise<Member[]> {
	const rows = await db.query<{
		user_id: string;
		display_name: string;
		email: string | null;
		organisation: string | null;
		role: string;
	}>(
		`select m.user_id, p.display_name, p.email, o.name as organisation, m.role
		 from public.board_members m
		 join public.profiles p on p.id = m.user_id
		 left join public.organisations o on o.id = p.organisation_id
		 where m.board_id = $1
		 order by array_position(array['owner', 'editor', 'viewer'], m.role), lower(p.display_name), m.user_id`,
		[boardId]
	);
	return rows.map((r) => ({
		userId: r.user_id,
		name: r.display_name,
		email: r.email,
		organisation: r.organisation,
		role: isBoardRole(r.role) ? r.role : 'viewer'
	}));
}

export type MemberChangeResult =
	{ ok: true } | { ok: false; reason: 'not_member' } | { ok: false; reason: 'last_owner' };

/**
 * Locks the board's owner rows for the rest of the transaction, so that two owners demoting or
 * removing each other at the same moment cannot leave a board without any owner: the second waits
 * for the first and then sees one owner fewer.
 */
async function lockOwners(tx: Queryable, boardId: string): Promise<string[]> {
	const rows = await tx.query<{ user_id: string }>(
		`select user_id from public.board_members where board_id = $1 and role = 'owner' for update`,
		[boardId]
	);
	return rows.map((r) => r.user_id);
}

/** Changes a member's role; the last owner cannot be demoted. Open sockets follow at once. */
export async function changeRole(
	db: Db,
	boardId: string,
	userId: string,
	role: BoardRole,
	reauthorize: Reauthorize
): Promise<MemberChangeResult> {
	const result = await db.transaction(async (tx): Promise<MemberChangeResult> => {
		const owners = await lockOwners(tx, boardId);
		if (role !== 'owner' && owners.length === 1 && owners[0] === userId) {
			return { ok: false, reason: 'last_owner' };
		}
		const updated = await tx.query(
			'update public.board_members set role = $3 where board_id = $1 and user_id = $2 returning 1',
			[boardId, userId, role]
		);
		return updated.length ? { ok: true } : { ok: false, reason: 'not_member' };
	});
	if (result.ok) await reauthorize(boardId, userId, role);
	return result;
}

/** Removes a member; the last owner cannot be removed. Their open sockets close at once. */
export async function removeMember(
	db: Db,
	boardId: string,
	userId: string,
	reauthorize: Reauthorize
): Promise<MemberChangeResult> {
	const result = await db.transaction(async (tx): Promise<MemberChangeResult> => {
		const owners = await lockOwners(tx, boardId);
		if (owners.length === 1 && owners[0] === userId) return { ok: false, reason: 'last_owner' };
		const deleted = await tx.query(
			'delete from public.board_members where board_id = $1 and user_id = $2 returning 1',
			[boardId, userId]
		);
		return deleted.length ? { ok: true } : { ok: false, reason: 'not_member' };
	});
	if (result.ok) await reauthorize(boardId, userId, null);
	return result;
}

/** Applies a membership change to open sync connections (runtime.sync.reauthorize). */
export type Reauthorize = (
	boardId: string,
	userId: string,
	role: BoardRole | null
) => Promise<unknown>;
