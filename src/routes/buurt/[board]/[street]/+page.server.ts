import { PUBLIC_CACHE_CONTROL, langSuffix, publicLang } from '$lib/server/public/http';
import { publicNotFound, publishedBoard, toCanonical } from '$lib/server/public/pages';
import type { PageServerLoad } from './$types';

/** A street page: public, from the public projection only (never the board document). */
export const load: PageServerLoad = async ({ params, url, request, setHeaders }) => {
	const board = await publishedBoard(params.board);
	if (!board) publicNotFound(null);
	// Slugs are lower case; a flyer's street typed with capitals finds its page too.
	const typed = params.street.toLowerCase();
	const street = board.streets.find((s) => s.slug === typed);
	if (!street) publicNotFound(board);
	toCanonical(url, `/buurt/${board.id}/${street.slug}`);
	setHeaders({ 'cache-control': PUBLIC_CACHE_CONTROL });
	const lang = publicLang(url, (name) => request.headers.get(name));
	const near = board.initiatives.filter((i) => i.streetSlugs.includes(street.slug));
	return {
		board: { id: board.id, name: board.name, k: board.k },
		street,
		near,
		// Per theme heard here, the initiatives that answer it (near ones first).
		answers: Object.fromEntries(
			[...new Set(street.rounds.flatMap((r) => r.themes.map((t) => t.id)))].map((id) => {
				const all = board.initiatives.filter((i) => i.themes.some((t) => t.id === id));
				const ranked = [
					...all.filter((i) => i.streetSlugs.includes(street.slug)),
					...all.filter((i) => !i.streetSlugs.includes(street.slug))
				];
				return [id, ranked.slice(0, 5).map((i) => ({ id: i.id, title: i.title }))];
			})
		),
		lang,
		suffix: langSuffix(url, lang)
	};
};
