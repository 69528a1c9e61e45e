import { error } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_CACHE_CONTROL, publicLang } from '$lib/server/public/http';
import { readPublicBoard } from '$lib/server/public/store';
import type { PageServerLoad } from './$types';

/** The neighbourhood page: public, from the public projection only (never the board document). */
export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	const board = await readPublicBoard(getRuntime().db, params.board);
	// Not published (or unpublished a moment ago) is the same as no such board.
	if (!board) error(404, 'Not Found');
	setHeaders({ 'cache-control': PUBLIC_CACHE_CONTROL });
	return { board, lang: publicLang(url) };
};
