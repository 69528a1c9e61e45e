import { redirect } from '@sveltejs/kit';
import { invalidateSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Signing out: a POST only (a link or an image elsewhere cannot sign anyone out), ending the
 * session in the database so a copied cookie stops working too.
 */
export const POST: RequestHandler = async ({ cookies }) => {
	const token = cookies.get(SESSION_COOKIE);
	if (token) await invalidateSession(getRuntime().db, token);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/login');
};
