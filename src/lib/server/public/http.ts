import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getRuntime } from '../runtime';
import { readPublicBoard } from './store';

/**
 * HTTP side of the public resident pages (/buurt/<board> and /buurt/<board>/<street>):
 * - the language is the visitor's explicit choice when there is one (`?lang=nl|en` in the URL,
 *   else the language cookie the professionals' app sets), else the browser's preference
 *   (`Accept-Language`, English when it ranks English above Dutch), else Dutch. A URL with `?lang=`
 *   is one page; one without it names its response `Vary: Accept-Language, Cookie` (also its 304),
 *   so that no cache hands one visitor's language to another. Links within the pages carry
 *   `?lang=en` (and `?lang=nl` where Dutch was chosen in the URL), so a choice holds while browsing;
 * - `Cache-Control: public, max-age=0, s-maxage=15, must-revalidate` with an ETag of the
 *   projection's version: a CDN may serve the page for 15 s, a browser asks again every time (a
 *   matching If-None-Match gets 304, cheap), so an unpublished page is gone at once in a browser
 *   that showed it a moment ago (behind a CDN within 15 s);
 * - the rendered page is kept per URL and projection version, so a busy street page costs no
 *   rendering; the server entry answers from that store before SvelteKit (`servePublicPage`),
 *   compressed once per version. Visitors who carry credentials (a signed-in professional previewing) are served
 *   fresh and privately (hooks.server.ts marks their pages `private, no-store`).
 */

export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=15, must-revalidate';

const PATH = /^\/buurt\/([a-z0-9][a-z0-9-]{0,62})(?:\/([a-z0-9][a-z0-9-]{0,80}))?\/?$/;

export type PublicLang = 'nl' | 'en';

/** What the language depends on in a request: its URL, cookie and Accept-Language. */
type HeaderLookup = (name: string) => string | null | undefined;

const LANG_COOKIE = 'PARAGLIDE_LOCALE';

/** The headers a public response's language depends on when its URL does not name one. */
export const LANGUAGE_VARY = 'Accept-Language, Cookie';

function asLang(value: string | null | undefined): PublicLang | null {
	return value === 'en' || value === 'nl' ? value : null;
}

/** The language the URL names (`?lang=nl` or `?lang=en`), or null. */
function urlLang(url: URL): PublicLang | null {
	return asLang(url.searchParams.get('lang'));
}

function cookieLang(cookie: string | null | undefined): PublicLang | null {
	for (const part of cookie?.split(';') ?? []) {
		const [name, value] = part.trim().split('=');
		if (name === LANG_COOKIE) return asLang(value?.trim());
	}
	return null;
}

/**
 * The browser's preference between our two languages: English when `Accept-Language` ranks some
 * English above any Dutch (by q, then by order), Dutch otherwise (also for `*` or nothing).
 */
export function preferredLang(accept: string | null | undefined): PublicLang {
	let best: { lang: PublicLang; q: number } | null = null;
	for (const part of (accept ?? '').split(',')) {
		const [range, ...params] = part.trim().toLowerCase().split(';');
		const lang = asLang(range?.trim().split('-')[0]);
		if (!lang) continue;
		const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		const q = qParam ? Number(qParam.slice(2)) : 1;
		if (!Number.isFinite(q) || q <= 0) continue;
		if (!best || q > best.q) best = { lang, q };
	}
	return best?.lang ?? 'nl';
}

/** A public request's language: the URL's, else the cookie's, else the browser's preference. */
export function publicLang(url: URL, header: HeaderLookup): PublicLang {
	return urlLang(url) ?? cookieLang(header('cookie')) ?? preferredLang(header('accept-language'));
}

/** Whether the response to this URL depends on the request's language headers. */
export function languageVaries(url: URL): boolean {
	return urlLang(url) === null;
}

/**
 * What links within a public page append to keep its language: `?lang=en` on an English page,
 * `?lang=nl` on a Dutch page whose URL chose Dutch (a browser that prefers English would get
 * English again from a link without it), nothing otherwise.
 */
