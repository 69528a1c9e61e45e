import {
	currentFilter,
	emptyFilter,
	isFiltered,
	type AnalysisFilter,
	type ThemeLink
} from '$lib/board/analysis';
import {
	fromPresenceFilters,
	toPresenceFilters,
	type BoardFilterValue,
	type ListSort,
	type ListTab
} from '$lib/collab/presence-filters';
import type { PresenceFilters } from '$lib/collab/presence-state';

export type { ListSort, ListTab };

/**
 * The board page's one filter, for the map's analysis layers and panel ("Analyse") and for the
 * lists beside the map (ListView) alike: a criterion chosen in either place applies to both, and
 * both show it. Besides the analysis's criteria (theme, round, outcome, period, street, held by;
 * AND between criteria, OR within one; src/lib/board/analysis) and "open doors only", what only the
 * lists use: the tab, the initiatieven's status and the sort order. Owned by the page, shared by a
 * presenter with their followers (PresenceLayer, presence-filters.ts), and kept in the page's
 * address, so that a reload keeps it and a link shares it (filter-url.ts, filter-address.svelte.ts).
 */
export class BoardFilters {
	/** The criteria as chosen; `current` is what they mean now (themes merged or archived since). */
	filter = $state<AnalysisFilter>(emptyFilter());
	openOnly = $state(false);
	tab = $state<ListTab>('addresses');
	initiatiefStatus = $state('');
	sort = $state<ListSort>('street');
	readonly #current: () => AnalysisFilter;

	/** `themas`: the board's themes, to follow a chosen theme through merges. */
	constructor(themas: () => readonly ThemeLink[] = () => []) {
		const current = $derived(currentFilter(this.filter, themas()));
		this.#current = () => current;
	}

	/** The filter as the map and the lists apply it: a merged theme as the one it went into. */
	get current(): AnalysisFilter {
		return this.#current();
	}

	/** Whether a criterion of the Analyse panel is set (its "Filters wissen"). */
	get mapActive(): boolean {
		return isFiltered(this.filter) || this.openOnly;
	}

	/** Whether anything is filtered, the initiatieven's status included (the list's "Filters wissen"). */
	get active(): boolean {
		return this.mapActive || this.initiatiefStatus !== '';
	}

	get value(): BoardFilterValue {
		const { openOnly, tab, initiatiefStatus, sort } = this;
		return { filter: $state.snapshot(this.filter), openOnly, tab, initiatiefStatus, sort };
	}

	/** What a presenter sends to their followers. */
	get shared(): PresenceFilters {
		return toPresenceFilters(this.value);
	}

	/** A presenter's filter (in the current format or an older page's). */
	follow(shared: PresenceFilters): void {
		this.set(fromPresenceFilters(shared));
	}

	/** The whole filter at once (a presenter's, or the one in the page's address). */
	set(value: BoardFilterValue): void {
		this.filter = value.filter;
		this.openOnly = value.openOnly;
		this.tab = value.tab;
		this.initiatiefStatus = value.initiatiefStatus;
		this.sort = value.sort;
	}

	/** "Filters wissen": every criterion, for the map and the lists; the tab and order stay. */
	reset(): void {
		this.filter = emptyFilter();
		this.openOnly = false;
		this.initiatiefStatus = '';
	}
}
