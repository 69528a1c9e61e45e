import { env } from '$env/dynamic/public';
import { createBrowserClient } from '@supabase/ssr';

/**
 * Keeps the Supabase session of this tab fresh (Supabase mode only): the browser client renews the
 * access token with the refresh token before it expires and stores it in the session cookie.
 * Returns a function that stops the renewal.
 */
export function keepSessionFresh(): () => void {
	const supabase = createBrowserClient(
		env.PUBLIC_SUPABASE_URL ?? '',
		env.PUBLIC_SUPABASE_ANON_KEY ?? ''
	);
	// Reading the session starts the client (and its renewal timer) from the cookie.
	void supabase.auth.getSession();
	void supabase.auth.startAutoRefresh();
	return () => void supabase.auth.stopAutoRefresh();
}
