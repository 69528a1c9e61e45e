import { describe, expect, it } from 'vitest';
import type { AGesprek, AThema } from '../../../src/lib/board/analysis';
import { AddressSummaries, summariseAddresses } from '../../../src/lib/board/analysis';
import { address } from './addresses';
import { AnalysisFeatures } from '../../../src/lib/map/analysis-features';

const THEMAS: AThema[] = [
	{ id: 'groen', name: 'groen', colour: '#00aa00' },
	{ id: 'eenzaamheid', name: 'eenzaamheid', colour: '#9467bd' }
];
const gesprek = (i: number, at: number, over: Partial<AGesprek> = {}): AGesprek => ({
	id: `g${i}`,
	addressId: `a${at}`,
	date: `2026-11-${String(10 + (i % 20)).padStart(2, '0')}`,
	round: 1,
	heldBy: 'Ans',
	outcome: i % 5 === 0 ? 'niet-thuis' : 'gesproken',
	themeIds: i % 3 === 0 ? ['groen', 'eenzaamheid'] : ['eenzaamheid'],
	talents: i % 4 === 0 ? ['koken'] : [],
	wishes: [],
	worries: [],
	...over
});

const addresses = Array.from({ length: 200 }, (_, i) => address(i));
const first = Array.from({ length: 300 }, (_, i) => gesprek(i, (i * 7) % 150));

describe('summaries and map features after one change (a remote gesprek)', () => {
	it('summarises as a whole board does, keeping the objects of the addresses not changed', () => {
		const summaries = new AddressSummaries();
		const before = summaries.summarise(addresses, first);
		expect(before).toEqual(summariseAddresses(addresses, first));

		// One gesprek more at a1, one changed at a7's door (a new object), one withdrawn household.
		const at7 = first.findIndex((g) => g.addressId === 'a7');
		const second = first.map((g, i) =>
			i === at7 ? { ...g, outcome: 'geweigerd' as const, themeIds: [] } : g
		);
		second.push(gesprek(900, 1, { themeIds: ['groen'] }));
		second[second.findIndex((g) => g.addressId === 'a14')] = {
			...second.find((g) => g.addressId === 'a14')!,
			consent: { withdrawn: true }
		};
		const after = summaries.summarise(addresses, second);
		expect(after).toEqual(summariseAddresses(addresses, second));
		const changed = [...after].filter(([id, s]) => before.get(id) !== s).map(([id]) => id);
		expect(changed.sort()).toEqual(['a1', 'a14', 'a7']);
		expect(after.get('a14')!.themes).toEqual([]);
	});

	it('makes new features for the changed addresses only, and all anew when a colour changes', () => {
		const summaries = new AddressSummaries();
		const features = new AnalysisFeatures();
		const all = () => true;
		const one = features.build(addresses, summaries.summarise(addresses, first), THEMAS, all);
		const more = [...first, gesprek(901, 160)];
		const two = features.build(addresses, summaries.summarise(addresses, more), THEMAS, all);
		const changed = two.features.filter((f, i) => one.features[i] !== f);
		expect(changed.map((f) => f.id)).toEqual(['a160']);
		expect(changed[0]!.properties.state).toBe('spoken');

		const recoloured = THEMAS.map((t) =>
			t.id === 'eenzaamheid' ? { ...t, colour: '#123456' } : t
		);
		const three = features.build(addresses, summaries.summarise(addresses, more), recoloured, all);
		const spoken = three.features.find((f) => f.properties.themes === 1)!;
		expect(spoken.properties.fill).toBe('#123456');
	});
});
