/**
 * What the analysis shows on the board page: the map mode, and everything derived with the pure
 * functions of src/lib/board/analysis from the page's one filter (BoardFilters: theme, round,
 * outcome, period, street, held by; "open doors only"), which the lists beside the map apply too.
 * Map layers, the panel and the lists read the same state, so a filter applies to all at once.
 */
import {
	addressMatches,
	AddressSummaries,
	analyseDoors,
	filterAddresses,
	filtersGesprekken,
	openDoors,
	streetCoverage,
	totalCoverage,
	type AAddress,
	type AGesprek,
	type AnalysisFilter,
	type AThema,
	type AddressSummary,
	type ThemeLink
} from '$lib/board/analysis';
import type { BoardFilters } from '../board-filters.svelte';

function indexById<T extends { id: string }>(list: readonly T[]): ReadonlyMap<string, T> {
	return new Map(list.map((a) => [a.id, a]));
}

function uniqueSorted(list: readonly string[]): string[] {
	return [...new Set(list)].sort((a, b) => a.localeCompare(b, 'nl'));
}

export type MapMode = 'points' | 'clusters' | 'heatmap';

export interface AnalysisSource {
	readonly addresses: readonly AAddress[];
	readonly gesprekken: readonly AGesprek[];
	/** All of the board's themes (the legend's colours); archived and merged ones say so. */
	readonly themas: readonly (AThema & ThemeLink)[];
}

export class AnalysisView {
	mode = $state<MapMode>('clusters');
	heatTheme = $state('');
	readonly #source: () => AnalysisSource;
	/** The page's one filter (map and lists). */
	readonly filters: BoardFilters;

	constructor(source: () => AnalysisSource, filters: BoardFilters) {
		this.#source = source;
		this.filters = filters;
	}

	get source(): AnalysisSource {
		return this.#source();
	}

	/** The filter as it applies now (themes followed through merges). */
	get filter(): AnalysisFilter {
		return this.filters.current;
	}

	get openOnly(): boolean {
		return this.filters.openOnly;
	}

	readonly addressById = $derived(indexById(this.source.addresses));
	/**
	 * Door states over all gesprekken of the chosen rounds, and the doors where a gesprek passes
	 * the whole filter: theme, outcome, held by and period pick doors, they never make a spoken
	 * door open.
	 */
	readonly #summaries = new AddressSummaries();
	readonly doors = $derived(
		analyseDoors(
			this.source.addresses,
			this.source.gesprekken,
			this.filter,
			this.addressById,
			this.#summaries
		)
	);
	readonly summaries: Map<string, AddressSummary> = $derived(this.doors.summaries);
	/** Addresses in the chosen streets (all when none is chosen). */
	readonly addresses = $derived(filterAddresses(this.source.addresses, this.filter));
	readonly coverage = $derived(streetCoverage(this.addresses, this.summaries));
	readonly total = $derived(totalCoverage(this.coverage));
	/** Doors in the chosen streets where a gesprek passes the filter (theme, outcome, …). */
	readonly matching = $derived(
		filtersGesprekken(this.filter)
			? this.addresses.filter((a) => this.doors.matching.has(a.id)).length
			: null
	);
	/** Doors to walk in the chosen streets and rounds (a coverage figure, see openDoors). */
	readonly openDoors = $derived(openDoors(this.source.addresses, this.summaries, this.filter));
	/** The themes a filter offers: not archived, not merged (as the lists). */
	readonly themeChoices = $derived(this.source.themas.filter((t) => !t.archived && !t.mergedInto));
	readonly streets = $derived(uniqueSorted(this.source.addresses.map((a) => a.street)));
	readonly holders = $derived(uniqueSorted(this.source.gesprekken.map((g) => g.heldBy)));
	readonly rounds = $derived(
		[...uniqueSorted(this.source.gesprekken.map((g) => String(g.round)))]
			.map(Number)
			.sort((a, b) => a - b)
	);

	/** Whether an address passes the filter (the map dims the others); shared with the lists. */
	matches = (address: AAddress, summary: AddressSummary): boolean =>
		addressMatches(address, summary, this.filter, this.doors.matching, this.openOnly);
}
