import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Who this browser is signed in as now (the user id, or null). The board page asks after its
 * socket was closed as "signed out" (4401): the same user still signed in (a Supabase page that
 * renewed its access token) reconnects; anyone else goes to the sign-in page.
 */
export const GET: RequestHandler = ({ locals }) =>
	json({ userId: locals.user?.id ?? null }, { headers: { 'cache-control': 'private, no-store' } });
