import type { Outcome } from '../layout';
import { AddressSummaries, type AddressSummary } from './summary';
import { withdrawnHouseholds, type AAddress, type AGesprek, type AddressState } from './types';

/** What the analysis views show; an empty list means "all". Dates are yyyy-mm-dd, inclusive. */
export interface AnalysisFilter {
	themeIds: string[];
	rounds: number[];
	outcomes: Outcome[];
	from: string | null;
	to: string | null;
	streets: string[];
	heldBy: string[];
}

export function emptyFilter(): AnalysisFilter {
	return { themeIds: [], rounds: [], outcomes: [], from: null, to: null, streets: [], heldBy: [] };
}

export function isFiltered(f: AnalysisFilter): boolean {
	return (
		f.themeIds.length > 0 ||
		f.rounds.length > 0 ||
		f.outcomes.length > 0 ||
		f.from !== null ||
		f.to !== null ||
		f.streets.length > 0 ||
		f.heldBy.length > 0
	);
}

/**
 * The gesprekken the filter lets through. Theme, street and the other criteria combine with AND;
 * several values of one criterion with OR.
 */
export function filterGesprekken<G extends AGesprek>(
	gesprekken: readonly G[],
	filter: AnalysisFilter,
	addressById: ReadonlyMap<string, AAddress>
): G[] {
	const themes = new Set(filter.themeIds);
	const rounds = new Set(filter.rounds);
	const outcomes = new Set(filter.outcomes);
	const streets = new Set(filter.streets);
	const heldBy = new Set(filter.heldBy);
	return gesprekken.filter((g) => {
		if (rounds.size && !rounds.has(g.round)) return false;
		if (outcomes.size && !outcomes.has(g.outcome)) return false;
		if (heldBy.size && !heldBy.has(g.heldBy)) return false;
		if (filter.from && g.date < filter.from) return false;
		if (filter.to && g.date > filter.to) return false;
		if (themes.size && !g.themeIds.some((t) => themes.has(t))) return false;
		if (streets.size) {
			const street = addressById.get(g.addressId)?.street;
			if (!street || !streets.has(street)) return false;
		}
		return true;
	});
}

/** The addresses the filter keeps: all, or those in the chosen streets. */
export function filterAddresses<A extends AAddress>(
	addresses: readonly A[],
	filter: AnalysisFilter
): A[] {
	if (filter.streets.length === 0) return [...addresses];
	const streets = new Set(filter.streets);
	return addresses.filter((a) => streets.has(a.street));
}

/** A door still to walk: not visited, or visited without contact (niet thuis, later). */
export function isOpenDoor(state: AddressState): boolean {
	return state === 'open' || state === 'no-contact';
}

/**
 * Whether the filter picks gesprekken by what was said or done: theme, outcome, held by, period.
 * Those criteria decide which doors match; they never change a door's state.
 */
export function filtersGesprekken(filter: AnalysisFilter): boolean {
	return (
		filter.themeIds.length > 0 ||
		filter.outcomes.length > 0 ||
		filter.heldBy.length > 0 ||
		filter.from !== null ||
		filter.to !== null
	);
}

/**
 * The filter's rounds alone. A round is one walk along every door (round 2 goes through every
 * street again after the works), so a door's state is counted per chosen round: in round 2 a door
 * spoken only in round 1 is still to walk. All rounds when none is chosen.
 */
export function roundScope(filter: AnalysisFilter): AnalysisFilter {
	return { ...emptyFilter(), rounds: [...filter.rounds] };
}

/** Door states and which doors match a filter. */
export interface DoorAnalysis {
	/**
	 * Each address's state and themes over all its gesprekken of the chosen rounds (all rounds when
	 * none is chosen): theme, outcome, held by and period never turn a spoken door into an open one.
	 */
	summaries: Map<string, AddressSummary>;
	/** Addresses with at least one gesprek that passes the whole filter. */
	matching: Set<string>;
}

export function analyseDoors(
	addresses: readonly AAddress[],
	gesprekken: readonly AGesprek[],
	filter: AnalysisFilter,
	addressById: ReadonlyMap<string, AAddress>,
	/** A view's summaries of last time: unchanged addresses keep their summary objects. */
	summaries: AddressSummaries = new AddressSummaries()
): DoorAnalysis {
	const inRounds = filterGesprekken(gesprekken, roundScope(filter), addressById);
	// What a household that withdrew its consent said is not used: not its themes, and not to
	// match a theme filter.
	const withdrawn = withdrawnHouseholds(gesprekken);
	const matching = new Set(filterGesprekken(inRounds, filter, addressById).map((g) => g.addressId));
	if (filter.themeIds.length > 0) for (const id of withdrawn) matching.delete(id);
	return { summaries: summaries.summarise(addresses, inRounds, withdrawn), matching };
}

/**
 * Whether an address passes the filter: every criterion together (AND). In a chosen street; with
 * `openOnly` a door still to walk (by its state in the chosen rounds, see {@link analyseDoors});
 * and, when the filter is on gesprekken (theme, outcome, held by, period), an address in
 * `matching`, where such a gesprek was held. So "open doors only" with a theme keeps the open
 * doors where that theme was heard (it used to keep every open door, the theme ignored). The one
 * predicate for the map (bright or dimmed) and the lists, so they cannot disagree.
 */
export function addressMatches(
	address: AAddress,
	summary: AddressSummary,
	filter: AnalysisFilter,
	matching: ReadonlySet<string>,
	openOnly = false
): boolean {
	if (filter.streets.length && !filter.streets.includes(address.street)) return false;
	if (openOnly && !isOpenDoor(summary.state)) return false;
	return !filtersGesprekken(filter) || matching.has(address.id);
}
