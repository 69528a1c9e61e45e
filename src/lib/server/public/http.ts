import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getRuntime } from '../runtime';
import { readPublicBoard } from './store';

/**
 * HTTP side of the public resident pages (/buurt/<board> and /buurt/<board>/<street>):
 * - the language comes from the URL (`?lang=en`, Dutch otherwise), never from a cookie or the
 *   browser, so that one URL is one page and a CDN may keep it;
 * - `Cache-Control: public, max-age=0, s-maxage=15, must-revalidate` with an ETag of the
 *   projection's version: a CDN may serve the page for 15 s, a browser asks again every time (a
 *   matching If-None-Match gets 304, cheap), so an unpublished page is gone at once in a browser
 *   that showed it a moment ago (behind a CDN within 15 s);
 * - the rendered page is kept per URL and projection version, so a busy street page costs no
 *   rendering. Visitors who carry credentials (a signed-in professional previewing) are served
 *   fresh and privately (hooks.server.ts marks their pages `private, no-store`).
 */

export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=15, must-revalidate';

const PATH = /^\/buurt\/([a-z0-9][a-z0-9-]{0,62})(?:\/([a-z0-9][a-z0-9-]{0,80}))?\/?$/;

export type PublicLang = 'nl' | 'en';

export function publicLang(url: URL): PublicLang {
	return url.searchParams.get('lang') === 'en' ? 'en' : 'nl';
}

export function isPublicPath(url: URL): boolean {
	return PATH.test(url.pathname);
}

/**
 * For a public page, the request as paraglide should see it: the URL's language as the locale
 * cookie, the browser's preference and other cookies left out. Null for any other page.
 */
export function publicLocaleRequest(event: RequestEvent): Request | null {
	if (!isPublicPath(event.url)) return null;
	const headers = new Headers(event.request.headers);
	headers.delete('accept-language');
	headers.set('cookie', `PARAGLIDE_LOCALE=${publicLang(event.url)}`);
	return new Request(event.request.url, { method: event.request.method, headers });
}

/** Whether a request carries anything but the language cookie (a session, an access token). */
function carriesCredentials(request: Request): boolean {
	if (request.headers.has('authorization')) return true;
	const cookie = request.headers.get('cookie');
	if (!cookie) return false;
	return cookie
		.split(';')
		.map((c) => c.trim())
		.some((c) => c !== '' && !c.startsWith('PARAGLIDE_LOCALE='));
}

interface CachedPage {
	version: string;
	body: string;
	headers: [string, string][];
}

const pages = new Map<string, CachedPage>();
const MAX_PAGES = 2000;

export const publicPageCache: Handle = async ({ event, resolve }) => {
	const match = PATH.exec(event.url.pathname);
	const method = event.request.method;
	if (!match || (method !== 'GET' && method !== 'HEAD') || carriesCredentials(event.request)) {
		return resolve(event);
	}
	const board = await readPublicBoard(getRuntime().db, match[1]!);
	// Not published (or no such board): the page answers 404, never from a cache.
	if (!board) return resolve(event);
	const lang = publicLang(event.url);
	const etag = `"${board.version}-${lang}"`;
	if (event.request.headers.get('if-none-match') === etag) {
		return new Response(null, {
			status: 304,
			headers: { etag, 'cache-control': PUBLIC_CACHE_CONTROL }
		});
	}
	const key = `${event.url.pathname.replace(/\/$/, '')}?${lang}`;
	let page = pages.get(key);
	if (page?.version !== board.version) {
		const response = await resolve(event);
		if (response.status !== 200) return response;
		const headers = [...response.headers].filter(([name]) => name !== 'set-cookie');
		page = { version: board.version, body: await response.text(), headers };
		if (pages.size >= MAX_PAGES) pages.clear();
		pages.set(key, page);
	}
	const headers = new Headers(page.headers);
	headers.set('etag', etag);
	headers.set('cache-control', PUBLIC_CACHE_CONTROL);
	return new Response(method === 'HEAD' ? null : page.body, { status: 200, headers });
};