export function langSuffix(url: URL, lang: PublicLang): string {
	return lang === 'en' || urlLang(url) === 'nl' ? `?lang=${lang}` : '';
}

export function isPublicPath(url: URL): boolean {
	return PATH.test(url.pathname);
}

/**
 * Residents' part of the site: the public pages, their map data, and the flyers' short links,
 * also where they answer "not found" (a mistyped street, a switched-off board, an unknown code).
 */
export function isResidentsPath(pathname: string): boolean {
	return pathname.startsWith('/buurt/') || pathname.startsWith('/s/');
}

/**
 * For a residents' page (also its "not found" page), the request as paraglide should see it: the
 * page's language (publicLang) as the locale cookie, Accept-Language and other cookies left out. Null
 * for any other page.
 */
export function publicLocaleRequest(event: RequestEvent): Request | null {
	if (!isResidentsPath(event.url.pathname)) return null;
	const headers = new Headers(event.request.headers);
	const lang = publicLang(event.url, (name) => headers.get(name));
	headers.delete('accept-language');
	headers.set('cookie', `${LANG_COOKIE}=${lang}`);
	return new Request(event.request.url, { method: event.request.method, headers });
}

/** Whether a request carries anything but the language cookie (a session, an access token). */
function carriesCredentials(cookie: string | null | undefined, authorization: boolean): boolean {
	if (authorization) return true;
	if (!cookie) return false;
	return cookie
		.split(';')
		.map((c) => c.trim())
		.some((c) => c !== '' && !c.startsWith(`${LANG_COOKIE}=`));
}

interface CachedPage {
	version: string;
	body: string;
	headers: [string, string][];
	/** The body as bytes, and compressed, made on first need. */
	bytes?: Buffer;
	gzip?: Buffer;
	br?: Buffer;
}

/**
 * Rendered pages by URL and language. On globalThis: the SvelteKit bundle renders and stores
 * them, the server entry (servePublicPage) answers from them; separate module graphs.
 */
const PAGES = Symbol.for('buurtbord.publicPages');
const pages: Map<string, CachedPage> = ((
	globalThis as typeof globalThis & { [PAGES]?: Map<string, CachedPage> }
)[PAGES] ??= new Map());
const MAX_PAGES = 2000;

type Lookup =
	| { kind: 'pass' }
	| { kind: 'not-modified'; etag: string; vary: string | null }
	| {
			kind: 'page';
			etag: string;
			vary: string | null;
			key: string;
			version: string;
			page: CachedPage | undefined;
	  };

/** What a public page request gets: 'pass' for anything the cache does not answer. */
async function lookup(
	url: URL,
	method: string,
	header: (name: string) => string | null | undefined
): Promise<Lookup> {
	const match = PATH.exec(url.pathname);
	if (!match || (method !== 'GET' && method !== 'HEAD')) return { kind: 'pass' };
	if (carriesCredentials(header('cookie'), !!header('authorization'))) return { kind: 'pass' };
	const board = await readPublicBoard(getRuntime().db, match[1]!);
	// Not published (or no such board): the page answers 404, never from a cache.
	if (!board) return { kind: 'pass' };
	const lang = publicLang(url, header);
	const etag = `"${board.version}-${lang}"`;
	const vary = languageVaries(url) ? LANGUAGE_VARY : null;
	if (header('if-none-match') === etag) return { kind: 'not-modified', etag, vary };
	// The page's links depend on its language and on whether the URL chose it (langSuffix).
	const key = `${url.pathname.replace(/\/$/, '')}?${lang}${langSuffix(url, lang)}`;
	const page = pages.get(key);
	return { kind: 'page', etag, vary, key, version: board.version, page };
}

/** A residents' response whose language came from the request's headers says so (Vary). */
function varyByLanguage(url: URL, response: Response): Response {
	if (!isResidentsPath(url.pathname) || !languageVaries(url)) return response;
	if (response.headers.get('vary')?.includes('Accept-Language')) return response;
	try {
		response.headers.append('vary', LANGUAGE_VARY);
		return response;
	} catch {
		// Immutable headers (a response SvelteKit got from elsewhere): the same response, copied.
		const copy = new Response(response.body, response);
		copy.headers.append('vary', LANGUAGE_VARY);
		return copy;
	}
}

