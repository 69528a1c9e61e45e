import { fail, redirect } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/accounts';
import {
	createSession,
	invalidateSession,
	SESSION_COOKIE,
	sessionCookieOptions
} from '$lib/server/auth/sessions';
import { acceptInvite, acceptWithNewAccount, peekInvite } from '$lib/server/members';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/forms';

/**
 * An invitation link. Nothing about the board (not even its name) is shown before the invitation
 * is accepted: a link can be forwarded or guessed at, the board's existence is not for strangers.
 * A signed-in user accepts with a button (not on GET, so a link preview cannot use it up).
 */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { db, auth } = getRuntime();
	const peek = await peekInvite(db, params.token);
	if (!peek.ok) return { problem: peek.reason, user: null, signup: null, existingOnly: false };
	const user = locals.user ? { displayName: locals.user.displayName } : null;
	return {
		problem: null,
		user,
		// Built-in accounts only: with Supabase Auth the invitee signs in (or up) there first. An
		// invitation for another organisation than its maker's is for existing accounts only
		// (mayCreateAccountIn in invites.ts): the page says so instead of offering the form.
		signup:
			!user && auth.mode === 'embedded' && peek.invite.newAccounts
				? { email: peek.invite.email, minPassword: MIN_PASSWORD_LENGTH }
				: null,
		existingOnly: !user && auth.mode === 'embedded' && !peek.invite.newAccounts
	};
};

export type SignupError = 'name' | 'email' | 'password' | 'duplicate';

export const actions: Actions = {
	accept: async ({ params, locals, url }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const { db, sync } = getRuntime();
		const result = await acceptInvite(db, params.token, locals.user, sync.reauthorize.bind(sync));
		if (!result.ok) return fail(409, { problem: result.reason });
		await recordAudit(db, {
			boardId: result.boardId,
			actorId: locals.user.id,
			action: 'member.add',
			subject: locals.user.id
		});
		redirect(303, `/boards/${encodeURIComponent(result.boardId)}`);
	},
	signup: async (event) => {
		const { db, auth } = getRuntime();
		if (auth.mode !== 'embedded' || event.locals.user)
			return fail(400, { problem: 'invalid' as const });
		const form = await readForm(event.request);
		const displayName = String(form.get('name') ?? '');
		const email = String(form.get('email') ?? '');
		const password = String(form.get('password') ?? '');
		const result = await acceptWithNewAccount(db, event.params.token, {
			displayName,
			email,
			password
		});
		if (!result.ok) {
			if (result.reason === 'invalid' && 'errors' in result) {
				const field = result.errors.displayName
					? 'name'
					: result.errors.email
						? 'email'
						: 'password';
				return fail(400, { error: field as SignupError, name: displayName, email });
			}
			if (result.reason === 'duplicate_email') {
				return fail(400, { error: 'duplicate' as SignupError, name: displayName, email });
			}
			return fail(result.reason === 'organisation' ? 403 : 409, { problem: result.reason });
		}
		await recordAudit(db, {
			boardId: result.boardId,
			actorId: result.user.id,
			action: 'member.add',
			subject: result.user.id
		});
		const previous = event.cookies.get(SESSION_COOKIE);
		if (previous) await invalidateSession(db, previous);
		const session = await createSession(db, result.user.id);
		event.cookies.set(
			SESSION_COOKIE,
			session.token,
			sessionCookieOptions(event.url, session.expiresAt)
		);
		redirect(303, `/boards/${encodeURIComponent(result.boardId)}`);
	}
};
