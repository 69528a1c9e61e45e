import { error, fail, redirect } from '@sveltejs/kit';
import { createAccount, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '$lib/server/auth/accounts';
import { createSession, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/sessions';
import {
	hasAnyLocalAccount,
	isFirstLocalAccount,
	makeOwnerOfEveryBoard
} from '$lib/server/auth/setup';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/forms';

/** Only on the first start of the embedded mode; afterwards it does not exist (404). */
async function requireFirstStart(): Promise<void> {
	const { auth, db } = getRuntime();
	if (auth.mode !== 'embedded' || (await hasAnyLocalAccount(db))) error(404, 'Not found');
}

export const load: PageServerLoad = async () => {
	await requireFirstStart();
	return { minPassword: MIN_PASSWORD_LENGTH, maxPassword: MAX_PASSWORD_LENGTH };
};

export type SetupField = 'email' | 'password' | 'displayName' | 'organisationName';

export const actions: Actions = {
	default: async (event) => {
		await requireFirstStart();
		const { db } = getRuntime();
		const form = await readForm(event.request);
		const values = {
			email: String(form.get('email') ?? ''),
			displayName: String(form.get('displayName') ?? ''),
			organisationName: String(form.get('organisationName') ?? '')
		};
		const created = await createAccount(db, {
			...values,
			password: String(form.get('password') ?? '')
		});
		if (!created.ok) {
			// The library's messages are English: the page words each field's problem itself.
			const fields: SetupField[] =
				created.reason === 'invalid' ? (Object.keys(created.errors) as SetupField[]) : ['email'];
			return fail(400, { values, fields, duplicate: created.reason === 'duplicate_email' });
		}
		const user = created.user;
		if (!(await isFirstLocalAccount(db, user.id))) {
			// Someone else's setup won the race: this account must not exist without an owner's say.
			await db.query('delete from public.profiles where id = $1', [user.id]);
			error(404, 'Not found');
		}
		await makeOwnerOfEveryBoard(db, user.id);
		const session = await createSession(db, user.id);
		event.cookies.set(
			SESSION_COOKIE,
			session.token,
			sessionCookieOptions(event.url, session.expiresAt)
		);
		redirect(303, '/');
	}
};