export const publicPageCache: Handle = async ({ event, resolve }) =>
	varyByLanguage(event.url, await cachedPublicPage(event, resolve));

async function cachedPublicPage(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve']
): Promise<Response> {
	// SvelteKit gives a page's data request (`…/__data.json`) the page's own URL: kept apart, it
	// is rendered for every request and never stored in place of the page.
	if (event.isDataRequest) return resolve(event);
	const found = await lookup(event.url, event.request.method, (name) =>
		event.request.headers.get(name)
	);
	if (found.kind === 'pass') return resolve(event);
	if (found.kind === 'not-modified') {
		return new Response(null, {
			status: 304,
			headers: { etag: found.etag, 'cache-control': PUBLIC_CACHE_CONTROL }
		});
	}
	let page = found.page;
	if (page?.version !== found.version) {
		const response = await resolve(event);
		if (response.status !== 200) return response;
		if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
		const headers = [...response.headers].filter(([name]) => name !== 'set-cookie');
		page = { version: found.version, body: await response.text(), headers };
		if (pages.size >= MAX_PAGES) pages.clear();
		pages.set(found.key, page);
	}
	const headers = new Headers(page.headers.filter(([name]) => name !== 'vary'));
	headers.set('etag', found.etag);
	headers.set('cache-control', PUBLIC_CACHE_CONTROL);
	return new Response(event.request.method === 'HEAD' ? null : page.body, {
		status: 200,
		headers
	});
}

/** The encoding to send: brotli or gzip when the client accepts it (q=0 refuses). */
function encodingFor(accept: string | undefined): 'br' | 'gzip' | null {
	if (!accept) return null;
	const accepted = new Set(
		accept
			.split(',')
			.map((part) => part.trim().toLowerCase())
			.filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
			.map((part) => part.split(';')[0]!.trim())
	);
	if (accepted.has('br')) return 'br';
	if (accepted.has('gzip')) return 'gzip';
	return null;
}

/**
 * The same cache answered before SvelteKit, in the server entry: a page already rendered for the
 * projection's current version (or a 304) is written straight to the socket, compressed once per
 * version. Anything else (first render, 404, a signed-in preview) returns false and goes on to
 * the app, whose handle above renders and stores the page.
 */
export async function servePublicPage(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
	if (!req.url?.startsWith('/buurt/')) return false;
	const found = await lookup(
		new URL(req.url, 'http://public.invalid'),
		req.method ?? 'GET',
		(n) => {
			const value = req.headers[n];
			return Array.isArray(value) ? value.join(', ') : value;
		}
	);
	if (found.kind === 'pass') return false;
	if (found.kind === 'not-modified') {
		res.writeHead(304, {
			etag: found.etag,
			'cache-control': PUBLIC_CACHE_CONTROL,
			...(found.vary ? { vary: found.vary } : {})
		});
		res.end();
		return true;
	}
	const page = found.page;
	if (page?.version !== found.version) return false;
	const encoding = encodingFor(req.headers['accept-encoding']);
	page.bytes ??= Buffer.from(page.body);
	let body = page.bytes;
	if (encoding === 'gzip') body = page.gzip ??= gzipSync(page.bytes);
	if (encoding === 'br') {
		body = page.br ??= brotliCompressSync(page.bytes, {
			params: { [constants.BROTLI_PARAM_QUALITY]: 6 }
		});
	}
	for (const [name, value] of page.headers) {
		if (!['content-length', 'content-encoding', 'etag', 'cache-control', 'vary'].includes(name)) {
			res.setHeader(name, value);
		}
	}
	res.setHeader('etag', found.etag);
	res.setHeader('cache-control', PUBLIC_CACHE_CONTROL);
	res.setHeader('vary', found.vary ? `${found.vary}, Accept-Encoding` : 'Accept-Encoding');
	if (encoding) res.setHeader('content-encoding', encoding);
	res.setHeader('content-length', body.length);
	res.writeHead(200);
	res.end(req.method === 'HEAD' ? undefined : body);
	return true;
}
