import { describe, expect, it } from 'vitest';
import {
	addressListed,
	addressMatches,
	analyseDoors,
	currentFilter,
	currentThemeIds,
	emptyFilter,
	filtersBeyondInitiatieven,
	initiatiefMatches,
	listedGesprekken,
	listedInitiatieven,
	type AAddress,
	type AGesprek,
	type AnalysisFilter
} from '../../../src/lib/board/analysis';
import {
	SEVERAL,
	criterionOptions,
	picked,
	selectValue
} from '../../../src/routes/boards/[id]/criterion';

/** The board page's one filter applied to its lists (src/lib/board/analysis/lists.ts). */

const address = (id: string, street: string, n: number): AAddress => ({
	id,
	street,
	houseNumber: n,
	houseLetter: null,
	addition: null,
	postcode: '6521CA',
	lon: 5.87,
	lat: 51.83
});
let seq = 0;
const gesprek = (addressId: string, over: Partial<AGesprek> = {}): AGesprek => ({
	id: `g${++seq}`,
	addressId,
	date: '2025-03-01',
	round: 1,
	heldBy: 'Anouk',
	outcome: 'gesproken',
	themeIds: [],
	talents: [],
	wishes: [],
	worries: [],
	...over
});

const A = [
	address('a1', 'Sweelinckstraat', 1),
	address('a2', 'Sweelinckstraat', 2),
	address('a3', 'Sweelinckstraat', 3),
	address('b1', 'Valeriusstraat', 1),
	address('b2', 'Valeriusstraat', 2)
];
const G = [
	gesprek('a1', { themeIds: ['eenzaamheid'] }),
	gesprek('a1', { round: 2, date: '2026-04-01', themeIds: ['groen'] }),
	gesprek('a2', { outcome: 'niet-thuis' }),
	gesprek('b1', { themeIds: ['groen', 'eenzaamheid'], heldBy: 'Joost' }),
	gesprek('b2', { themeIds: ['eenzaamheid'], consent: { withdrawn: true } })
];
const byId = new Map(A.map((a) => [a.id, a]));
const filter = (over: Partial<AnalysisFilter>): AnalysisFilter => ({ ...emptyFilter(), ...over });

function listed(f: AnalysisFilter, openOnly = false) {
	const doors = analyseDoors(A, G, f, byId);
	return {
		addresses: A.filter((a) =>
			addressListed(a, doors.summaries.get(a.id)!, f, doors.matching, openOnly)
		).map((a) => a.id),
		gesprekken: listedGesprekken(G, f, byId, doors, openOnly).map((g) => g.addressId),
		bright: A.filter((a) =>
			addressMatches(a, doors.summaries.get(a.id)!, f, doors.matching, openOnly)
		).map((a) => a.id)
	};
}

describe('currentThemeIds', () => {
	const themas = [
		{ id: 'old', mergedInto: 'mid' },
		{ id: 'mid', mergedInto: 'new' },
		{ id: 'new' },
		{ id: 'gone', archived: true },
		{ id: 'loop', mergedInto: 'loop' }
	];
	it('follows merges, drops archived, unknown and endless ones, and counts each once', () => {
		expect(currentThemeIds(['old'], themas)).toEqual(['new']);
		expect(currentThemeIds(['old', 'new', 'mid'], themas)).toEqual(['new']);
		expect(currentThemeIds(['gone', 'nope', 'loop'], themas)).toEqual([]);
		expect(currentThemeIds([], themas)).toEqual([]);
	});
	it('leaves a filter without themes as it is', () => {
		const f = filter({ streets: ['Valeriusstraat'] });
		expect(currentFilter(f, themas)).toBe(f);
		expect(currentFilter(filter({ themeIds: ['old'] }), themas).themeIds).toEqual(['new']);
	});
});

describe('the lists apply the map’s filter', () => {
	it('without a filter: every address and gesprek', () => {
		expect(listed(emptyFilter())).toEqual({
			addresses: ['a1', 'a2', 'a3', 'b1', 'b2'],
			gesprekken: ['a1', 'a1', 'a2', 'b1', 'b2'],
			bright: ['a1', 'a2', 'a3', 'b1', 'b2']
		});
	});

	it('a theme: the doors the map lights up, without a household that withdrew consent', () => {
		const result = listed(filter({ themeIds: ['eenzaamheid'] }));
		expect(result.addresses).toEqual(['a1', 'b1']);
		expect(result.addresses).toEqual(result.bright);
		expect(result.gesprekken).toEqual(['a1', 'b1']);
	});

	it('several themes: OR within the criterion; a street: AND between criteria', () => {
		expect(listed(filter({ themeIds: ['eenzaamheid', 'groen'] })).gesprekken).toEqual([
			'a1',
			'a1',
			'b1'
		]);
		const result = listed(filter({ themeIds: ['groen'], streets: ['Valeriusstraat'] }));
		expect(result.addresses).toEqual(['b1']);
		expect(result.gesprekken).toEqual(['b1']);
	});

	it('a street alone: all of its doors, as on the map', () => {
		const result = listed(filter({ streets: ['Sweelinckstraat'] }));
		expect(result.addresses).toEqual(['a1', 'a2', 'a3']);
		expect(result.bright).toEqual(['a1', 'a2', 'a3']);
		expect(result.gesprekken).toEqual(['a1', 'a1', 'a2']);
	});

	it('a round: the list holds the doors with a gesprek in it; the map shows every door’s state', () => {
		const result = listed(filter({ rounds: [2] }));
		expect(result.addresses).toEqual(['a1']);
		expect(result.gesprekken).toEqual(['a1']);
		expect(result.bright).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
	});

	it('outcome and held by pick gesprekken and their doors', () => {
		expect(listed(filter({ outcomes: ['niet-thuis'] })).addresses).toEqual(['a2']);
		expect(listed(filter({ heldBy: ['Joost'] })).gesprekken).toEqual(['b1']);
		expect(listed(filter({ from: '2026-01-01' })).gesprekken).toEqual(['a1']);
	});

	it('open doors only: the doors to walk (as on the map) and the gesprekken held there', () => {
		const result = listed(filter({ streets: ['Sweelinckstraat'] }), true);
		expect(result.addresses).toEqual(['a2', 'a3']);
		expect(result.addresses).toEqual(result.bright);
		expect(result.gesprekken).toEqual(['a2']);
		// In round 2 a door spoken only in round 1 is still to walk.
		expect(listed(filter({ rounds: [2] }), true).addresses).toEqual(['a2', 'a3', 'b1', 'b2']);
	});

	it('open doors only with another criterion: the doors that pass both, on the map as in the list', () => {
		// Nobody home at a2 (Anouk); a3 never visited: only a2 is open and had a "niet thuis".
		const notHome = listed(filter({ outcomes: ['niet-thuis'] }), true);
		expect(notHome).toEqual({ addresses: ['a2'], gesprekken: ['a2'], bright: ['a2'] });
		// Eenzaamheid was named at spoken doors only: no open door matches it (was: a2 and a3).
		expect(listed(filter({ themeIds: ['eenzaamheid'] }), true)).toEqual({
			addresses: [],
			gesprekken: [],
			bright: []
		});
		expect(
			listed(filter({ heldBy: ['Anouk'], streets: ['Sweelinckstraat'] }), true).bright
		).toEqual(['a2']);
		expect(listed(filter({ heldBy: ['Joost'] }), true).addresses).toEqual([]);
	});
});

