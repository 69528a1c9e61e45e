import { describe, expect, it } from 'vitest';
import {
	addressMatches,
	analyseDoors,
	compareRounds,
	coverageByAssignee,
	csvCell,
	emptyFilter,
	filterGesprekken,
	findTalents,
	gesprekkenCsv,
	gesprekkenGeoJson,
	householdsPerTheme,
	openDoors,
	stateCounts,
	protectParts,
	streetAggregatesCsv,
	SUPPRESSED,
	streetCoverage,
	summariseAddresses,
	talentCounts,
	toCsv,
	totalCoverage,
	type AAddress,
	type AGesprek
} from '../../../src/lib/board/analysis';

const address = (id: string, street: string, n: number): AAddress => ({
	id,
	street,
	houseNumber: n,
	houseLetter: null,
	addition: null,
	postcode: '6521CA',
	lon: 5.87 + n / 10000,
	lat: 51.83,
	complexNumber: 'SPB-01',
	unitNumber: `${street === 'Valeriusstraat' ? 2 : 1}0400${n}`
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
	notes: '',
	confidential: null,
	...over
});

const A = [
	address('a1', 'Sweelinckstraat', 1),
	address('a2', 'Sweelinckstraat', 2),
	address('a3', 'Sweelinckstraat', 3),
	address('a4', 'Sweelinckstraat', 4),
	address('b1', 'Valeriusstraat', 1),
	address('b2', 'Valeriusstraat', 2)
];
const G = [
	gesprek('a1', { themeIds: ['eenzaamheid', 'vergrijzing'] }),
	gesprek('a1', { round: 2, date: '2026-04-01', themeIds: ['ontmoeting'] }),
	gesprek('a2', { outcome: 'niet-thuis' }),
	gesprek('a2', { outcome: 'geweigerd', date: '2025-03-10' }),
	gesprek('a3', { outcome: 'later' }),
	gesprek('b1', {
		themeIds: ['groen', 'eenzaamheid'],
		talents: ['groene vingers'],
		heldBy: 'Joost'
	}),
	gesprek('b2', { outcome: 'gesproken', themeIds: ['groen'], round: 2, date: '2026-05-01' })
];
const byId = new Map(A.map((a) => [a.id, a]));

describe('address states', () => {
	it('spoken beats declined beats no contact beats not visited', () => {
		const s = summariseAddresses(A, G);
		expect(s.get('a1')!.state).toBe('spoken');
		expect(s.get('a2')!.state).toBe('declined');
		expect(s.get('a3')!.state).toBe('no-contact');
		expect(s.get('a4')!.state).toBe('open');
		expect(s.get('a1')!.themes).toEqual([
			['eenzaamheid', 1],
			['vergrijzing', 1],
			['ontmoeting', 1]
		]);
		expect(s.get('a1')!.dominant).toBe('eenzaamheid');
		expect(householdsPerTheme(s.values()).get('eenzaamheid')).toBe(2);
	});

	it('filters by round, outcome, period, theme, street and holder together', () => {
		const f = { ...emptyFilter(), rounds: [1], themeIds: ['eenzaamheid'] };
		expect(filterGesprekken(G, f, byId).map((g) => g.addressId)).toEqual(['a1', 'b1']);
		const g = { ...emptyFilter(), streets: ['Valeriusstraat'], heldBy: ['Joost'] };
		expect(filterGesprekken(G, g, byId).map((x) => x.addressId)).toEqual(['b1']);
		const h = { ...emptyFilter(), from: '2025-03-05', to: '2025-12-31' };
		expect(filterGesprekken(G, h, byId).map((x) => x.outcome)).toEqual(['geweigerd']);
		const round2 = summariseAddresses(
			A,
			filterGesprekken(G, { ...emptyFilter(), rounds: [2] }, byId)
		);
		expect(round2.get('a2')!.state).toBe('open');
	});
});

