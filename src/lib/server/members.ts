import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BOARD_ROLES, isBoardRole, type BoardRole } from './access';
import { createAccount, type CreateAccountResult } from './auth/accounts';
import { hashToken, type SessionUser } from './auth/sessions';
import type { Db, Queryable } from './db';

/** How long an invitation stays valid. */
export const INVITE_TTL_DAYS = 7;

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

/** The organisations of a board's members: what an owner can pick for a new account. */
export async function memberOrganisations(
	db: Queryable,
	boardId: string
): Promise<{ id: string; name: string }[]> {
	return db.query<{ id: string; name: string }>(
		`select distinct o.id, o.name
		 from public.board_members m
		 join public.profiles p on p.id = m.user_id
		 join public.organisations o on o.id = p.organisation_id
		 where m.board_id = $1
		 order by o.name, o.id`,
		[boardId]
	);
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

// Invitations -------------------------------------------------------------------------------------

export const inviteInputSchema = z
	.object({
		role: z.enum(BOARD_ROLES),
		/** An email invitation; absent for a link invitation. */
		email: z.string().trim().max(320).pipe(z.email()).optional(),
		/** The organisation a new account joins: one of the board's members' organisations… */
		organisationId: z.uuid().optional(),
		/** …or a new one, by name. */
		organisationName: z.string().trim().min(1).max(200).optional()
	})
	.refine((v) => Boolean(v.organisationId) !== Boolean(v.organisationName), {
		path: ['organisationId'],
		message: 'Choose an organisation or name a new one.'
	});

export type InviteInput = z.input<typeof inviteInputSchema>;

export type CreateInviteResult =
	| { ok: true; token: string; id: string; expiresAt: Date }
	| { ok: false; reason: 'invalid'; field: keyof InviteInput }
	| { ok: false; reason: 'unknown_organisation' };

/**
 * Creates an invitation and returns its token: the only time it exists outside the invitee's link
 * (the database keeps its SHA-256). A typed organisation name that is not one of the board's
 * members' organisations becomes a new organisation, even when another board has one of that
 * name: an owner places newcomers in organisations of their own board, never in a stranger's.
 */
export async function createInvite(
	db: Db,
	boardId: string,
	createdBy: string,
	input: InviteInput
): Promise<CreateInviteResult> {
	const parsed = inviteInputSchema.safeParse(input);
	if (!parsed.success) {
		const field = (parsed.error.issues[0]?.path[0] ?? 'role') as keyof InviteInput;
		return { ok: false, reason: 'invalid', field };
	}
	const { role, email, organisationId, organisationName } = parsed.data;
	const token = randomBytes(32).toString('base64url');
	return db.transaction(async (tx): Promise<CreateInviteResult> => {
		const known = await memberOrganisations(tx, boardId);
		let orgId: string;
		if (organisationId) {
			if (!known.some((o) => o.id === organisationId)) {
				return { ok: false, reason: 'unknown_organisation' };
			}
			orgId = organisationId;
		} else {
			const name = organisationName!;
			const same = known.find((o) => o.name.toLowerCase() === name.toLowerCase());
			if (same) orgId = same.id;
			else {
				const [created] = await tx.query<{ id: string }>(
					'insert into public.organisations (name) values ($1) returning id',
					[name]
				);
				orgId = created!.id;
			}
		}
		const [row] = await tx.query<{ id: string; expires_at: Date }>(
			`insert into public.board_invites
			   (board_id, token_hash, role, organisation_id, email, created_by, expires_at)
			 values ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 day')
			 returning id, expires_at`,
			[boardId, hashToken(token), role, orgId, email ?? null, createdBy, INVITE_TTL_DAYS]
		);
		return { ok: true, token, id: row!.id, expiresAt: new Date(row!.expires_at) };
	});
}

export interface OpenInvite {
	id: string;
	role: BoardRole;
	email: string | null;
	organisation: string | null;
	createdBy: string | null;
	createdAt: Date;
	expiresAt: Date;
}

/** Invitations of a board that can still be accepted (not used, not expired), newest first. */
export async function listOpenInvites(db: Queryable, boardId: string): Promise<OpenInvite[]> {
	const rows = await db.query<{
		id: string;
		role: string;
		email: string | null;
		organisation: string | null;
		created_by: string | null;
		created_at: Date;
		expires_at: Date;
	}>(
		`select i.id, i.role, i.email, o.name as organisation, p.display_name as created_by,
		        i.created_at, i.expires_at
		 from public.board_invites i
		 left join public.organisations o on o.id = i.organisation_id
		 left join public.profiles p on p.id = i.created_by
		 where i.board_id = $1 and i.used_at is null and i.expires_at > now()
		 order by i.created_at desc, i.id`,
		[boardId]
	);
	return rows.map((r) => ({
		id: r.id,
		role: isBoardRole(r.role) ? r.role : 'viewer',
		email: r.email,
		organisation: r.organisation,
		createdBy: r.created_by,
		createdAt: new Date(r.created_at),
		expiresAt: new Date(r.expires_at)
	}));
}

/** Withdraws an invitation of this board; true when there was one. */
export async function revokeInvite(
	db: Queryable,
	boardId: string,
	inviteId: string
): Promise<boolean> {
	if (!z.uuid().safeParse(inviteId).success) return false;
	const rows = await db.query(
		'delete from public.board_invites where board_id = $1 and id = $2 returning 1',
		[boardId, inviteId]
	);
	return rows.length > 0;
}

/** Why an invitation cannot be accepted. Unknown and revoked look the same: nothing is left of it. */
export type InviteProblem = 'invalid' | 'expired' | 'used' | 'wrong_account';

export interface InviteDetails {
	id: string;
	boardId: string;
	role: BoardRole;
	organisationId: string;
	organisationName: string;
	/** Set for an email invitation: the account that accepts must have this address. */
	email: string | null;
}

/** Tokens are 32 random bytes in base64url; anything else is not worth a query. */
function plausibleToken(token: string): boolean {
	return /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

/**
 * Looks an invitation up by its token without using it. The caller must not show anything about
 * the board to someone who has not accepted yet.
 */
export async function peekInvite(
	db: Queryable,
	token: string
): Promise<{ ok: true; invite: InviteDetails } | { ok: false; reason: InviteProblem }> {
	if (!plausibleToken(token)) return { ok: false, reason: 'invalid' };
	const [row] = await db.query<{
		id: string;
		board_id: string;
		role: string;
		organisation_id: string;
		organisation_name: string;
		email: string | null;
		used: boolean;
		expired: boolean;
	}>(
		`select i.id, i.board_id, i.role, i.organisation_id, o.name as organisation_name, i.email,
		        i.used_at is not null as used, i.expires_at <= now() as expired
		 from public.board_invites i join public.organisations o on o.id = i.organisation_id
		 where i.token_hash = $1`,
		[hashToken(token)]
	);
	if (!row) return { ok: false, reason: 'invalid' };
	if (row.used) return { ok: false, reason: 'used' };
	if (row.expired) return { ok: false, reason: 'expired' };
	return {
		ok: true,
		invite: {
			id: row.id,
			boardId: row.board_id,
			role: isBoardRole(row.role) ? row.role : 'viewer',
			organisationId: row.organisation_id,
			organisationName: row.organisation_name,
			email: row.email
		}
	};
}

export type AcceptResult =
	{ ok: true; boardId: string; role: BoardRole } | { ok: false; reason: InviteProblem };

/**
 * Uses an invitation for a signed-in user: one conditional UPDATE takes it (used_at is null and not
 * expired), so of two simultaneous accepts exactly one gets it. The membership is added in the same
 * transaction; an existing member keeps a stronger role than the invitation's. An email invitation
 * can only be used by the account with that address.
 */
export async function acceptInvite(
	db: Db,
	token: string,
	user: { id: string; email: string | null },
	reauthorize?: Reauthorize
): Promise<AcceptResult> {
	if (!plausibleToken(token)) return { ok: false, reason: 'invalid' };
	const tokenHash = hashToken(token);
	const result = await db.transaction(async (tx): Promise<AcceptResult> => {
		const [taken] = await tx.query<{ board_id: string; role: string }>(
			`update public.board_invites
			 set used_at = now(), used_by = $2
			 where token_hash = $1 and used_at is null and expires_at > now()
			   and (email is null or lower(email) = lower($3))
			 returning board_id, role`,
			[tokenHash, user.id, user.email ?? '']
		);
		if (!taken) return { ok: false, reason: await whyNot(tx, tokenHash, user.email) };
		const role: BoardRole = isBoardRole(taken.role) ? taken.role : 'viewer';
		const [member] = await tx.query<{ role: string }>(
			`insert into public.board_members (board_id, user_id, role) values ($1, $2, $3)
			 on conflict (board_id, user_id) do update set role = case
			   when array_position(array['viewer', 'editor', 'owner'], excluded.role)
			      > array_position(array['viewer', 'editor', 'owner'], public.board_members.role)
			   then excluded.role else public.board_members.role end
			 returning role`,
			[taken.board_id, user.id, role]
		);
		return {
			ok: true,
			boardId: taken.board_id,
			role: member && isBoardRole(member.role) ? member.role : role
		};
	});
	if (result.ok && reauthorize) await reauthorize(result.boardId, user.id, result.role);
	return result;
}

async function whyNot(
	tx: Queryable,
	tokenHash: string,
	email: string | null
): Promise<InviteProblem> {
	const [row] = await tx.query<{ used: boolean; expired: boolean; email: string | null }>(
		`select used_at is not null as used, expires_at <= now() as expired, email
		 from public.board_invites where token_hash = $1`,
		[tokenHash]
	);
	if (!row) return 'invalid';
	if (row.used) return 'used';
	if (row.expired) return 'expired';
	if (row.email && row.email.toLowerCase() !== (email ?? '').toLowerCase()) return 'wrong_account';
	return 'used';
}

export type AcceptNewAccountResult =
	| { ok: true; user: SessionUser; boardId: string; role: BoardRole }
	| { ok: false; reason: InviteProblem }
	| Exclude<CreateAccountResult, { ok: true }>;

/**
 * Creates an account for an invitee (embedded mode) and accepts the invitation with it. The new
 * account joins the invitation's organisation, whatever the invitee types; an email invitation
 * fixes the address. When another accept takes the invitation in between, the new account is
 * deleted again, so nobody is left with an account that belongs to no board.
 */
export async function acceptWithNewAccount(
	db: Db,
	token: string,
	input: { displayName: string; email: string; password: string }
): Promise<AcceptNewAccountResult> {
	const peek = await peekInvite(db, token);
	if (!peek.ok) return peek;
	const { invite } = peek;
	const created = await createAccount(db, {
		displayName: input.displayName,
		email: invite.email ?? input.email,
		password: input.password,
		organisationName: invite.organisationName
	});
	if (!created.ok) return created;
	const user: SessionUser = { ...created.user, organisationId: invite.organisationId };
	// createAccount joins the oldest organisation of that name; the invitation names one exactly.
	if (created.user.organisationId !== invite.organisationId) {
		await db.query('update public.profiles set organisation_id = $2 where id = $1', [
			user.id,
			invite.organisationId
		]);
	}
	const accepted = await acceptInvite(db, token, user);
	if (!accepted.ok) {
		await db.query('delete from public.profiles where id = $1', [user.id]);
		return accepted;
	}
	return { ok: true, user, boardId: accepted.boardId, role: accepted.role };
}
