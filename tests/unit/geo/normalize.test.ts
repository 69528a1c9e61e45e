import { describe, expect, it } from 'vitest';
import {
	addressKey,
	normalizePostcode,
	parseAddition,
	parseBagId,
	parseDecimal,
	parseHouseLetter,
	parseHouseNumber
} from '../../../src/lib/geo/normalize';

describe('normalisation', () => {
	it('normalises postcodes', () => {
		expect(normalizePostcode('6521 ca')).toBe('6521CA');
		expect(normalizePostcode(' 6521CA ')).toBe('6521CA');
		expect(normalizePostcode('6521  Ca')).toBe('6521CA');
		expect(normalizePostcode('0521CA')).toBeNull();
		expect(normalizePostcode('6521C')).toBeNull();
		expect(normalizePostcode('65210CA')).toBeNull();
	});

	it('parses house numbers with letter and toevoeging', () => {
		const ok = (s: string) => {
			const r = parseHouseNumber(s);
			if (!r.ok) throw new Error(JSON.stringify(r.issue));
			return r.value;
		};
		expect(ok('12')).toEqual({ houseNumber: 12, houseLetter: null, addition: null });
		expect(ok('12a')).toEqual({ houseNumber: 12, houseLetter: 'A', addition: null });
		expect(ok('12 A')).toEqual({ houseNumber: 12, houseLetter: 'A', addition: null });
		expect(ok('12A-2')).toEqual({ houseNumber: 12, houseLetter: 'A', addition: '2' });
		expect(ok('12-2')).toEqual({ houseNumber: 12, houseLetter: null, addition: '2' });
		expect(ok('12 bis')).toEqual({ houseNumber: 12, houseLetter: null, addition: 'bis' });
		expect(ok('12bis')).toEqual({ houseNumber: 12, houseLetter: null, addition: 'bis' });
		for (const bad of ['', '0', '-3', 'abc', '12.5', '100000', 'a12']) {
			expect(parseHouseNumber(bad).ok, bad).toBe(false);
		}
		expect(parseHouseNumber(' ')).toEqual({
			ok: false,
			issue: { code: 'house-number-missing', params: {} }
		});
		expect(parseHouseNumber('100000')).toEqual({
			ok: false,
			issue: { code: 'house-number-out-of-range', params: { value: '100000' } }
		});
		expect(parseHouseNumber('abc ')).toEqual({
			ok: false,
			issue: { code: 'house-number-invalid', params: { value: 'abc' } }
		});
	});

	it('validates letters and toevoegingen', () => {
		expect(parseHouseLetter(' b ')).toEqual({ ok: true, value: 'B' });
		expect(parseHouseLetter('')).toEqual({ ok: true, value: null });
		expect(parseHouseLetter('ab')).toEqual({
			ok: false,
			issue: { code: 'letter-invalid', params: { value: 'ab' } }
		});
		expect(parseAddition('-2')).toEqual({ ok: true, value: '2' });
		expect(parseAddition('II')).toEqual({ ok: true, value: 'II' });
		expect(parseAddition('1 hoog')).toEqual({
			ok: false,
			issue: { code: 'addition-invalid', params: { value: '1 hoog' } }
		});
	});

	it('parses Dutch and English decimals', () => {
		expect(parseDecimal('51,8321')).toEqual({ ok: true, value: 51.8321 });
		expect(parseDecimal('51.8321')).toEqual({ ok: true, value: 51.8321 });
		expect(parseDecimal('187.136,056')).toEqual({ ok: true, value: 187136.056 });
		expect(parseDecimal('187,136.056')).toEqual({ ok: true, value: 187136.056 });
		expect(parseDecimal('-0,5')).toEqual({ ok: true, value: -0.5 });
		expect(parseDecimal(' ')).toEqual({ ok: true, value: null });
		expect(parseDecimal('51,83,21').ok).toBe(false);
		expect(parseDecimal('noord')).toEqual({
			ok: false,
			issue: { code: 'not-a-number', params: { value: 'noord' } }
		});
	});

	it('repairs BAG ids Excel stripped of their leading zero, rejects mangled ones', () => {
		expect(parseBagId('0268200000002093')).toEqual({ ok: true, value: '0268200000002093' });
		expect(parseBagId('268200000002093')).toEqual({ ok: true, value: '0268200000002093' });
		expect(parseBagId('NL.IMBAG.Nummeraanduiding.0268200000002093')).toEqual({
			ok: true,
			value: '0268200000002093'
		});
		expect(parseBagId('2,68E+14')).toEqual({
			ok: false,
			issue: { code: 'bag-id-invalid', params: { value: '2,68E+14' } }
		});
	});

	it('builds the same duplicate key regardless of case and spacing', () => {
		const a = addressKey({
			postcode: '6521 ca',
			houseNumber: 12,
			houseLetter: 'a',
			addition: 'Bis'
		});
		const b = addressKey({
			postcode: '6521CA',
			houseNumber: 12,
			houseLetter: 'A',
			addition: 'bis'
		});
		expect(a).toBe(b);
		expect(
			addressKey({ postcode: '6521CA', houseNumber: 12, houseLetter: null, addition: null })
		).not.toBe(a);
	});
});
