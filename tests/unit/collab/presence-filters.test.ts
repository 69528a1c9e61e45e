import { describe, expect, it } from 'vitest';
import { emptyFilter } from '../../../src/lib/board/analysis';
import {
	emptyBoardFilter,
	fromPresenceFilters,
	toPresenceFilters,
	type BoardFilterValue
} from '../../../src/lib/collab/presence-filters';
import {
	FILTER_VALUES_MAX,
	filtersSchema,
	presenceStateSchema
} from '../../../src/lib/collab/presence-state';

/** A presenter's filter as presence carries it, in the current and the older format. */

const whole: BoardFilterValue = {
	filter: {
		themeIds: ['eenzaamheid'],
		rounds: [2],
		outcomes: ['niet-thuis', 'later'],
		from: '2025-01-01',
		to: null,
		streets: ['Valeriusstraat'],
		heldBy: ['Anouk']
	},
	openOnly: true,
	tab: 'gesprekken',
	initiatiefStatus: 'loopt',
	sort: 'date'
};

describe('presence filters', () => {
	it('carry the whole filter there and back, valid for the schema', () => {
		const shared = toPresenceFilters(whole);
		expect(filtersSchema.parse(shared)).toEqual(shared);
		expect(fromPresenceFilters(shared)).toEqual(whole);
		expect(fromPresenceFilters(toPresenceFilters(emptyBoardFilter()))).toEqual(emptyBoardFilter());
	});

	it('tell an older follower what it can show: one theme, round, street and status', () => {
		const shared = toPresenceFilters(whole);
		expect(shared).toMatchObject({
			tab: 'gesprekken',
			theme: 'eenzaamheid',
			round: '2',
			street: 'Valeriusstraat',
			// Two outcomes: an older list can show one, so it shows all.
			status: '',
			sort: 'date'
		});
		expect(toPresenceFilters({ ...whole, tab: 'initiatieven' }).status).toBe('loopt');
		expect(
			toPresenceFilters({ ...whole, filter: { ...whole.filter, outcomes: ['later'] } }).status
		).toBe('later');
		expect(toPresenceFilters({ ...whole, tab: 'addresses' }).status).toBe('');
	});

	it('read an older presenter’s six fields as the filter it meant', () => {
		const older = {
			tab: 'gesprekken' as const,
			theme: 't1',
			status: 'niet-thuis',
			round: '2',
			street: 'Sweelinckstraat',
			sort: 'street' as const
		};
		expect(filtersSchema.parse(older)).toEqual(older);
		expect(fromPresenceFilters(older)).toEqual({
			filter: {
				...emptyFilter(),
				themeIds: ['t1'],
				rounds: [2],
				outcomes: ['niet-thuis'],
				streets: ['Sweelinckstraat']
			},
			openOnly: false,
			tab: 'gesprekken',
			initiatiefStatus: '',
			sort: 'street'
		});
		expect(
			fromPresenceFilters({ ...older, tab: 'initiatieven', status: 'afgerond' })
		).toMatchObject({ filter: { outcomes: [] }, initiatiefStatus: 'afgerond' });
		expect(fromPresenceFilters({ ...older, round: 'x', status: 'onzin' }).filter).toMatchObject({
			rounds: [],
			outcomes: []
		});
		expect(fromPresenceFilters({ ...older, theme: '', street: '', round: '' }).filter).toEqual(
			filterWith({ outcomes: ['niet-thuis'] })
		);
	});

	it('send at most FILTER_VALUES_MAX values of a criterion, and the schema holds that bound', () => {
		const many = Array.from({ length: FILTER_VALUES_MAX + 5 }, (_, i) => `s${i}`);
		const shared = toPresenceFilters({ ...whole, filter: { ...whole.filter, streets: many } });
		expect(shared.criteria!.streets).toHaveLength(FILTER_VALUES_MAX);
		expect(filtersSchema.safeParse(shared).success).toBe(true);
		const over = { ...shared, criteria: { ...shared.criteria!, streets: many } };
		expect(filtersSchema.safeParse(over).success).toBe(false);
		const badDay = { ...shared, criteria: { ...shared.criteria!, from: '1 januari' } };
		expect(presenceStateSchema.safeParse({ filters: badDay }).success).toBe(false);
		const badRound = { ...shared, criteria: { ...shared.criteria!, rounds: [0] } };
		expect(filtersSchema.safeParse(badRound).success).toBe(false);
	});

	it('never send what the schema refuses: a six-digit year or an over-long value is left out', () => {
		// A date field gives "202677-01-01" for a year typed with two digits too many; the server
		// dropped the presenter's whole state for it (their followers stopped following).
		const odd: BoardFilterValue = {
			...whole,
			filter: {
				...whole.filter,
				themeIds: ['', 'eenzaamheid'],
				rounds: [0, 2, 100],
				from: '202677-01-01',
				to: '2025-12-31',
				streets: ['x'.repeat(201), 'Valeriusstraat'],
				heldBy: ['Anouk', '']
			},
			initiatiefStatus: 's'.repeat(51)
		};
		const shared = toPresenceFilters(odd);
		expect(presenceStateSchema.safeParse({ filters: shared }).success).toBe(true);
		expect(shared.criteria).toMatchObject({
			themeIds: ['eenzaamheid'],
			rounds: [2],
			from: null,
			to: '2025-12-31',
			streets: ['Valeriusstraat'],
			heldBy: ['Anouk'],
			initiatiefStatus: ''
		});
		// The older fields say the one valid value of each.
		expect(shared).toMatchObject({ theme: 'eenzaamheid', round: '2', street: 'Valeriusstraat' });
	});
});

function filterWith(over: Partial<ReturnType<typeof emptyFilter>>) {
	return { ...emptyFilter(), ...over };
}