describe('door coverage', () => {
	it('counts doors per street and lists the open ones to walk', () => {
		const s = summariseAddresses(A, G);
		const streets = streetCoverage(A, s);
		expect(
			streets.map((c) => [c.street, c.doors, c.spoken, c.noContact, c.declined, c.open])
		).toEqual([
			['Sweelinckstraat', 4, 1, 1, 1, 1],
			['Valeriusstraat', 2, 2, 0, 0, 0]
		]);
		expect(totalCoverage(streets)).toEqual({
			doors: 6,
			spoken: 3,
			noContact: 1,
			declined: 1,
			open: 1
		});
		expect(openDoors(A, s).map((a) => a.id)).toEqual(['a3', 'a4']);
		const per = coverageByAssignee(streets, [{ street: 'Valeriusstraat', assignee: 'Joost' }]);
		expect(per.map((p) => [p.assignee, p.coverage.doors, p.coverage.spoken])).toEqual([
			['Joost', 2, 2],
			['', 4, 1]
		]);
	});
});

describe('one predicate for the map and the lists', () => {
	it('street + round 2 + open doors only: the bright points are exactly the doors listed', () => {
		const filter = { ...emptyFilter(), streets: ['Sweelinckstraat'], rounds: [2] };
		const doors = analyseDoors(A, G, filter, byId);
		const bright = A.filter((a) =>
			addressMatches(a, doors.summaries.get(a.id)!, filter, doors.matching, true)
		);
		const listed = openDoors(A, doors.summaries, filter);
		// a1 spoke in round 2; a2, a3, a4 had no gesprek in round 2; Valeriusstraat is outside.
		expect(listed.map((a) => a.id)).toEqual(['a2', 'a3', 'a4']);
		expect(bright.map((a) => a.id).sort()).toEqual(listed.map((a) => a.id).sort());
	});

	it('a filter on gesprekken keeps the addresses where such a gesprek was held', () => {
		const filter = { ...emptyFilter(), themeIds: ['groen'] };
		const doors = analyseDoors(A, G, filter, byId);
		const matches = (f: typeof filter) =>
			A.filter((a) => addressMatches(a, doors.summaries.get(a.id)!, f, doors.matching)).map(
				(a) => a.id
			);
		expect(matches(filter)).toEqual(['b1', 'b2']);
		expect(matches(emptyFilter())).toEqual(A.map((a) => a.id));
	});
});

describe('door states under a filter (theme, outcome, held by, period pick doors, never states)', () => {
	const states = (filter: ReturnType<typeof emptyFilter>) => {
		const doors = analyseDoors(A, G, filter, byId);
		return {
			state: Object.fromEntries(A.map((a) => [a.id, doors.summaries.get(a.id)!.state])),
			counts: stateCounts(doors.summaries.values()),
			open: openDoors(A, doors.summaries, filter).map((a) => a.id),
			matching: [...doors.matching].sort()
		};
	};
	const all = states(emptyFilter());

	it('a theme: doors that did not mention it stay spoken, declined or open as they were', () => {
		const lonely = states({ ...emptyFilter(), themeIds: ['eenzaamheid'] });
		// Was: a2 (declined), a3 (niet thuis) and b2 (spoken about groen) counted as "not visited".
		expect(lonely.state).toEqual(all.state);
		expect(lonely.counts).toEqual({ open: 1, 'no-contact': 1, declined: 1, spoken: 3 });
		expect(lonely.open).toEqual(['a3', 'a4']);
		expect(lonely.matching).toEqual(['a1', 'b1']);
	});

	it('an outcome: "niet thuis" picks the doors where nobody was home once, spoken ones stay spoken', () => {
		const notHome = states({ ...emptyFilter(), outcomes: ['niet-thuis'] });
		expect(notHome.state).toEqual(all.state);
		expect(notHome.counts.spoken).toBe(3);
		expect(notHome.matching).toEqual(['a2']);
		expect(notHome.open).toEqual(['a3', 'a4']);
	});

	it('held by: a colleague’s doors are not open because someone else held the gesprek', () => {
		const joost = states({ ...emptyFilter(), heldBy: ['Joost'] });
		expect(joost.state).toEqual(all.state);
		expect(joost.open).toEqual(['a3', 'a4']);
		expect(joost.matching).toEqual(['b1']);
	});

	it('a period: doors spoken before it are not open, those with a gesprek in it match', () => {
		const spring = states({ ...emptyFilter(), from: '2025-03-05', to: '2025-12-31' });
		expect(spring.state).toEqual(all.state);
		expect(spring.matching).toEqual(['a2']);
	});

	it('a round is a walk of its own: in round 2 a door spoken only in round 1 is still to walk', () => {
		const round2 = states({ ...emptyFilter(), rounds: [2] });
		expect(round2.state).toEqual({
			a1: 'spoken',
			a2: 'open',
			a3: 'open',
			a4: 'open',
			b1: 'open',
			b2: 'spoken'
		});
		// Round 2 and a theme: the round sets the states, the theme only the matching doors.
		const green2 = states({ ...emptyFilter(), rounds: [2], themeIds: ['groen'] });
		expect(green2.state).toEqual(round2.state);
		expect(green2.matching).toEqual(['b2']);
		// Themes per door are those of its gesprekken in the round.
		const doors = analyseDoors(A, G, { ...emptyFilter(), rounds: [2] }, byId);
		expect(doors.summaries.get('a1')!.themes).toEqual([['ontmoeting', 1]]);
	});

	it('coverage and open doors of a street with a theme filter are the street’s real ones', () => {
		const filter = { ...emptyFilter(), streets: ['Sweelinckstraat'], themeIds: ['vergrijzing'] };
		const doors = analyseDoors(A, G, filter, byId);
		const coverage = totalCoverage(streetCoverage(A.slice(0, 4), doors.summaries));
		expect(coverage).toEqual({ doors: 4, spoken: 1, noContact: 1, declined: 1, open: 1 });
		expect(openDoors(A, doors.summaries, filter).map((a) => a.id)).toEqual(['a3', 'a4']);
		expect([...doors.matching]).toEqual(['a1']);
	});
});

