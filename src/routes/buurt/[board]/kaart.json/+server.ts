import { error, json } from '@sveltejs/kit';
import { publicMapData } from '$lib/public-map/features';
import { getRuntime } from '$lib/server/runtime';
import {
	LANGUAGE_VARY,
	PUBLIC_CACHE_CONTROL,
	langSuffix,
	languageVaries,
	publicLang
} from '$lib/server/public/http';
import { readPublicBoard } from '$lib/server/public/store';
import type { RequestHandler } from './$types';

/**
 * The interactive map's data for a published board (see src/lib/public-map): streets at their
 * middle and public initiatives at their published place, from the public projection only. Cached
 * like the pages (a CDN for 15 s, a browser revalidates with the projection's ETag), in the page's
 * language (the same rules: `?lang=`, cookie, Accept-Language; Vary when the URL names none).
 */
export const GET: RequestHandler = async ({ params, url, request }) => {
	const board = await readPublicBoard(getRuntime().db, params.board);
	if (!board) error(404, 'Not Found');
	const lang = publicLang(url, (name) => request.headers.get(name));
	const suffix = langSuffix(url, lang);
	const etag = `"${board.version}-map-${lang}"`;
	const headers: Record<string, string> = { etag, 'cache-control': PUBLIC_CACHE_CONTROL };
	// Without ?lang= the links' language comes from the request (see publicLang).
	if (languageVaries(url)) headers.vary = LANGUAGE_VARY;
	if (request.headers.get('if-none-match') === etag)
		return new Response(null, { status: 304, headers });
	return json(publicMapData(board, lang, suffix), { headers });
};
