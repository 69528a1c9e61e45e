import { listBoardsFor } from '$lib/server/boards';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** Signed in: the boards you are a member of. Not signed in: none (the page offers sign-in). */
export const load: PageServerLoad = async ({ locals }) => {
	return {
		boards: locals.user ? await listBoardsFor(getRuntime().db, locals.user.id) : [],
		signedIn: locals.user !== null
	};
};