describe('rounds and talents', () => {
	it('compares households per street and theme between rounds', () => {
		const rows = compareRounds(A, G);
		expect(rows).toContainEqual({
			street: 'Sweelinckstraat',
			themeId: 'eenzaamheid',
			before: 1,
			after: 0,
			change: -1
		});
		expect(rows).toContainEqual({
			street: 'Valeriusstraat',
			themeId: 'groen',
			before: 1,
			after: 1,
			change: 0
		});
	});

	it('finds households offering a talent, nearest first', () => {
		const found = findTalents(A, G, {
			talent: 'groen',
			near: { lon: 5.8701, lat: 51.83 },
			radius: 500
		});
		expect(found.map((f) => [f.address.id, f.talents])).toEqual([['b1', ['groene vingers']]]);
		expect(findTalents(A, G, { talent: 'koken' })).toEqual([]);
	});

	it('never offers a household that withdrew consent, on any of its gesprekken', () => {
		const list = [
			gesprek('a1', { talents: ['koken'] }),
			gesprek('a1', { round: 2, consent: { recordedBy: 'Anouk', date: null, withdrawn: true } }),
			gesprek('a2', { talents: ['koken', 'tuinieren'] })
		];
		expect(findTalents(A, list, { talent: 'koken' }).map((f) => f.address.id)).toEqual(['a2']);
		expect(findTalents(A, list, {}).map((f) => f.address.id)).toEqual(['a2']);
		expect(talentCounts(list)).toEqual([
			['koken', 1],
			['tuinieren', 1]
		]);
	});

	it('uses a withdrawn household for its door only: no themes on the map, in counts or rounds', () => {
		const withdrawn = { recordedBy: 'Anouk', date: null, withdrawn: true };
		const list = [
			gesprek('a1', { themeIds: ['eenzaamheid'] }),
			// Withdrawn in round 2: what it said in round 1 goes too.
			gesprek('a1', { round: 2, themeIds: ['ontmoeting'], consent: withdrawn }),
			gesprek('a2', { themeIds: ['eenzaamheid'] })
		];
		const summaries = summariseAddresses(A, list);
		expect(summaries.get('a1')).toMatchObject({ state: 'spoken', themes: [], dominant: null });
		expect(householdsPerTheme(summaries.values()).get('eenzaamheid')).toBe(1);
		expect(compareRounds(A, list)).toEqual([
			{ street: 'Sweelinckstraat', themeId: 'eenzaamheid', before: 1, after: 0, change: -1 }
		]);
		const lonely = analyseDoors(A, list, { ...emptyFilter(), themeIds: ['eenzaamheid'] }, byId);
		expect([...lonely.matching]).toEqual(['a2']);
		expect(lonely.summaries.get('a1')!.state).toBe('spoken');
	});
});

