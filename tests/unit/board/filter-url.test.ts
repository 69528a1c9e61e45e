import { describe, expect, it } from 'vitest';
import { emptyBoardFilter, type BoardFilterValue } from '../../../src/lib/collab/presence-filters';
import { FILTER_VALUES_MAX } from '../../../src/lib/collab/presence-state';
import {
	filterQuery,
	parseFilterQuery,
	withFilterQuery,
	withinBoard,
	type BoardChoices
} from '../../../src/routes/boards/[id]/filter-url';

/** The board page's filter in its address (src/routes/boards/[id]/filter-url.ts). */

const whole: BoardFilterValue = {
	filter: {
		themeIds: ['eenzaamheid', 'groen'],
		rounds: [2],
		outcomes: ['gesproken', 'later'],
		from: '2025-01-01',
		to: '2025-12-31',
		streets: ['Spoorstraat', 'Van Oldenbarneveltstraat'],
		heldBy: ['Anouk de Vries']
	},
	openOnly: true,
	tab: 'gesprekken',
	initiatiefStatus: 'loopt',
	sort: 'date'
};

const parse = (query: string) => parseFilterQuery(new URLSearchParams(query));

describe('the filter in the address', () => {
	it('goes there and back whole, with readable names', () => {
		const query = filterQuery(whole);
		expect(query.toString()).toBe(
			'thema=eenzaamheid&thema=groen&ronde=2&uitkomst=gesproken&uitkomst=later' +
				'&van=2025-01-01&tot=2025-12-31&straat=Spoorstraat&straat=Van+Oldenbarneveltstraat' +
				'&door=Anouk+de+Vries&open=1&lijst=gesprekken&status=loopt&volgorde=datum'
		);
		expect(parseFilterQuery(query)).toEqual(whole);
	});

	it('is no query at all when nothing is chosen, and nothing is chosen without one', () => {
		expect(filterQuery(emptyBoardFilter()).toString()).toBe('');
		expect(parse('')).toEqual(emptyBoardFilter());
		expect(withFilterQuery('', emptyBoardFilter())).toBe('');
	});

	it('drops what is not a valid value, and keeps the rest', () => {
		const value = parse(
			'thema=eenzaamheid&thema=&ronde=0&ronde=2&ronde=x&ronde=1.5&ronde=100&uitkomst=boos' +
				'&uitkomst=later&van=2025-02-30&tot=morgen&straat=' +
				'x'.repeat(201) +
				'&open=ja&lijst=kaart&status=misschien&volgorde=willekeurig'
		);
		expect(value).toEqual({
			...emptyBoardFilter(),
			filter: {
				...emptyBoardFilter().filter,
				themeIds: ['eenzaamheid'],
				rounds: [2],
				outcomes: ['later']
			}
		});
	});

	it('takes each value once and at most as many per criterion as presence carries', () => {
		const many = Array.from({ length: 30 }, (_, i) => `straat=Straat+${i}`).join('&');
		const value = parse(`${many}&ronde=1&ronde=1&ronde=2`);
		expect(value.filter.streets).toHaveLength(FILTER_VALUES_MAX);
		expect(value.filter.streets[0]).toBe('Straat 0');
		expect(value.filter.rounds).toEqual([1, 2]);
		// What the page holds beyond the limit is not written either: the address reads back the same.
		const streets = Array.from({ length: 30 }, (_, i) => `Straat ${i}`);
		const written = filterQuery({ ...whole, filter: { ...whole.filter, streets } });
		expect(written.getAll('straat')).toEqual(streets.slice(0, FILTER_VALUES_MAX));
	});

	it('does not write a date a date field lets through but the address would not read', () => {
		const value = { ...whole, filter: { ...whole.filter, from: '202677-01-01' } };
		expect(filterQuery(value).has('van')).toBe(false);
		expect(filterQuery(value).get('tot')).toBe('2025-12-31');
	});

	it('replaces only its own parameters in the address', () => {
		expect(withFilterQuery('?thema=groen&straat=Oud&x=1', whole)).toBe(
			`?x=1&${filterQuery(whole).toString()}`
		);
		expect(withFilterQuery('?thema=groen&x=1', emptyBoardFilter())).toBe('?x=1');
	});
});

describe('the filter within the board', () => {
	const board: BoardChoices = {
		themas: [
			{ id: 'eenzaamheid' },
			{ id: 'groen', archived: true },
			{ id: 'buren', mergedInto: 'contact' },
			{ id: 'contact' }
		],
		streets: ['Spoorstraat', 'Valeriusstraat'],
		rounds: [1, 3],
		holders: ['Anouk de Vries']
	};

	it('keeps what the board has and drops what it does not', () => {
		const value = parse(
			'thema=eenzaamheid&thema=groen&thema=bestaat-niet&thema=buren&ronde=1&ronde=2&ronde=3&ronde=4' +
				'&straat=Spoorstraat&straat=Nergensstraat&door=Anouk+de+Vries&door=Iemand&uitkomst=later'
		);
		const within = withinBoard(value, board);
		expect(within.filter).toEqual({
			...value.filter,
			// A merged theme as the one it went into; an archived or unknown one is gone.
			themeIds: ['eenzaamheid', 'contact'],
			// Round 1 and 2 on any board; round 3 because this board has it, round 4 not.
			rounds: [1, 2, 3],
			streets: ['Spoorstraat'],
			heldBy: ['Anouk de Vries']
		});
		expect(withinBoard(within, board)).toEqual(within);
	});

	it('drops everything on a board that has nothing yet', () => {
		const empty: BoardChoices = { themas: [], streets: [], rounds: [], holders: [] };
		const within = withinBoard(parse('thema=groen&straat=Spoorstraat&door=X&ronde=5'), empty);
		expect(within).toEqual(emptyBoardFilter());
	});
});

describe('older names', () => {
	it('reads the analysis page’s old `street` and writes it as `straat`', () => {
		expect(parse('street=Valeriusstraat').filter.streets).toEqual(['Valeriusstraat']);
		// The new name wins when both are there.
		expect(parse('street=Valeriusstraat&straat=Spoorstraat').filter.streets).toEqual([
			'Spoorstraat'
		]);
		expect(
			withFilterQuery('?street=Valeriusstraat&talent=koken', parse('street=Valeriusstraat'))
		).toBe('?talent=koken&straat=Valeriusstraat');
	});
});
