import { STATUS_CODES } from 'node:http';
import { sequence } from '@sveltejs/kit/hooks';
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/sessions';
import { describeError } from '$lib/server/errors';
import { reservedAction } from '$lib/server/forms';
import { publicLocaleRequest, publicPageCache } from '$lib/server/public/http';
import { getRuntime } from '$lib/server/runtime';

/**
 * Picks the UI language (cookie, then the browser's preference, then Dutch) for each request.
 * Public resident pages take it from the URL (`?lang=en`), see public/http.ts.
 */
const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(publicLocaleRequest(event) ?? event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** Who is asking: the signed-in user from the session cookie (or Supabase access token), or null. */
const authenticate: Handle = async ({ event, resolve }) => {
	const resolved = await getRuntime().auth.resolve({
		cookie: event.request.headers.get('cookie'),
		authorization: event.request.headers.get('authorization')
	});
	event.locals.user = resolved?.user ?? null;
	// Sliding expiry: the cookie follows the session's renewed end.
	if (resolved?.session) {
		event.cookies.set(
			SESSION_COOKIE,
			resolved.session.token,
			sessionCookieOptions(event.url, resolved.session.expiresAt)
		);
	}
	const response = await resolve(event);
	// Pages of signed-in users hold personal data: never kept by a shared cache or the back button of a shared computer.
	// Exception: the address register (no personal data; boards/[id]/adressen.json) may stay in
	// the browser's own cache, revalidated on every use by its ETag.
	if (event.locals.user && response.headers.get('cache-control') !== 'private, no-cache')
		response.headers.set('cache-control', 'private, no-store');
	return response;
};

/** A form POST to `?/default`, SvelteKit's reserved action name: a bad request (see forms.ts). */
const badAction: Handle = ({ event, resolve }) =>
	event.request.method === 'POST' && reservedAction(event.url)
		? new Response('Unknown form action', { status: 400 })
		: resolve(event);

/**
 * A request that changes something (any method but GET, HEAD and OPTIONS) from a page of another
 * origin is refused, whatever its content type. SvelteKit checks the origin of form content types
 * only, so a page of a sibling site (another port or subdomain of the same site, whose requests
 * carry the SameSite=Lax session cookie) could still sign a member out with a bodiless POST to
 * /logout, or post to the JSON endpoints. Clients that are not browsers send no Origin.
 */
const foreignOrigin: Handle = ({ event, resolve }) => {
	const { method, headers } = event.request;
	if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return resolve(event);
	const origin = headers.get('origin');
	if (origin !== null && origin !== event.url.origin) {
		return new Response('Cross-site request refused', { status: 403 });
	}
	return resolve(event);
};

export const handle: Handle = sequence(
	foreignOrigin,
	badAction,
	publicPageCache,
	authenticate,
	i18n
);

/**
 * Unexpected errors: the visitor gets a reference, the log gets where it happened and the stack
 * frames, never the message. Messages of database or validation errors can quote the data they
 * choked on (a name, a note), and conversations must not end up in log files.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = crypto.randomUUID().slice(0, 8);
	// Below 500: SvelteKit refusing a request (an unknown action, a body that is not a form): the
	// sender's mistake, not the server's, so not in the error log.
	if (status < 500) return { message: STATUS_CODES[status] ?? 'Bad Request', id };
	console.error(
		`[buurtbord] error ${id} on ${event.route.id ?? 'an unknown route'}: ${describeError(error)}`
	);
	return { message: 'Internal Error', id };
};
