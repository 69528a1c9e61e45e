/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
import { build, files, version } from '$service-worker';

/**
 * Buurtbord's service worker (issue 12; "Field mode and offline" in docs/architecture.md).
 *
 * - The app shell (the build's files and static/) is kept with the first board kept for offline
 *   use, and served from the cache.
 * - Board pages hold personal data and are rendered for one user: they are never cached from
 *   ordinary browsing. A board page asks for its own pages to be kept (message `keep-pages`, with
 *   the signed-in user's id); they are fetched with the user's cookie into a cache that holds one
 *   user's pages only (another user's are dropped first) and served only when the network fails.
 * - The board's address register (`/boards/<id>/adressen.json`) is kept and served the same way.
 * - `wipe` (sign-out, access lost) and a sign-out request empty every cache; `signed-in` (any
 *   page loaded online by a signed-in user) drops another user's kept pages.
 * Nothing else is intercepted: other requests, the sync socket and other origins go to the network.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `buurtbord-shell-${version}`;
const PAGES = 'buurtbord-pages';
/** The pages cache records whose pages it holds under this key. */
const OWNER_KEY = '/__buurtbord/pages-owner';
// The bold glyphs are the public map's only (the board map's names are regular).
const SHELL_FILES = [...build, ...files.filter((f) => !f.startsWith('/glyphs/NotoSans-Bold/'))];
const shellPaths = new Set(SHELL_FILES);
const BOARD_PAGE = /^\/boards\/[a-z0-9][a-z0-9-]{0,62}(\/deur)?(\/__data\.json)?$/;
/** The board's address register (its own endpoint, loaded by the board page): kept with its pages. */
const REGISTER = /^\/boards\/[a-z0-9][a-z0-9-]{0,62}\/adressen\.json$/;

async function fillShell(): Promise<void> {
	const cache = await caches.open(SHELL);
	await cache.addAll(SHELL_FILES);
}

// The shell is kept once a board is kept for offline use (keepPages), not at install: after
// signing out, the sign-in page installs the worker again and the device must stay empty.
sw.addEventListener('install', (event) => {
	event.waitUntil(sw.skipWaiting());
});

// A new version (a deploy): a device that kept the app for offline use gets the new shell at
// once, and its kept pages again (they name the new version's scripts), while it is online. Before,
// the old shell went and the new one came only with the next board opened online: door mode
// opened offline in between had no scripts.
sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			const keys = await caches.keys();
			const old = keys.filter((key) => key.startsWith('buurtbord-shell-') && key !== SHELL);
			if (old.length > 0) await fillShell().catch(() => undefined);
			for (const key of old) await caches.delete(key);
			if (keys.includes(PAGES)) await refreshPages().catch(() => undefined);
			await sw.clients.claim();
		})()
	);
});

/** The kept pages fetched again (new version), each only replaced by a page itself. */
async function refreshPages(): Promise<void> {
	const cache = await caches.open(PAGES);
	for (const request of await cache.keys()) {
		const url = new URL(request.url).pathname;
		if (url === OWNER_KEY) continue;
		const response = await fetch(url, { credentials: 'same-origin', redirect: 'manual' });
		if (response.status === 200) await cache.put(url, await stamped(response));
	}
}

/** Someone signed in: another user's kept pages go (their IndexedDB copies go in the page). */
async function signedIn(userId: string): Promise<void> {
	// caches.open would make an empty one, which then looked like someone's kept pages.
	if (!(await caches.has(PAGES))) return;
	const cache = await caches.open(PAGES);
	const owner = await cache.match(OWNER_KEY);
	if (owner && (await owner.text()) !== userId) await caches.delete(PAGES);
}

async function wipe(): Promise<void> {
	for (const key of await caches.keys()) {
		if (key.startsWith('buurtbord-')) await caches.delete(key);
	}
}

/** When a kept page was fetched (a header of the kept copy; ms since the epoch). */
const KEPT_AT = 'x-buurtbord-kept-at';
/**
 * A page kept this recently is not fetched again when a board is opened once more: moving between
 * a board's pages (board, door mode, analysis) would otherwise render and download its pages and
 * register again each time. A new version (activate) and a changed register fetch them anyway.
 */
const KEPT_FRESH_MS = 10 * 60_000;

async function keptRecently(cache: Cache, url: string): Promise<boolean> {
	const kept = await cache.match(url);
	const at = Number(kept?.headers.get(KEPT_AT));
	return Number.isFinite(at) && at > 0 && Date.now() - at < KEPT_FRESH_MS;
}

/** A fetched page as it is kept: the same response, stamped with when it was fetched. */
async function stamped(response: Response): Promise<Response> {
	const headers = new Headers(response.headers);
	headers.set(KEPT_AT, String(Date.now()));
	return new Response(await response.blob(), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}

async function keepPages(userId: string, paths: string[], again: boolean): Promise<void> {
	let cache = await caches.open(PAGES);
	const owner = await cache.match(OWNER_KEY);
	if (!owner || (await owner.text()) !== userId) {
		await caches.delete(PAGES);
		cache = await caches.open(PAGES);
	}
	if (!(await caches.has(SHELL))) await fillShell().catch(() => undefined);
	const urls = [
		...paths.filter((p) => BOARD_PAGE.test(p)).flatMap((p) => [p, `${p}/__data.json`]),
		...paths.filter((p) => REGISTER.test(p))
	];
	await Promise.all(
		urls.map(async (url) => {
			if (!again && (await keptRecently(cache, url))) return;
			const response = await fetch(url, { credentials: 'same-origin', redirect: 'manual' });
			// Only the page itself: never a redirect to the sign-in page or an error.
			if (response.status === 200) await cache.put(url, await stamped(response));
		})
	);
	// Stamped too: when pages were last kept (asked for), whether or not any was fetched again.
	await cache.put(OWNER_KEY, new Response(userId, { headers: { [KEPT_AT]: String(Date.now()) } }));
}

sw.addEventListener('message', (event) => {
	const data = event.data as {
		type?: string;
		userId?: unknown;
		paths?: unknown;
		again?: unknown;
	} | null;
	if (data?.type === 'keep-pages' && typeof data.userId === 'string' && Array.isArray(data.paths)) {
		event.waitUntil(
			keepPages(data.userId, data.paths.map(String), data.again === true).catch(() => undefined)
		);
	} else if (data?.type === 'wipe') {
		event.waitUntil(wipe());
	} else if (data?.type === 'signed-in' && typeof data.userId === 'string') {
		event.waitUntil(signedIn(data.userId).catch(() => undefined));
	}
});

async function fromShell(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: SHELL });
	return cached ?? fetch(request);
}

/** Network first; the kept copy only when the network fails. */
async function boardPage(request: Request, path: string): Promise<Response> {
	try {
		return await fetch(request);
	} catch (error) {
		const cache = await caches.open(PAGES);
		const kept = await cache.match(path, { ignoreSearch: true });
		if (kept) return kept;
		throw error;
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST' && url.pathname === '/logout') {
		// Signing out: the kept pages go (the page wipes IndexedDB; the response clears the rest).
		event.waitUntil(wipe());
		return;
	}
	if (request.method !== 'GET') return;
	if (shellPaths.has(url.pathname)) {
		event.respondWith(fromShell(request));
		return;
	}
	const path = url.pathname.replace(/\/$/, '');
	if (BOARD_PAGE.test(path) || REGISTER.test(path)) event.respondWith(boardPage(request, path));
});
