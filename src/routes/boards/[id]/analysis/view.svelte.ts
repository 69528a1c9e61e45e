/**
 * What the analysis shows on the board page: the filter (theme, round, outcome, period, street,
 * held by; "open doors only"), the map mode, and everything derived from them with the pure
 * functions of src/lib/board/analysis. Map layers and the panel's lists read the same state, so a
 * filter applies to both at once.
 */
import {
	addressMatches,
	analyseDoors,
	emptyFilter,
	filterAddresses,
	filtersGesprekken,
	isFiltered,
	openDoors,
	streetCoverage,
	totalCoverage,
	type AAddress,
	type AGesprek,
	type AnalysisFilter,
	type AThema,
	type AddressSummary
} from '$lib/board/analysis';

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
	readonly themas: readonly AThema[];
}

export class AnalysisView {
	filter = $state<AnalysisFilter>(emptyFilter());
	openOnly = $state(false);
	mode = $state<MapMode>('clusters');
	heatTheme = $state('');
	readonly #source: () => AnalysisSource;

	constructor(source: () => AnalysisSource) {
		this.#source = source;
	}

	get source(): AnalysisSource {
		return this.#source();
	}

	readonly addressById = $derived(indexById(this.source.addresses));
	/**
	 * Door states over all gesprekken of the chosen rounds, and the doors where a gesprek passes
	 * the whole filter: theme, outcome, held by and period pick doors, they never make a spoken
	 * door open.
	 */
	readonly doors = $derived(
		analyseDoors(this.source.addresses, this.source.gesprekken, this.filter, this.addressById)
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
	/** Doors to walk: the same predicate as the map's bright points with "open doors only". */
	readonly openDoors = $derived(openDoors(this.source.addresses, this.summaries, this.filter));
	readonly streets = $derived(uniqueSorted(this.source.addresses.map((a) => a.street)));
	readonly holders = $derived(uniqueSorted(this.source.gesprekken.map((g) => g.heldBy)));
	readonly rounds = $derived(
		[...uniqueSorted(this.source.gesprekken.map((g) => String(g.round)))]
			.map(Number)
			.sort((a, b) => a - b)
	);
	get active(): boolean {
		return isFiltered(this.filter) || this.openOnly;
	}

	/** Whether an address passes the filter (the map dims the others); shared with the lists. */
	matches = (address: AAddress, summary: AddressSummary): boolean =>
		addressMatches(address, summary, this.filter, this.doors.matching, this.openOnly);

	reset(): void {
		this.filter = emptyFilter();
		this.openOnly = false;
	}
}
