import {
	addressMatches,
	analyseDoors,
	currentFilter,
	filterAddresses,
	listedGesprekken,
	type AAddress,
	type AGesprek,
	type AddressSummary,
	type ThemeLink
} from '$lib/board/analysis';
import type { BoardFilterValue } from '$lib/collab/presence-filters';
import { parseFilterQuery, withinBoard } from '../filter-url';

/**
 * The "Analyse en export" page under the board page's one filter, read from the page's address
 * with the board page's own module (filter-url.ts), so that a filtered board's link opened here,
 * or the link from the board's Analyse panel, shows the same selection. Applied as the board
 * applies it (src/lib/board/analysis), so that the figures here are those of the doors and
 * gesprekken the board shows.
 */
export interface FilteredBoard<A extends AAddress, G extends AGesprek> {
	/** The filter as applied: only what the board has (a link's unknown values dropped). */
	value: BoardFilterValue;
	/** The addresses in the chosen streets (all when none is chosen): coverage is theirs. */
	addresses: A[];
	/** The gesprekken held at those addresses (rounds compared). */
	gesprekken: G[];
	/** Each door's state and themes in the chosen rounds (all rounds when none is chosen). */
	summaries: Map<string, AddressSummary>;
	/** The doors the board's map shows bright: the print map, the themes chart. */
	shown: A[];
	/** The gesprekken the board's list shows: outcomes and doors spoken per month. */
	passing: G[];
}

export function filteredBoard<A extends AAddress, G extends AGesprek>(
	params: URLSearchParams,
	addresses: readonly A[],
	gesprekken: readonly G[],
	themas: readonly ThemeLink[]
): FilteredBoard<A, G> {
	const uniq = <T>(list: T[]) => [...new Set(list)];
	const value = withinBoard(parseFilterQuery(params), {
		themas,
		streets: uniq(addresses.map((a) => a.street)),
		rounds: uniq(gesprekken.map((g) => g.round)),
		holders: uniq(gesprekken.map((g) => g.heldBy))
	});
	const filter = currentFilter(value.filter, themas);
	const byId = new Map(addresses.map((a) => [a.id, a]));
	const doors = analyseDoors(addresses, gesprekken, filter, byId);
	const inStreets = filterAddresses(addresses, filter);
	const here = new Set(inStreets.map((a) => a.id));
	return {
		value,
		addresses: inStreets,
		gesprekken: gesprekken.filter((g) => here.has(g.addressId)),
		summaries: doors.summaries,
		shown: inStreets.filter((a) =>
			addressMatches(a, doors.summaries.get(a.id)!, filter, doors.matching, value.openOnly)
		),
		passing: listedGesprekken(gesprekken, filter, byId, doors, value.openOnly)
	};
}
