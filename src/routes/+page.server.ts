import { redirect } from '@sveltejs/kit';
import { hasAnyLocalAccount } from '$lib/server/auth/setup';
import { listBoardsFor } from '$lib/server/boards';
import { retentionNotices } from '$lib/server/retention';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** Signed in: the boards you are a member of. Not signed in: none (the page offers sign-in). */
export const load: PageServerLoad = async ({ locals }) => {
	const { auth, db } = getRuntime();
	// First start of the embedded mode: create the first owner account.
	if (!locals.user && auth.mode === 'embedded' && !(await hasAnyLocalAccount(db))) {
		redirect(303, '/setup');
	}
	return {
		boards: locals.user ? await listBoardsFor(db, locals.user.id) : [],
		// Owners are warned from 30 days before a board's private content is purged.
		retention: locals.user ? await retentionNotices(db, locals.user.id, new Date()) : [],
		signedIn: locals.user !== null
	};
};
