import { PUBLIC_CACHE_CONTROL, langSuffix, publicLang } from '$lib/server/public/http';
import { publicNotFound, publishedBoard, toCanonical } from '$lib/server/public/pages';
import type { PageServerLoad } from './$types';

/** The neighbourhood page: public, from the public projection only (never the board document). */
export const load: PageServerLoad = async ({ params, url, request, setHeaders }) => {
	const board = await publishedBoard(params.board);
	// Not published (or unpublished a moment ago) is the same as no such board.
	if (!board) publicNotFound(null);
	toCanonical(url, `/buurt/${board.id}`);
	setHeaders({ 'cache-control': PUBLIC_CACHE_CONTROL });
	const lang = publicLang(url, (name) => request.headers.get(name));
	return { board, lang, suffix: langSuffix(url, lang) };
};
