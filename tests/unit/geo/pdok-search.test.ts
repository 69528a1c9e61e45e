import { describe, expect, it } from 'vitest';
import suggestSweelinck from './fixtures/pdok-locatieserver-suggest-sweelinck.json';
import { parsePdokDoc, type PdokDoc } from '../../../src/lib/geo/pdok';
import { looksLikeAddress, pdokExtras, registerIndex } from '../../../src/lib/geo/pdok-search';

const docs = suggestSweelinck.response.docs
	.map((d) => parsePdokDoc(d))
	.filter((d): d is PdokDoc => d !== null);

const register = [
	{
		street: 'Sweelinckstraat',
		houseNumber: 12,
		houseLetter: null,
		addition: null,
		postcode: '6521 ca',
		city: 'Nijmegen'
	}
];

describe('pdok search', () => {
	it('asks PDOK only about a few characters that read as an address', () => {
		expect(looksLikeAddress('')).toBe(false);
		expect(looksLikeAddress('sw')).toBe(false);
		expect(looksLikeAddress('  12 ')).toBe(false);
		expect(looksLikeAddress('swe')).toBe(true);
		expect(looksLikeAddress('sweelinck 12')).toBe(true);
		expect(looksLikeAddress('6521CA 12')).toBe(true);
	});

	it('keeps addresses with a point that are not in the register (by postcode, number, letter, toevoeging)', () => {
		const extras = pdokExtras(docs, registerIndex(register));
		expect(extras).toEqual([
			{
				id: 'adr-1c9d9d4f1fae5b6c7d8e9fa0b1c2d3e4',
				label: 'Sweelinckstraat 12A, 6521CA Nijmegen',
				lon: 5.87139077,
				lat: 51.8327165,
				postcode: '6521CA'
			}
		]);
		// Without a register both addresses show; the street ("weg") never does.
		expect(pdokExtras(docs, registerIndex([])).map((s) => s.label)).toEqual([
			'Sweelinckstraat 12, 6521CA Nijmegen',
			'Sweelinckstraat 12A, 6521CA Nijmegen'
		]);
		expect(pdokExtras(docs, registerIndex([]), 1)).toHaveLength(1);
	});

	it('skips documents without coordinates and doubles', () => {
		const noPoint = { ...docs[1]!, id: 'x', lon: null, lat: null };
		expect(
			pdokExtras([noPoint, docs[1]!, { ...docs[1]!, id: 'y' }], registerIndex([]))
		).toHaveLength(1);
	});
});
