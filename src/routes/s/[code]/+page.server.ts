import { redirect } from '@sveltejs/kit';
import { PUBLIC_CACHE_CONTROL } from '$lib/server/public/http';
import { publicNotFound } from '$lib/server/public/pages';
import { resolveShortLink } from '$lib/server/public/short-links';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// Plain HTML like the pages it leads to (its "not found" page included): no script.
export const csr = false;

/**
 * A flyer's short link: a redirect to the street's public page while it is published (a CDN may
 * keep the redirect for a few seconds, like the page), the residents' "not found" page otherwise,
 * never a redirect to an empty page. A page route rather than an endpoint so that a browser gets
 * that page (an endpoint's 404 is JSON). A `?lang=en` or `?lang=nl` is passed on; without one the
 * street page follows the browser's language.
 */
export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	const path = await resolveShortLink(getRuntime().db, params.code);
	if (!path) publicNotFound(null);
	const chosen = url.searchParams.get('lang');
	const lang = chosen === 'en' || chosen === 'nl' ? `?lang=${chosen}` : '';
	setHeaders({ 'cache-control': PUBLIC_CACHE_CONTROL });
	redirect(302, `${path}${lang}`);
};
