import { describe, expect, it } from 'vitest';
import type { Address } from '../../../src/lib/geo/address';
import { formatAddress } from '../../../src/lib/geo/address';
import {
	createAddressIndex,
	damerauLevenshtein,
	parseQuery,
	streetDistance
} from '../../../src/lib/geo/search';

let nextId = 0;
function addr(street: string, nr: string, postcode: string): Address {
	const m = /^(\d+)([A-Z])?(?:-(\w+))?$/.exec(nr)!;
	return {
		id: `a${++nextId}`,
		street,
		houseNumber: Number(m[1]),
		houseLetter: m[2] ?? null,
		addition: m[3] ?? null,
		postcode,
		city: 'Nijmegen',
		lon: 5.87,
		lat: 51.83,
		bagId: null,
		complexNumber: null
	};
}

const register: Address[] = [
	addr('Sweelinckstraat', '12', '6521CA'),
	addr('Sweelinckstraat', '12A', '6521CA'),
	addr('Sweelinckstraat', '12-2', '6521CA'),
	addr('Sweelinckstraat', '14', '6521CA'),
	addr('Sweelinckplein', '12', '6521CH'),
	addr('Dunklerstraat', '12', '6521CB'),
	addr('Obrechtstraat', '3', '6521CD'),
	addr('Richard Holstraat', '7', '6521CE'),
	addr('43e Straat', '12', '6537AB')
];
const index = createAddressIndex(register);
const search = (q: string, limit?: number) =>
	index.search(q, { limit }).map((h) => formatAddress(h.address));

describe('query parsing', () => {
	it('recognises postcode + number in its usual spellings', () => {
		for (const q of ['6521CA 12', '6521 ca 12', '6521ca12', ' 6521 CA  12 ']) {
			expect(parseQuery(q), q).toMatchObject({
				postcode: '6521CA',
				houseNumber: 12,
				houseLetter: null
			});
		}
		expect(parseQuery('6521 ca 12a')).toMatchObject({
			postcode: '6521CA',
			houseNumber: 12,
			houseLetter: 'A'
		});
		expect(parseQuery('6521CA 12-2')).toMatchObject({
			houseNumber: 12,
			houseLetter: null,
			addition: '2'
		});
		expect(parseQuery('6521CA')).toMatchObject({ postcode: '6521CA', houseNumber: null });
	});

	it('recognises street + number', () => {
		expect(parseQuery('Sweelinck 12')).toMatchObject({ street: 'sweelinck', houseNumber: 12 });
		expect(parseQuery('richard hol str. 7')).toMatchObject({
			street: 'richardholstraat',
			houseNumber: 7
		});
		expect(parseQuery('43e straat 12')).toMatchObject({ street: '43estraat', houseNumber: 12 });
		expect(parseQuery('sweelinckstraat, 12 bis')).toMatchObject({
			houseNumber: 12,
			addition: 'bis'
		});
		expect(parseQuery('')).toBeNull();
	});
});

describe('typo tolerance', () => {
	it('computes Damerau-Levenshtein (transpositions cost 1)', () => {
		expect(damerauLevenshtein('sweelinck', 'sweelinck')).toBe(0);
		expect(damerauLevenshtein('sweelnick', 'sweelinck')).toBe(1);
		expect(damerauLevenshtein('sweelink', 'sweelinck')).toBe(1);
		expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
		expect(damerauLevenshtein('abc', 'xyz', 1)).toBe(2);
	});

	it('ranks exact < prefix < typo, and rejects far-off names', () => {
		expect(streetDistance('sweelinckstraat', 'sweelinckstraat')).toBe(0);
		expect(streetDistance('sweelinck', 'sweelinckstraat')).toBe(0.5);
		expect(streetDistance('sweelinkstraat', 'sweelinckstraat')).toBe(1.5);
		expect(streetDistance('sweelnick', 'sweelinckstraat')).toBeGreaterThan(1.5);
		expect(streetDistance('obrecht', 'sweelinckstraat')).toBeNull();
		expect(streetDistance('ab', 'abcstraat')).toBe(0.5);
		expect(streetDistance('xb', 'abcstraat')).toBeNull();
	});
});

describe('searching the register', () => {
	it('finds postcode + number, exact door first', () => {
		expect(search('6521CA 12')).toEqual([
			'Sweelinckstraat 12',
			'Sweelinckstraat 12-2',
			'Sweelinckstraat 12A'
		]);
		expect(search('6521 ca 12a')).toEqual(['Sweelinckstraat 12A']);
		expect(search('6521CA 12-2')).toEqual(['Sweelinckstraat 12-2']);
		expect(search('6521CA')).toHaveLength(4);
		expect(search('6521CA 99')).toEqual([]);
	});

	it('finds street + number by prefix, ranking the exact street first', () => {
		expect(search('sweelinck 12')).toEqual([
			'Sweelinckplein 12',
			'Sweelinckstraat 12',
			'Sweelinckstraat 12-2',
			'Sweelinckstraat 12A'
		]);
		expect(search('sweelinckstraat 12')[0]).toBe('Sweelinckstraat 12');
		expect(search('sweelinckstraat 12a')).toEqual(['Sweelinckstraat 12A']);
	});

	it('tolerates small typos', () => {
		expect(search('sweelinkstraat 12', 1)).toEqual(['Sweelinckstraat 12']);
		expect(search('sweelnick 14')).toEqual(['Sweelinckstraat 14']);
		expect(search('dunkler straat 12')).toEqual(['Dunklerstraat 12']);
		expect(search('richard hol 7')).toEqual(['Richard Holstraat 7']);
		expect(search('obrechtstraat 3')).toEqual(['Obrechtstraat 3']);
		expect(search('obrechstraat 3')).toEqual(['Obrechtstraat 3']);
		expect(search('43e str 12')).toEqual(['43e Straat 12']);
	});

	it('lists a whole street when no number is given, and limits results', () => {
		expect(search('sweelinckstraat')).toHaveLength(4);
		expect(search('sweelinck', 2)).toHaveLength(2);
		expect(search('zzzz 12')).toEqual([]);
	});

	it('searches 10,000 addresses', () => {
		const big: Address[] = [];
		for (let s = 0; s < 200; s++) {
			for (let n = 1; n <= 50; n++)
				big.push(
					addr(`Straat${s}laan`, String(n), `65${String(s).padStart(2, '0').slice(0, 2)}AA`)
				);
		}
		const bigIndex = createAddressIndex(big);
		expect(bigIndex.size).toBe(10_000);
		const hits = bigIndex.search('straat123laan 7');
		expect(formatAddress(hits[0]!.address)).toBe('Straat123laan 7');
	});
});
