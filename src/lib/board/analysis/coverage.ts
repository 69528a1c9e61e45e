import { addressMatches, emptyFilter, type AnalysisFilter } from './filter';
import type { AddressSummary } from './summary';
import type { AAddress, AGesprek, AddressState } from './types';

/** Door coverage of a street (or any group of doors). */
export interface Coverage {
	doors: number;
	spoken: number;
	noContact: number;
	declined: number;
	open: number;
}

export interface StreetCoverage extends Coverage {
	street: string;
	/** Households per theme in this street (addresses that named it). */
	themes: Map<string, number>;
}

const KEY: Record<AddressState, keyof Omit<Coverage, 'doors'>> = {
	open: 'open',
	'no-contact': 'noContact',
	declined: 'declined',
	spoken: 'spoken'
};

function empty(): Coverage {
	return { doors: 0, spoken: 0, noContact: 0, declined: 0, open: 0 };
}

/** Coverage per street, streets in alphabetical order (Dutch collation). */
export function streetCoverage(
	addresses: readonly AAddress[],
	summaries: ReadonlyMap<string, AddressSummary>
): StreetCoverage[] {
	const byStreet = new Map<string, StreetCoverage>();
	for (const a of addresses) {
		const s = summaries.get(a.id);
		if (!s) continue;
		let c = byStreet.get(a.street);
		if (!c) byStreet.set(a.street, (c = { street: a.street, ...empty(), themes: new Map() }));
		c.doors++;
		c[KEY[s.state]]++;
		for (const [t] of s.themes) c.themes.set(t, (c.themes.get(t) ?? 0) + 1);
	}
	return [...byStreet.values()].sort((x, y) => x.street.localeCompare(y.street, 'nl'));
}

/** The sum over streets. */
export function totalCoverage(list: readonly Coverage[]): Coverage {
	const t = empty();
	for (const c of list) {
		t.doors += c.doors;
		t.spoken += c.spoken;
		t.noContact += c.noContact;
		t.declined += c.declined;
		t.open += c.open;
	}
	return t;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Doors still to walk (not visited, or visited without contact) in the filter's streets, by their
 * state in its rounds (the summaries): a coverage figure, like the coverage table beside it, so
 * theme, outcome, held by and period do not narrow it (they pick doors by what was said there,
 * and a door to walk mostly has nothing said yet). The map with "open doors only" and such a
 * criterion shows the open doors that match it too ({@link addressMatches}).
 */
export function openDoors<A extends AAddress>(
	addresses: readonly A[],
	summaries: ReadonlyMap<string, AddressSummary>,
	filter: AnalysisFilter = emptyFilter()
): A[] {
	const streetsOnly = { ...emptyFilter(), streets: filter.streets };
	return addresses
		.filter((a) => {
			const summary = summaries.get(a.id);
			return summary !== undefined && addressMatches(a, summary, streetsOnly, NONE, true);
		})
		.sort(
			(x, y) =>
				x.street.localeCompare(y.street, 'nl') ||
				x.houseNumber - y.houseNumber ||
				(x.houseLetter ?? '').localeCompare(y.houseLetter ?? '')
		);
}

/** A street assigned to a professional (phase Voorbereiden). */
export interface StreetAssignment {
	street: string;
	assignee: string;
}

/** Coverage per professional: the streets assigned to them, summed; unassigned streets under ''. */
export function coverageByAssignee(
	streets: readonly StreetCoverage[],
	assignments: readonly StreetAssignment[]
): { assignee: string; streets: string[]; coverage: Coverage }[] {
	const of = new Map(assignments.map((a) => [a.street, a.assignee]));
	const groups = new Map<string, StreetCoverage[]>();
	for (const s of streets) {
		const who = of.get(s.street) ?? '';
		const list = groups.get(who);
		if (list) list.push(s);
		else groups.set(who, [s]);
	}
	return [...groups]
		.map(([assignee, list]) => ({
			assignee,
			streets: list.map((s) => s.street),
			coverage: totalCoverage(list)
		}))
		.sort((x, y) =>
			x.assignee === '' ? 1 : y.assignee === '' ? -1 : x.assignee.localeCompare(y.assignee, 'nl')
		);
}

/** Gesprekken held per person, by outcome. */
export function gesprekkenByHolder(
	gesprekken: readonly AGesprek[]
): { heldBy: string; total: number; spoken: number }[] {
	const map = new Map<string, { heldBy: string; total: number; spoken: number }>();
	for (const g of gesprekken) {
		let e = map.get(g.heldBy);
		if (!e) map.set(g.heldBy, (e = { heldBy: g.heldBy, total: 0, spoken: 0 }));
		e.total++;
		if (g.outcome === 'gesproken') e.spoken++;
	}
	return [...map.values()].sort((x, y) => y.total - x.total);
}