describe('exports', () => {
	it('writes CSV as Dutch Excel opens it, with formulas made harmless', () => {
		expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
		expect(csvCell('+31')).toBe("'+31");
		expect(csvCell('-1')).toBe("'-1");
		expect(csvCell('@cmd')).toBe("'@cmd");
		expect(csvCell(-1)).toBe('-1');
		expect(csvCell('a;b')).toBe('"a;b"');
		expect(csvCell('zei "ja"')).toBe('"zei ""ja"""');
		expect(csvCell(1.5)).toBe('1,5');
		const csv = toCsv(['a', 'b'], [['x', 1]]);
		expect(csv).toBe('\uFEFFa;b\r\nx;1\r\n');
	});

	it('makes formulas harmless behind leading spaces, tabs and line breaks too', () => {
		// Excel's and LibreOffice's CSV import can trim leading whitespace, and then run what follows.
		expect(csvCell(' =HYPERLINK("http://x")')).toBe('"\' =HYPERLINK(""http://x"")"');
		expect(csvCell('  +31 6 1234')).toBe("'  +31 6 1234");
		expect(csvCell('\u00a0-2+3')).toBe("'\u00a0-2+3");
		expect(csvCell('\t=1+1')).toBe("'\t=1+1");
		expect(csvCell('\r\n@SUM(A1)')).toBe('"\'\r\n@SUM(A1)"');
		expect(csvCell('\n=cmd')).toBe('"\'\n=cmd"');
		// The full-width signs some keyboards type, which Excel reads as = + - @ as well.
		expect(csvCell('\uff1dSUM(A1)')).toBe("'\uff1dSUM(A1)");
		// Ordinary text with such a sign further on stays as it was.
		expect(csvCell('Straat 12 - achterom')).toBe('Straat 12 - achterom');
		expect(csvCell('a=b')).toBe('a=b');
		// In a whole export: every cell of a row that starts so is opened as text.
		const csv = toCsv(['notitie'], [[' =1+1'], ['\n+1']]);
		expect(csv.split('\r\n').slice(1, 3)).toEqual(["' =1+1", '"\'\n+1"']);
	});

	it('exports notes only when asked, never confidential ones', () => {
		const themas = new Map([['groen', { id: 'groen', name: 'groen', colour: '#2ca02c' }]]);
		const list = [
			gesprek('b1', { notes: '=HYPERLINK("x")', themeIds: ['groen'] }),
			gesprek('b2', { notes: '', confidential: '00000000-0000-4000-8000-000000000000' })
		];
		const without = gesprekkenCsv(list, byId, themas, { notes: false });
		expect(without).not.toContain('HYPERLINK');
		expect(without.split('\r\n')[1]).toContain(
			// complex, then the unit number (VHE) the corporation's export had.
			'Valeriusstraat 1;Valeriusstraat;6521CA;SPB-01;204001;2025-03-01;1;Anouk;gesproken;groen'
		);
		const withNotes = gesprekkenCsv(list, byId, themas, { notes: true });
		expect(withNotes).toContain(`"'=HYPERLINK(""x"")"`);
	});

	it('keeps the visit of a household that withdrew consent, marked, without what it said', () => {
		const themas = new Map([['groen', { id: 'groen', name: 'groen', colour: '#2ca02c' }]]);
		const list = [
			gesprek('a1', {
				themeIds: ['groen'],
				talents: ['koken'],
				wishes: ['bankje'],
				worries: ['trap wordt lastig'],
				notes: 'woont alleen',
				consent: { recordedBy: 'Anouk', date: '2025-03-01', withdrawn: false }
			}),
			gesprek('a1', {
				round: 2,
				outcome: 'niet-thuis',
				consent: { recordedBy: 'Anouk', date: '2025-03-01', withdrawn: true }
			}),
			gesprek('b1', {
				talents: ['groene vingers'],
				consent: { recordedBy: 'Joost', date: '2025-03-01', withdrawn: false }
			}),
			gesprek('b2', { talents: ['fietsen'] })
		];
		const csv = gesprekkenCsv(list, byId, themas, { notes: true });
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe(
			'\uFEFFid;adres;straat;postcode;complex;vhe;datum;ronde;gevoerd_door;uitkomst;themas;talenten;wensen;zorgen;toestemming;notities'
		);
		// Both of the household's rows stay (the doors were visited), marked, with nothing it said.
		expect(lines[1]).toMatch(/;Sweelinckstraat 1;.*;1;Anouk;gesproken;;;;;ingetrokken;$/);
		expect(lines[2]).toMatch(/;2;Anouk;niet-thuis;;;;;ingetrokken;$/);
		expect(lines[3]).toMatch(/;gesproken;;groene vingers;;;gegeven;$/);
		expect(lines[4]).toMatch(/;gesproken;;fietsen;;;;$/);
		for (const said of ['koken', 'bankje', 'trap wordt lastig', 'woont alleen', 'groen;'])
			expect(csv).not.toContain(said);

		const geo = gesprekkenGeoJson(list, byId, themas, { notes: true });
		const props = geo.features.map((f) => f.properties!);
		expect(props[0]).toMatchObject({
			uitkomst: 'gesproken',
			themas: [],
			talenten: [],
			wensen: [],
			zorgen: [],
			notities: '',
			toestemming: 'ingetrokken'
		});
		expect(props[2]).toMatchObject({ talenten: ['groene vingers'], toestemming: 'gegeven' });
		expect(JSON.stringify(geo)).not.toContain('trap wordt lastig');
	});

	it('anonymises as the public pages do: no street under k doors, no count that can be worked out', () => {
		const streets = [
			{
				street: 'Groot',
				doors: 30,
				spoken: 20,
				noContact: 5,
				declined: 3,
				open: 2,
				themes: new Map([
					['eenzaamheid', 10],
					['groen', 17]
				])
			},
			{
				street: 'Midden',
				doors: 12,
				spoken: 8,
				noContact: 2,
				declined: 0,
				open: 2,
				themes: new Map([['eenzaamheid', 6]])
			},
			{
				street: 'Klein',
				doors: 4,
				spoken: 4,
				noContact: 0,
				declined: 0,
				open: 0,
				themes: new Map([['eenzaamheid', 4]])
			}
		];
		const themas = [
			{ id: 'eenzaamheid', name: 'eenzaamheid', colour: '#000000' },
			{ id: 'groen', name: 'groen', colour: '#00ff00' }
		];
		const lines = streetAggregatesCsv(streets, themas, { anonymised: true }).split('\r\n');
		expect(lines[0]).toBe(
			'\uFEFFstraat;deuren;gesproken;geen_contact;geweigerd;open;thema_eenzaamheid;thema_groen'
		);
		const x = SUPPRESSED;
		expect(lines.slice(1)).toEqual([
			// 3 + 2 left out hold 5 households: nothing to work out from the 30 doors. Groen: 20 - 17 = 3
			// did not mention it, so 17 is left out too.
			`Groot;30;20;5;${x};${x};10;${x}`,
			// 2 + 2 left out would give each other away (12 - 8 - 0 = 4): all four go; eenzaamheid 6
			// of 8 spoken (2 did not) and groen 0 go as well.
			`Midden;12;${x};${x};${x};${x};${x};${x}`,
			''
		]);
		// A raised k raises every threshold.
		const k10 = streetAggregatesCsv(streets, themas, { anonymised: true, k: 10 }).split('\r\n');
		expect(k10[1]).toBe(`Groot;30;20;${x};${x};${x};10;${x}`);
		expect(k10).toHaveLength(4);

		const open = streetAggregatesCsv(streets, themas, { anonymised: false }).split('\r\n');
		expect(open.slice(1)).toEqual([
			'Groot;30;20;5;3;2;10;17',
			'Midden;12;8;2;0;2;6;0',
			'Klein;4;4;0;0;0;4;0',
			''
		]);
	});

	it('leaves out outcome counts until the left-out ones hold k households', () => {
		expect(protectParts([20, 5, 3, 2], 5)).toEqual([20, 5, null, null]);
		expect(protectParts([20, 5, 4, 0], 5)).toEqual([20, null, null, null]);
		expect(protectParts([10, 0, 0, 0], 5)).toEqual([10, 0, 0, 0]);
		expect(protectParts([11, 1, 0, 0], 5)).toEqual([null, null, null, null]);
	});
});