describe('initiatieven', () => {
	const i = { themeIds: ['groen'] };
	it('match on theme and street; a point has no street', () => {
		expect(initiatiefMatches(i, null, emptyFilter())).toBe(true);
		expect(initiatiefMatches(i, 'Valeriusstraat', filter({ themeIds: ['eenzaamheid'] }))).toBe(
			false
		);
		expect(initiatiefMatches(i, 'Valeriusstraat', filter({ themeIds: ['x', 'groen'] }))).toBe(true);
		expect(initiatiefMatches(i, null, filter({ streets: ['Valeriusstraat'] }))).toBe(false);
		expect(initiatiefMatches(i, 'Valeriusstraat', filter({ streets: ['Valeriusstraat'] }))).toBe(
			true
		);
	});
	it('leave criteria on gesprekken and doors be, and say when those are set', () => {
		const f = filter({ rounds: [2], outcomes: ['later'], heldBy: ['Joost'], from: '2025-01-01' });
		expect(initiatiefMatches(i, null, f)).toBe(true);
		expect(filtersBeyondInitiatieven(f)).toBe(true);
		expect(filtersBeyondInitiatieven(emptyFilter(), true)).toBe(true);
		expect(filtersBeyondInitiatieven(filter({ themeIds: ['groen'], streets: ['x'] }))).toBe(false);
	});
});

describe('initiatieven on the map and in the list', () => {
	const at = (addressId: string) => ({ addressId });
	const list = [
		{ id: 'tuin', themeIds: ['groen'], status: 'loopt', place: at('b1') },
		{ id: 'koffie', themeIds: ['eenzaamheid'], status: 'idee', place: at('a1') },
		{
			id: 'plein',
			themeIds: ['groen', 'eenzaamheid'],
			status: 'afgerond',
			place: { lon: 5.8, lat: 51.8 }
		}
	];
	const ids = (f: AnalysisFilter, status = '') =>
		listedInitiatieven(list, f, status, byId).map((i) => i.id);
	it('a theme, a street and the status narrow them; criteria on doors leave them be', () => {
		expect(ids(emptyFilter())).toEqual(['tuin', 'koffie', 'plein']);
		expect(ids(filter({ themeIds: ['groen'] }))).toEqual(['tuin', 'plein']);
		expect(ids(filter({ streets: ['Valeriusstraat'] }))).toEqual(['tuin']);
		expect(ids(filter({ themeIds: ['eenzaamheid'] }), 'idee')).toEqual(['koffie']);
		expect(ids(emptyFilter(), 'afgerond')).toEqual(['plein']);
		expect(ids(filter({ rounds: [2], outcomes: ['later'], heldBy: ['Joost'] }))).toEqual([
			'tuin',
			'koffie',
			'plein'
		]);
	});
});

describe('the round select', () => {
	const view = { themeChoices: [], rounds: [1], streets: [], holders: [] };
	it('offers a chosen round the board has no gesprekken of yet, in order', () => {
		expect(criterionOptions(view).rounds.map((o) => o.value)).toEqual(['1']);
		expect(criterionOptions(view, { rounds: [2] }).rounds.map((o) => o.value)).toEqual(['1', '2']);
		expect(
			criterionOptions({ ...view, rounds: [3] }, { rounds: [2, 3] }).rounds.map((o) => o.value)
		).toEqual(['2', '3']);
	});
});

describe('a select for one criterion', () => {
	it('shows all, the one value, or several; a pick is one value or none', () => {
		expect(selectValue([])).toBe('');
		expect(selectValue([2])).toBe('2');
		expect(selectValue(['a', 'b'])).toBe(SEVERAL);
		expect(picked('')).toEqual([]);
		expect(picked(SEVERAL)).toEqual([]);
		expect(picked('Valeriusstraat')).toEqual(['Valeriusstraat']);
	});
});
