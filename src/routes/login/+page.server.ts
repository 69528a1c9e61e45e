import { error, fail, redirect } from '@sveltejs/kit';
import { authenticate } from '$lib/server/auth/accounts';
import { safeNext } from '$lib/server/auth/next';
import {
	createSession,
	invalidateSession,
	SESSION_COOKIE,
	sessionCookieOptions
} from '$lib/server/auth/sessions';
import { hasAnyLocalAccount } from '$lib/server/auth/setup';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { auth, db } = getRuntime();
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	// First start: nobody can sign in yet, the first owner is created on /setup.
	if (auth.mode === 'embedded' && !(await hasAnyLocalAccount(db))) redirect(303, '/setup');
	return { mode: auth.mode, next };
};

export type LoginError = 'missing' | 'invalid' | 'throttled';

export const actions: Actions = {
	default: async (event) => {
		const { db, auth } = getRuntime();
		// In Supabase mode Supabase Auth signs people in (SupabaseLogin.svelte); built-in passwords,
		// if any are left in the database, open nothing and are not checked.
		if (auth.mode !== 'embedded') error(404, 'Not Found');
		const form = await readForm(event.request);
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const next = safeNext(String(form.get('next') ?? '') || event.url.searchParams.get('next'));
		if (!email || !password) {
			return fail(400, { email, error: 'missing' as LoginError, minutes: 0 });
		}
		const result = await authenticate(db, email, password, event.getClientAddress());
		if (!result.ok) {
			return result.reason === 'throttled'
				? fail(429, { email, error: 'throttled' as LoginError, minutes: result.retryAfterMinutes })
				: fail(400, { email, error: 'invalid' as LoginError, minutes: 0 });
		}
		// A session this browser had before (another account) ends here.
		const previous = event.cookies.get(SESSION_COOKIE);
		if (previous) await invalidateSession(db, previous);
		const session = await createSession(db, result.user.id);
		event.cookies.set(
			SESSION_COOKIE,
			session.token,
			sessionCookieOptions(event.url, session.expiresAt)
		);
		redirect(303, next);
	}
};
