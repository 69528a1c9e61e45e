import { invalidateSession, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/sessions';
import { emitSessionEnded } from '$lib/server/auth/session-events';
import { isSupabaseResolver, supabaseSignOut } from '$lib/server/auth/supabase';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Signing out: a POST only (a link or an image elsewhere cannot sign anyone out), ending the
 * session in the database so a copied cookie stops working too.
 */
export const POST: RequestHandler = async ({ cookies, request, url }) => {
	const { auth } = getRuntime();
	if (isSupabaseResolver(auth)) {
		// Supabase mode: end the Supabase session and drop its cookie (and chunks). Its sockets
		// close now, not at the access token's exp (built-in sessions: invalidateSession does it).
		const resolved = await auth.resolve({ cookie: request.headers.get('cookie') });
		if (resolved?.sessionId) emitSessionEnded({ sessionId: resolved.sessionId });
		const names = await supabaseSignOut(auth.config, {
			cookie: request.headers.get('cookie')
		});
		for (const name of names)
			cookies.delete(name, { path: '/', secure: url.protocol === 'https:' });
	}
	const token = cookies.get(SESSION_COOKIE);
	if (token) await invalidateSession(getRuntime().db, token);
	// The same attributes as when it was set (Secure only over https, or http browsers ignore it).
	const { path, httpOnly, sameSite, secure } = sessionCookieOptions(url, new Date(0));
	cookies.delete(SESSION_COOKIE, { path, httpOnly, sameSite, secure });
	// The board copies kept on this device for offline use go too (IndexedDB, Cache Storage).
	return new Response(null, {
		status: 303,
		headers: { location: '/login', 'clear-site-data': '"cache", "storage"' }
	});
};
