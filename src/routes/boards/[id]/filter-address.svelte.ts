import { untrack } from 'svelte';
import { afterNavigate, replaceState } from '$app/navigation';
import { resolve } from '$app/paths';
import { page } from '$app/state';
import type { ResolvedPathname } from '$app/types';
import type { BoardFilters } from './board-filters.svelte';
import { parseFilterQuery, withFilterQuery, withinBoard, type BoardChoices } from './filter-url';

/**
 * Keeps the board page's one filter in the page's address (filter-url.ts): read when the page
 * opens, so that a reload or a colleague's link shows the same; written, in place of the current
 * history entry (no entry per click, no load, focus and scroll stay), whenever the filter changes,
 * by the user or by following a presenter: the address always says what is shown. Values the board
 * does not have are dropped once the board is loaded, and the address says so too. To be called
 * while the page's component is set up.
 */
export function keepFilterInAddress(
	filters: BoardFilters,
	/** The board's id (for the page's path). */
	boardId: () => string,
	/** What the board offers, once its document and address register are loaded (null before). */
	choices: () => BoardChoices | null
): void {
	filters.set(parseFilterQuery(untrack(() => page.url.searchParams)));
	// The router takes replaceState only once it has started: after the first navigation.
	let started = $state(false);
	let checked = $state(false);
	afterNavigate((navigation) => {
		// Another address of this page while it stays open (a link with a filter): its filter.
		if (navigation.type !== 'enter' && navigation.to && started) {
			filters.set(parseFilterQuery(navigation.to.url.searchParams));
			checked = false;
		}
		started = true;
	});

	$effect(() => {
		if (checked) return;
		const board = choices();
		if (!board) return;
		checked = true;
		untrack(() => {
			const value = filters.value;
			const within = withinBoard(value, board);
			if (JSON.stringify(within) !== JSON.stringify(value)) filters.set(within);
		});
	});

	$effect(() => {
		const value = filters.value;
		if (!started) return;
		const search = withFilterQuery(location.search, value);
		if (search === location.search) return;
		const here =
			`${resolve('/boards/[id]', { id: boardId() })}${search}${location.hash}` as ResolvedPathname;
		untrack(() => replaceState(here, page.state));
	});
}
