import { currentThemeIds, type ThemeLink } from '$lib/board/analysis';
import { INITIATIEF_STATUSES, OUTCOMES, isoDateSchema } from '$lib/board/layout';
import { type BoardFilterValue, type ListSort, type ListTab } from '$lib/collab/presence-filters';
import { FILTER_VALUES_MAX, filterNameSchema } from '$lib/collab/presence-state';

/**
 * The board page's one filter (BoardFilters) in the page's address, so that a reload keeps it and
 * a link shares it: `?thema=eenzaamheid&straat=Spoorstraat&ronde=2`. Readable Dutch names, values
 * as ids where there are ids (themes, outcomes, statuses), several values of a criterion as the
 * parameter repeated. What is not a valid value is dropped without a word, as is what is beyond
 * presence's limit of values per criterion; what the board does not have (a theme, street, round
 * or person not on it) is dropped once the board is loaded ({@link withinBoard}).
 */

/** The parameters, in the order the address shows them. */
export const FILTER_PARAMS = [
	'thema',
	'ronde',
	'uitkomst',
	'van',
	'tot',
	'straat',
	'door',
	'open',
	'lijst',
	'status',
	'volgorde'
] as const;

/**
 * Older names still read: `street` was the "Analyse en export" page's one street (its print
 * view) before that page read the board's filter. Read when the new name is absent, and written
 * as the new name.
 */
const OLD_PARAMS = { straat: 'street' } as const;

const TABS: Record<ListTab, string> = {
	addresses: 'adressen',
	gesprekken: 'gesprekken',
	initiatieven: 'initiatieven'
};
const SORTS: Record<ListSort, string> = { street: 'straat', date: 'datum' };

/** The rounds a link may name on any board (before and after the works); others if the board has them. */
const USUAL_ROUNDS: readonly number[] = [1, 2];

function keyOf<K extends string>(names: Record<K, string>, value: string | null): K | null {
	const found = Object.entries(names).find(([, name]) => name === value);
	return found ? (found[0] as K) : null;
}

/** The parameter's valid values, each once, at most FILTER_VALUES_MAX. */
function values<T>(params: URLSearchParams, name: string, read: (raw: string) => T | null): T[] {
	const out: T[] = [];
	for (const raw of params.getAll(name)) {
		const value = read(raw);
		if (value !== null && !out.includes(value)) out.push(value);
		if (out.length === FILTER_VALUES_MAX) break;
	}
	return out;
}

const name = (raw: string): string | null => (filterNameSchema.safeParse(raw).success ? raw : null);
const round = (raw: string): number | null => (/^[1-9]\d?$/.test(raw) ? Number(raw) : null);
const outcome = (raw: string) => OUTCOMES.find((o) => o === raw) ?? null;
const day = (raw: string | null): string | null =>
	raw !== null && isoDateSchema.safeParse(raw).success ? raw : null;

/** The filter a page address asks for: its valid values (the rest of the filter as none). */
export function parseFilterQuery(params: URLSearchParams): BoardFilterValue {
	const tab = keyOf(TABS, params.get('lijst')) ?? 'addresses';
	const status = params.get('status');
	return {
		filter: {
			themeIds: values(params, 'thema', name),
			rounds: values(params, 'ronde', round),
			outcomes: values(params, 'uitkomst', outcome),
			from: day(params.get('van')),
			to: day(params.get('tot')),
			streets: values(params, params.has('straat') ? 'straat' : OLD_PARAMS.straat, name),
			heldBy: values(params, 'door', name)
		},
		openOnly: params.get('open') === '1',
		tab,
		initiatiefStatus: INITIATIEF_STATUSES.find((s) => s === status) ?? '',
		sort: keyOf(SORTS, params.get('volgorde')) ?? 'street'
	};
}

/** The value's parameters, as they are. */
function write(value: BoardFilterValue): URLSearchParams {
	const { filter } = value;
	const params = new URLSearchParams();
	const add = (key: string, list: readonly (string | number)[]) => {
		for (const v of list) params.append(key, String(v));
	};
	add('thema', filter.themeIds);
	add('ronde', filter.rounds);
	add('uitkomst', filter.outcomes);
	if (filter.from) params.set('van', filter.from);
	if (filter.to) params.set('tot', filter.to);
	add('straat', filter.streets);
	add('door', filter.heldBy);
	if (value.openOnly) params.set('open', '1');
	if (value.tab !== 'addresses') params.set('lijst', TABS[value.tab]);
	if (value.initiatiefStatus) params.set('status', value.initiatiefStatus);
	if (value.sort !== 'street') params.set('volgorde', SORTS[value.sort]);
	return params;
}

/**
 * The filter as the address's query: only what is chosen (an empty filter is no query at all), and
 * only what {@link parseFilterQuery} reads back (a date typed with a six-digit year is left out,
 * as are values beyond the limit), so that the address always says what a reload applies.
 */
export function filterQuery(value: BoardFilterValue): URLSearchParams {
	return write(parseFilterQuery(write(value)));
}

/**
 * A page's address with the filter in its query: the filter's parameters (and their older names)
 * replaced, any other parameter kept as it was. Returns the search part ('' or '?…'). The board
 * page and the "Analyse en export" page both, so that a link from one to the other carries it.
 */
export function withFilterQuery(search: string, value: BoardFilterValue): string {
	const params = new URLSearchParams(search);
	for (const key of [...FILTER_PARAMS, ...Object.values(OLD_PARAMS)]) params.delete(key);
	for (const [key, v] of filterQuery(value)) params.append(key, v);
	const query = params.toString();
	return query ? `?${query}` : '';
}

/** What the board has to choose from, per criterion (the selects' options). */
export interface BoardChoices {
	/** All of the board's themes (merged and archived ones say so). */
	themas: readonly ThemeLink[];
	streets: readonly string[];
	/** The rounds of the board's gesprekken. */
	rounds: readonly number[];
	/** Who held the board's gesprekken. */
	holders: readonly string[];
}

/**
 * The filter with only what the board has: its themes as they are now (a merged theme as the one it
 * went into; archived and unknown ones dropped), its streets and the people who held its
 * gesprekken, and round 1, 2 or another round the board's gesprekken have.
 */
export function withinBoard(value: BoardFilterValue, board: BoardChoices): BoardFilterValue {
	const { filter } = value;
	const has =
		<T>(list: readonly T[]) =>
		(v: T) =>
			list.includes(v);
	return {
		...value,
		filter: {
			...filter,
			themeIds: currentThemeIds(filter.themeIds, board.themas),
			rounds: filter.rounds.filter((r) => USUAL_ROUNDS.includes(r) || board.rounds.includes(r)),
			streets: filter.streets.filter(has(board.streets)),
			heldBy: filter.heldBy.filter(has(board.holders))
		}
	};
}
