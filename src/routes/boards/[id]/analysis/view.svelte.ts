/**
 * What the analysis shows on the board page: the filter (theme, round, outcome, period, street,
 * held by; "open doors only"), the map mode, and everything derived from them with the pure
 * functions of src/lib/board/analysis. Map layers and the panel's lists read the same state, so a
 * filter applies to both at once.
 */
import {
	addressMatches,
	emptyFilter,
	filterAddresses,
	filterGesprekken,
	isFiltered,
	openDoors,
	streetCoverage,
	summariseAddresses,
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
	/** Gesprekken that pass the filter. */
	readonly gesprekken = $derived(
		filterGesprekken(this.source.gesprekken, this.filter, this.addressById)
	);
	/** Address states and themes over the filtered gesprekken. */
	readonly summaries: Map<string, AddressSummary> = $derived(
		summariseAddresses(this.source.addresses, this.gesprekken)
	);
	/** Addresses in the chosen streets (all when none is chosen). */
	readonly addresses = $derived(filterAddresses(this.source.addresses, this.filter));
	readonly coverage = $derived(streetCoverage(this.addresses, this.summaries));
	readonly total = $derived(totalCoverage(this.coverage));
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
		addressMatches(address, summary, this.filter, this.openOnly);

	reset(): void {
		this.filter = emptyFilter();
		this.openOnly = false;
	}
}
