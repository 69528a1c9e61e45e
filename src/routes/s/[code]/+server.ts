import { error } from '@sveltejs/kit';
import { PUBLIC_CACHE_CONTROL } from '$lib/server/public/http';
import { resolveShortLink } from '$lib/server/public/short-links';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * A flyer's short link: a redirect to the street's public page while it is published (a CDN may
 * keep the redirect for a few seconds, like the page), 404 otherwise, never a redirect to an empty
 * page. `?lang=en` is passed on.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const path = await resolveShortLink(getRuntime().db, params.code);
	if (!path) error(404, 'Not Found');
	const lang = url.searchParams.get('lang') === 'en' ? '?lang=en' : '';
	return new Response(null, {
		status: 302,
		headers: { location: `${path}${lang}`, 'cache-control': PUBLIC_CACHE_CONTROL }
	});
};
