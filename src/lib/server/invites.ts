import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BOARD_ROLES, isBoardRole, type BoardRole } from './access';
import { hashToken } from './auth/sessions';
import type { Db, Queryable } from './db';

/** How long an invitation stays valid. */
export const INVITE_TTL_DAYS = 7;

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

/**
 * THE RULE: who may put a NEW account into an organisation through an invitation (QA sec2).
 *
 * An account's organisation decides whose confidential notes it reads ("alleen mijn organisatie"),
 * so who joins an organisation is that organisation's business, not any board owner's. Before, an
 * owner of Woonwaarts could make a link invitation for Bindkracht10 (picked from the board's
 * organisations, or typed as "bindkracht10"), sign up with it themselves and read Bindkracht10's
 * confidential notes on the board.
 *
 * - An existing account always keeps its own organisation: accepting any invitation only adds the
 *   membership (a colleague of another organisation on a shared board, as their own organisation:
 *   the normal case between a corporation and a welfare organisation). A profile without one (a
 *   Supabase user's, as first seen) is held to the rule for new accounts below.
 * - A new account (signing up through an invitation) joins the invitation's organisation only when
 *   (a) the owner who made the invitation belongs to that organisation, or
 *   (b) the organisation is still empty: nobody belongs to it and it holds no confidential notes
 *       (the new organisation the invitation created).
 * - Otherwise the invitation still works for an existing account, but no account is made with it
 *   ('organisation'). A new colleague of Bindkracht10 is invited by an owner of Bindkracht10.
 *
 * Checked when an invitation is made (the owner is told that the link is for existing accounts),
 * shown on the invitation page, and enforced when it is used, in the transaction that creates the
 * account, so an invitation made any other way (the Supabase API, an older version) is held to it.
 */
export async function mayCreateAccountIn(
	tx: Queryable,
	organisationId: string,
	invitedBy: string | null
): Promise<boolean> {
	const [row] = await tx.query<{ allowed: boolean }>(
		`select (
		   exists (select 1 from public.profiles where id = $2 and organisation_id = $1)
		   or (not exists (select 1 from public.profiles where organisation_id = $1)
		       and not exists (select 1 from public.org_note_updates where organisation_id = $1))
		 ) as allowed`,
		[organisationId, invitedBy]
	);
	return row?.allowed === true;
}

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
	| {
			ok: true;
			token: string;
			id: string;
			expiresAt: Date;
			organisationName: string;
			/** False: only an existing account can accept it (see mayCreateAccountIn). */
			newAccounts: boolean;
	  }
	| { ok: false; reason: 'invalid'; field: keyof InviteInput }
	| { ok: false; reason: 'unknown_organisation' };

/**
 * Creates an invitation and returns its token: the only time it exists outside the invitee's link
 * (the database keeps its SHA-256). A typed organisation name that is not one of the board's
 * members' organisations becomes a new organisation, even when another board has one of that
 * name: an owner places newcomers in organisations of their own board, never in a stranger's.
 * Another organisation of the board may be named, but then the invitation makes no new account
 * (`newAccounts: false`, mayCreateAccountIn).
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
		let org: { id: string; name: string };
		if (organisationId) {
			const chosen = known.find((o) => o.id === organisationId);
			if (!chosen) return { ok: false, reason: 'unknown_organisation' };
			org = chosen;
		} else {
			const name = organisationName!;
			const same = known.find((o) => o.name.toLowerCase() === name.toLowerCase());
			if (same) org = same;
			else {
				const [created] = await tx.query<{ id: string }>(
					'insert into public.organisations (name) values ($1) returning id',
					[name]
				);
				org = { id: created!.id, name };
			}
		}
		const orgId = org.id;
		const [row] = await tx.query<{ id: string; expires_at: Date }>(
			`insert into public.board_invites
			   (board_id, token_hash, role, organisation_id, email, created_by, expires_at)
			 values ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 day')
			 returning id, expires_at`,
			[boardId, hashToken(token), role, orgId, email ?? null, createdBy, INVITE_TTL_DAYS]
		);
		return {
			ok: true,
			token,
			id: row!.id,
			expiresAt: new Date(row!.expires_at),
			organisationName: org.name,
			newAccounts: await mayCreateAccountIn(tx, orgId, createdBy)
		};
	});
}

/**
 * An invitation speaks for the owner who made it, so it holds only while they are still an owner
 * of its board (QA sec2): an owner removed or demoted could otherwise come back, or bring in
 * accounts of their own, with links they made before. SQL over the invitation row named `row`.
 */
export function inviterIsOwner(row = 'board_invites'): string {
	return `exists (
	select 1 from public.board_members inviter
	where inviter.board_id = ${row}.board_id
	  and inviter.user_id = ${row}.created_by and inviter.role = 'owner')`;
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
		 where i.board_id = $1 and i.used_at is null and i.expires_at > now() and ${inviterIsOwner('i')}
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
export type InviteProblem = 'invalid' | 'expired' | 'used' | 'wrong_account' | 'organisation';

export interface InviteDetails {
	id: string;
	boardId: string;
	role: BoardRole;
	organisationId: string;
	organisationName: string;
	/** Set for an email invitation: the account that accepts must have this address. */
	email: string | null;
	/** Whether someone without an account may sign up with it (mayCreateAccountIn). */
	newAccounts: boolean;
}

/** Tokens are 32 random bytes in base64url; anything else is not worth a query. */
export function plausibleToken(token: string): boolean {
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
		created_by: string | null;
		used: boolean;
		expired: boolean;
		inviter_is_owner: boolean;
	}>(
		`select board_invites.id, board_invites.board_id, board_invites.role,
		        board_invites.organisation_id, o.name as organisation_name, board_invites.email,
		        board_invites.created_by, board_invites.used_at is not null as used,
		        board_invites.expires_at <= now() as expired, ${inviterIsOwner()} as inviter_is_owner
		 from public.board_invites
		 join public.organisations o on o.id = board_invites.organisation_id
		 where board_invites.token_hash = $1`,
		[hashToken(token)]
	);
	// An invitation whose maker is no longer an owner is void: nothing is left of it, as revoked.
	if (!row || (!row.used && !row.inviter_is_owner)) return { ok: false, reason: 'invalid' };
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
			email: row.email,
			newAccounts: await mayCreateAccountIn(db, row.organisation_id, row.created_by)
		}
	};
}
