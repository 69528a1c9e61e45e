/**
 * Using an invitation: by a signed-in account (acceptInvite) or by signing up (acceptWithNewAccount,
 * held to the rule of mayCreateAccountIn in invites.ts).
 */
import { isBoardRole, type BoardRole } from './access';
import {
	DUPLICATE_EMAIL_RESULT,
	insertAccount,
	isDuplicateEmailError,
	prepareAccount,
	type CreateAccountResult
} from './auth/accounts';
import { hashToken, type SessionUser } from './auth/sessions';
import type { Db, Queryable } from './db';
import {
	inviterIsOwner,
	mayCreateAccountIn,
	peekInvite,
	plausibleToken,
	type InviteProblem
} from './invites';
import type { Reauthorize } from './members';

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
	const result = await db.transaction((tx) => takeInvite(tx, tokenHash, user));
	if (result.ok && reauthorize) await reauthorize(result.boardId, user.id, result.role);
	return result;
}

/** The conditional update that uses an invitation, and the membership, in the caller's transaction. */
async function takeInvite(
	tx: Queryable,
	tokenHash: string,
	user: { id: string; email: string | null }
): Promise<AcceptResult> {
	const [taken] = await tx.query<{
		board_id: string;
		role: string;
		organisation_id: string | null;
		created_by: string | null;
	}>(
		`update public.board_invites
		 set used_at = now(), used_by = $2
		 where token_hash = $1 and used_at is null and expires_at > now()
		   and (email is null or lower(email) = lower($3)) and ${inviterIsOwner()}
		 returning board_id, role, organisation_id, created_by`,
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
	// A profile without an organisation (a Supabase user's, as first seen) joins the invitation's,
	// held to the rule for new accounts (mayCreateAccountIn). Any other keeps its own.
	if (
		taken.organisation_id &&
		(await mayCreateAccountIn(tx, taken.organisation_id, taken.created_by))
	) {
		await tx.query(
			'update public.profiles set organisation_id = $2 where id = $1 and organisation_id is null',
			[user.id, taken.organisation_id]
		);
	}
	return {
		ok: true,
		boardId: taken.board_id,
		role: member && isBoardRole(member.role) ? member.role : role
	};
}

async function whyNot(
	tx: Queryable,
	tokenHash: string,
	email: string | null
): Promise<InviteProblem> {
	const [row] = await tx.query<{
		used: boolean;
		expired: boolean;
		email: string | null;
		inviter_is_owner: boolean;
	}>(
		`select used_at is not null as used, expires_at <= now() as expired, email,
		        ${inviterIsOwner()} as inviter_is_owner
		 from public.board_invites where token_hash = $1`,
		[tokenHash]
	);
	if (!row) return 'invalid';
	if (row.used) return 'used';
	if (!row.inviter_is_owner) return 'invalid';
	if (row.expired) return 'expired';
	if (row.email && row.email.toLowerCase() !== (email ?? '').toLowerCase()) return 'wrong_account';
	return 'used';
}

export type AcceptNewAccountResult =
	| { ok: true; user: SessionUser; boardId: string; role: BoardRole }
	| { ok: false; reason: InviteProblem }
	| Exclude<CreateAccountResult, { ok: true }>;

/** Ends a transaction without keeping anything, with the answer to give. */
class Refused extends Error {
	constructor(readonly result: AcceptNewAccountResult) {
		super('invitation refused');
	}
}

/**
 * Creates an account for an invitee (embedded mode) and accepts the invitation with it, in one
 * transaction: the invitation's row is locked, the rule of mayCreateAccountIn checked, the account
 * inserted straight into the invitation's organisation (whatever the invitee types; an email
 * invitation fixes the address), the invitation used and the membership added. Nothing is kept
 * when any step fails, so nobody is left with an account that belongs to no board.
 */
export async function acceptWithNewAccount(
	db: Db,
	token: string,
	input: { displayName: string; email: string; password: string }
): Promise<AcceptNewAccountResult> {
	const peek = await peekInvite(db, token);
	if (!peek.ok) return peek;
	const { invite } = peek;
	if (!invite.newAccounts) return { ok: false, reason: 'organisation' };
	// Hashing takes a while: done before the transaction holds anything.
	const prepared = await prepareAccount({
		displayName: input.displayName,
		email: invite.email ?? input.email,
		password: input.password,
		organisationName: invite.organisationName
	});
	if (!prepared.ok) return prepared;
	const tokenHash = hashToken(token);
	try {
		return await db.transaction(async (tx): Promise<AcceptNewAccountResult> => {
			const [row] = await tx.query<{ organisation_id: string; created_by: string | null }>(
				`select organisation_id, created_by from public.board_invites
				 where token_hash = $1 and used_at is null and expires_at > now()
				   and ${inviterIsOwner()}
				 for update of board_invites`,
				[tokenHash]
			);
			if (!row) return { ok: false, reason: await whyNot(tx, tokenHash, null) };
			if (!(await mayCreateAccountIn(tx, row.organisation_id, row.created_by))) {
				return { ok: false, reason: 'organisation' };
			}
			const created = await insertAccount(tx, prepared.account, row.organisation_id);
			if (!created.ok) return created;
			const accepted = await takeInvite(tx, tokenHash, created.user);
			if (!accepted.ok) throw new Refused(accepted);
			return { ok: true, user: created.user, boardId: accepted.boardId, role: accepted.role };
		});
	} catch (err) {
		if (err instanceof Refused) return err.result;
		if (isDuplicateEmailError(err)) return DUPLICATE_EMAIL_RESULT;
		throw err;
	}
}
