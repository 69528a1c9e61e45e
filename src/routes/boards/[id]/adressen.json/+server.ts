import { createHash } from 'node:crypto';
import { requireBoardRoleApi } from '$lib/server/guard';
import { registerJson } from '$lib/server/register';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The board's address register for its members (viewer and up), compactly (src/lib/geo/register.ts):
 * the board page and door mode load it next to the map's style instead of inside the page data, so
 * the page's HTML stays small at 50,000 addresses. Compressed by the server (server/http.ts, gzip
 * or brotli as the client accepts). Revalidated on every use (`no-cache`) with an ETag over its
 * content: an unchanged register costs a 304. Private to the signed-in member (`private`, and the
 * service worker keeps it for offline use with the board's pages). Only the register's own fields:
 * nothing of what was heard at an address.
 */
export const GET: RequestHandler = async (event) => {
	const { boardId } = await requireBoardRoleApi(event, 'viewer');
	const body = await registerJson(getRuntime().db, boardId);
	const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
	const headers = {
		'content-type': 'application/json; charset=utf-8',
		'cache-control': 'private, no-cache',
		vary: 'cookie',
		etag
	};
	const match = event.request.headers.get('if-none-match');
	if (match && match.split(/\s*,\s*/).includes(etag))
		return new Response(null, { status: 304, headers });
	return new Response(body, { headers });
};
