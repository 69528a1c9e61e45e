import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { BOARD_ROLES } from '$lib/server/access';
import { getBoard } from '$lib/server/boards';
import { recordAudit } from '$lib/server/audit';
import { requireBoardRole } from '$lib/server/guard';
import { sendMail } from '$lib/server/mail';
import {
	changeRole,
	createInvite,
	listMembers,
	listOpenInvites,
	memberOrganisations,
	removeMember,
	revokeInvite,
	type InviteInput
} from '$lib/server/members';
import { getRuntime } from '$lib/server/runtime';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { readForm } from '$lib/server/forms';

/** Managing members and invitations is for owners only. */
export const load: PageServerLoad = async (event) => {
	const { boardId, user } = await requireBoardRole(event, 'owner');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	const [members, invites, organisations] = await Promise.all([
		listMembers(db, boardId),
		listOpenInvites(db, boardId),
		memberOrganisations(db, boardId)
	]);
	return {
		board: { id: board.id, name: board.name },
		me: user.id,
		myOrganisation: user.organisationId,
		members,
		invites: invites.map((i) => ({
			...i,
			createdAt: i.createdAt.toISOString(),
			expiresAt: i.expiresAt.toISOString()
		})),
		organisations
	};
};

export type MembersError =
	'invalid' | 'last_owner' | 'not_member' | 'invite_gone' | 'email' | 'organisation';

const memberForm = z.object({ userId: z.uuid() });
const roleForm = memberForm.extend({ role: z.enum(BOARD_ROLES) });

function reauthorize() {
	const { sync } = getRuntime();
	return sync.reauthorize.bind(sync);
}

async function formObject(event: RequestEvent): Promise<Record<string, string>> {
	const form = await readForm(event.request);
	const out: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string') out[key] = value;
	return out;
}

/** The shared fields of both invitation forms: role and the organisation of a new account. */
function inviteFields(form: Record<string, string>): InviteInput {
	const org = form.organisation ?? '';
	return {
		role: (form.role ?? '') as InviteInput['role'],
		...(org === 'new'
			? { organisationName: (form.organisationName ?? '').trim() || undefined }
			: { organisationId: org || undefined })
	};
}

async function invite(event: RequestEvent, byEmail: boolean) {
	const { boardId, user } = await requireBoardRole(event, 'owner');
	const { db, config } = getRuntime();
	const form = await formObject(event);
	const email = (form.email ?? '').trim();
	if (byEmail && !z.email().safeParse(email).success) {
		return fail(400, { action: 'invite' as const, error: 'email' as MembersError, email });
	}
	const created = await createInvite(db, boardId, user.id, {
		...inviteFields(form),
		...(byEmail ? { email } : {})
	});
	if (!created.ok) {
		const wrongOrg =
			created.reason === 'unknown_organisation' ||
			(created.reason === 'invalid' && created.field.startsWith('organisation'));
		return fail(400, {
			action: 'invite' as const,
			error: (wrongOrg
				? 'organisation'
				: created.reason === 'invalid' && created.field === 'email'
					? 'email'
					: 'invalid') as MembersError,
			email
		});
	}
	const link = new URL(`/uitnodiging/${created.token}`, event.url.origin).href;
	// Another organisation than the owner's own: the invitation makes no new account (invites.ts).
	const existingOnly = created.newAccounts ? null : created.organisationName;
	if (!byEmail) return { action: 'invite' as const, link, existingOnly };
	const board = await getBoard(db, boardId);
	const boardName = board?.name ?? boardId;
	await sendMail(
		{
			to: email,
			subject: m.members_mail_subject({ board: boardName }),
			text: m.members_mail_body({ board: boardName, link })
		},
		{ dataDir: config.dataDir }
	);
	return { action: 'invite' as const, sent: true, existingOnly };
}

export const actions: Actions = {
	role: async (event) => {
		const { boardId, user } = await requireBoardRole(event, 'owner');
		const parsed = roleForm.safeParse(await formObject(event));
		if (!parsed.success)
			return fail(400, { action: 'member' as const, error: 'invalid' as MembersError });
		const result = await changeRole(
			getRuntime().db,
			boardId,
			parsed.data.userId,
			parsed.data.role,
			reauthorize()
		);
		if (!result.ok)
			return fail(409, { action: 'member' as const, error: result.reason as MembersError });
		await recordAudit(getRuntime().db, {
			boardId,
			actorId: user.id,
			action: 'member.role',
			subject: parsed.data.userId
		});
		// An owner who stepped down may no longer manage members: back to the board.
		if (parsed.data.userId === user.id && parsed.data.role !== 'owner') {
			redirect(303, `/boards/${encodeURIComponent(boardId)}`);
		}
		return { action: 'member' as const, done: 'role' as const };
	},
	remove: async (event) => {
		const { boardId, user } = await requireBoardRole(event, 'owner');
		const parsed = memberForm.safeParse(await formObject(event));
		if (!parsed.success)
			return fail(400, { action: 'member' as const, error: 'invalid' as MembersError });
		const result = await removeMember(getRuntime().db, boardId, parsed.data.userId, reauthorize());
		if (!result.ok)
			return fail(409, { action: 'member' as const, error: result.reason as MembersError });
		await recordAudit(getRuntime().db, {
			boardId,
			actorId: user.id,
			action: 'member.remove',
			subject: parsed.data.userId
		});
		// An owner who left the board has nothing more to see here.
		if (parsed.data.userId === user.id) redirect(303, '/');
		return { action: 'member' as const, done: 'remove' as const };
	},
	revoke: async (event) => {
		const { boardId } = await requireBoardRole(event, 'owner');
		const form = await formObject(event);
		const revoked = await revokeInvite(getRuntime().db, boardId, form.inviteId ?? '');
		if (!revoked)
			return fail(404, { action: 'revoke' as const, error: 'invite_gone' as MembersError });
		return { action: 'revoke' as const, done: 'revoke' as const };
	},
	link: (event) => invite(event, false),
	email: (event) => invite(event, true)
};
