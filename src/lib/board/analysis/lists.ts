/**
 * The board page's one filter applied to its lists (addresses, gesprekken, initiatieven beside the
 * map), with the same criteria and the same door analysis as the map's layers, so that the list
 * and the map cannot disagree. Pure: the page keeps the state (board-filters.svelte.ts).
 */
import {
	addressMatches,
	filterGesprekken,
	isOpenDoor,
	type AnalysisFilter,
	type DoorAnalysis
} from './filter';
import type { AddressSummary } from './summary';
import type { AAddress, AGesprek } from './types';

/** A theme as the lists know it: merged into another, or archived. */
export interface ThemeLink {
	id: string;
	archived?: boolean;
	mergedInto?: string | null;
}

/**
 * The themes a filter means now: a theme merged into another stands for the theme that holds its
 * links now (following merges); an archived or unknown one is dropped (it filters nothing), and
 * each theme counts once.
 */
export function currentThemeIds(ids: readonly string[], themas: readonly ThemeLink[]): string[] {
	const byId = new Map(themas.map((t) => [t.id, t]));
	const out: string[] = [];
	for (const id of ids) {
		let t = byId.get(id);
		for (let hops = 0; t?.mergedInto && hops < 20; hops++) t = byId.get(t.mergedInto);
		if (t && !t.archived && !t.mergedInto && !out.includes(t.id)) out.push(t.id);
	}
	return out;
}

/** The filter with its themes as they are now (see {@link currentThemeIds}). */
export function currentFilter(
	filter: AnalysisFilter,
	themas: readonly ThemeLink[]
): AnalysisFilter {
	if (filter.themeIds.length === 0) return filter;
	return { ...filter, themeIds: currentThemeIds(filter.themeIds, themas) };
}

/**
 * Whether the address list shows an address: the doors the map shows bright
 * ({@link addressMatches}: in a chosen street; with `openOnly` a door still to walk), and — as a
 * list of addresses "in" a round — with a round chosen only doors where a gesprek of that round
 * passes the filter (on the map a round is a scope: every door shows its state in that round).
 */
export function addressListed(
	address: AAddress,
	summary: AddressSummary,
	filter: AnalysisFilter,
	matching: ReadonlySet<string>,
	openOnly = false
): boolean {
	if (!addressMatches(address, summary, filter, matching, openOnly)) return false;
	return openOnly || filter.rounds.length === 0 || matching.has(address.id);
}

/**
 * The gesprekken the list shows: those that pass the whole filter ({@link filterGesprekken}),
 * held at a door that matches it (so a household that withdrew consent is not found by a theme,
 * as on the map), and with `openOnly` only those at doors still to walk.
 */
export function listedGesprekken<G extends AGesprek>(
	gesprekken: readonly G[],
	filter: AnalysisFilter,
	addressById: ReadonlyMap<string, AAddress>,
	doors: DoorAnalysis,
	openOnly = false
): G[] {
	return filterGesprekken(gesprekken, filter, addressById).filter((g) => {
		if (!doors.matching.has(g.addressId)) return false;
		if (!openOnly) return true;
		const summary = doors.summaries.get(g.addressId);
		return summary !== undefined && isOpenDoor(summary.state);
	});
}

/**
 * Whether an initiatief passes the filter's criteria that apply to it: one of the chosen themes,
 * and at an address in a chosen street (one placed on a point has no street). Round, outcome,
 * period, held by and "open doors only" are about gesprekken and doors: they leave initiatieven be.
 */
export function initiatiefMatches(
	initiatief: { themeIds: readonly string[] },
	street: string | null,
	filter: AnalysisFilter
): boolean {
	if (filter.themeIds.length && !initiatief.themeIds.some((t) => filter.themeIds.includes(t)))
		return false;
	if (filter.streets.length && (street === null || !filter.streets.includes(street))) return false;
	return true;
}

/** An initiatief as the filter sees it: its themes, status and place. */
export interface FilterableInitiatief {
	themeIds: readonly string[];
	status: string;
	place: { addressId: string } | { lon: number; lat: number };
}

/**
 * The initiatieven the board page shows, on the map and in the list alike: those that pass the
 * filter's criteria that apply to initiatieven ({@link initiatiefMatches}: theme, street) and the
 * list's status (`status`, '' for all). The criteria on gesprekken and doors (round, outcome,
 * period, held by, "open doors only") leave them be, on the map as in the list, which says so:
 * an initiatief is no door and has no round or outcome, and hiding every initiatief whenever
 * such a criterion is set would hide what is being done while one reads what was heard.
 */
export function listedInitiatieven<I extends FilterableInitiatief>(
	initiatieven: readonly I[],
	filter: AnalysisFilter,
	status: string,
	addressById: ReadonlyMap<string, Pick<AAddress, 'street'>>
): I[] {
	return initiatieven.filter((i) => {
		if (status && i.status !== status) return false;
		const street =
			'addressId' in i.place ? (addressById.get(i.place.addressId)?.street ?? null) : null;
		return initiatiefMatches(i, street, filter);
	});
}

/** Whether the filter has criteria that leave initiatieven be (see {@link initiatiefMatches}). */
export function filtersBeyondInitiatieven(filter: AnalysisFilter, openOnly = false): boolean {
	return (
		openOnly ||
		filter.rounds.length > 0 ||
		filter.outcomes.length > 0 ||
		filter.heldBy.length > 0 ||
		filter.from !== null ||
		filter.to !== null
	);
}
