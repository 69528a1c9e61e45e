import { getRuntime } from '$lib/server/runtime';
import type { LayoutServerLoad } from './$types';

/** The signed-in professional as the header shows them: name and organisation. */
export const load: LayoutServerLoad = async ({ locals }) => {
	const user = locals.user;
	const authMode = getRuntime().auth.mode;
	if (!user) return { account: null, authMode };
	const [organisation] = user.organisationId
		? await getRuntime().db.query<{ name: string }>(
				'select name from public.organisations where id = $1',
				[user.organisationId]
			)
		: [];
	return {
		account: {
			// Lets the board page tell, after its socket was closed as signed out, whether the same
			// person is still signed in (src/lib/collab/connection.svelte.ts).
			id: user.id,
			displayName: user.displayName,
			organisationName: organisation?.name ?? null
		},
		authMode
	};
};
