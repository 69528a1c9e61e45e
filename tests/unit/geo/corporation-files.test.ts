import { describe, expect, it } from 'vitest';
import type { Address } from '../../../src/lib/geo/address';
import {
	applyMapping,
	previewCsv,
	splitStreetAndNumber,
	type ImportResult
} from '../../../src/lib/geo/csv-import';
import { previewGeoJson } from '../../../src/lib/geo/geojson-import';
import { ImportFileError } from '../../../src/lib/geo/issues';
import { mergeImport } from '../../../src/lib/geo/merge';
import { normalizePostcode } from '../../../src/lib/geo/normalize';

/** The rows of a CSV text with the proposed mapping. */
function importText(text: string): ImportResult {
	const { table, proposal } = previewCsv(text);
	return applyMapping(table, proposal.mapping);
}

const registered = (over: Partial<Address>): Address => ({
	id: 'a1',
	street: 'Diepenbrockstraat',
	houseNumber: 1,
	houseLetter: null,
	addition: null,
	postcode: '6522BC',
	city: 'Nijmegen',
	lon: 5.876,
	lat: 51.829,
	bagId: null,
	complexNumber: null,
	unitNumber: null,
	...over
});

describe('files as corporations write them', () => {
	it('finds a registered address from a file without postcodes, and the other way round', () => {
		const rows = importText(
			'Straat;Huisnummer;Woonplaats;VHE\nDiepenbrockstraat;1;Nijmegen;1040001\n'
		).rows;
		const merge = mergeImport([registered({})], rows);
		expect(merge.added).toEqual([]);
		expect(merge.updated.map((u) => [u.address.id, u.address.unitNumber])).toEqual([
			['a1', '1040001']
		]);

		const withPostcode = importText('Straat;Huisnummer;Postcode\nDiepenbrockstraat;1;6522 BC\n');
		const noPostcode = mergeImport([registered({ postcode: null })], withPostcode.rows);
		expect([noPostcode.added.length, noPostcode.updated[0]?.address.postcode]).toEqual([
			0,
			'6522BC'
		]);
		// Another place, or another postcode, is another address.
		expect(mergeImport([registered({ city: 'Arnhem' })], rows).added).toHaveLength(1);
		const otherPostcode = importText('Straat;Huisnummer;Postcode\nDiepenbrockstraat;1;6500 AA\n');
		expect(mergeImport([registered({})], otherPostcode.rows).added).toHaveLength(1);
	});

	it('takes a lone letter in the toevoeging column for the huisletter', () => {
		const result = importText(
			'Straat;Huisnr.;Huisnr. toev.;Postcode\nTestlaan;7;A;6512XY\nTestlaan;7;2;6512XY\n'
		);
		expect(result.rows.map((r) => [r.houseLetter, r.addition])).toEqual([
			['A', null],
			[null, '2']
		]);
		const merge = mergeImport(
			[registered({ street: 'Testlaan', houseNumber: 7, houseLetter: 'A', postcode: '6512XY' })],
			result.rows
		);
		expect(merge.added.map((a) => a.addition)).toEqual(['2']);
	});

	it('splits a combined adres where the rest reads as a house number, or says it cannot', () => {
		const split = (s: string) => splitStreetAndNumber(s);
		expect(split('Dorpsstraat 12 A 2')).toEqual({ street: 'Dorpsstraat', number: '12 A 2' });
		expect(split('Dorpsstraat 12 - 1')).toEqual({ street: 'Dorpsstraat', number: '12 - 1' });
		expect(split('43e Straat 12 A')).toEqual({ street: '43e Straat', number: '12 A' });
		expect(split('Plein 1944 3')).toEqual({ street: 'Plein 1944', number: '3' });
		expect(split('Sweelinckstraat 12a-2')).toEqual({ street: 'Sweelinckstraat', number: '12a-2' });
		expect(split('Dorpsstraat 12 1 hoog')).toBeNull();
		expect(split('Dorpsstraat 12 t/m 14')).toBeNull();

		const result = importText('Adres;Postcode\nDorpsstraat 12 t/m 14;6512XY\nDorpsstraat;6512XY\n');
		expect(result.errors.map((e) => e.issues[0]!.code)).toEqual([
			'address-split-unclear',
			'address-without-number'
		]);
	});

	it('does not take two columns of ID numbers for RD coordinates', () => {
		const ids = previewCsv(
			[
				'Straat;Huisnummer;Postcode;Contractnr;Relatienr',
				'Dorpsstraat;1;6512XY;212345;456789',
				'Dorpsstraat;3;6512XY;98765;345678',
				'Dorpsstraat;5;6512XY;276543;612345'
			].join('\n')
		).proposal;
		expect(ids.hasCoordinates).toBe(false);
		// Whole metres under headers that say x and y are coordinates.
		const named = previewCsv('Straat;Huisnummer;Oost;Noord\nDorpsstraat;1;187412;427915\n');
		expect(named.proposal.mapping).toMatchObject({ rdX: 2, rdY: 3 });
	});

	it('takes the delimiter from the header, not from a title line above it', () => {
		const { table, proposal } = previewCsv(
			'Adressenlijst, complex 104\nStraat;Huisnummer;Postcode\nDorpsstraat;1;6512XY\n'
		);
		expect(table.delimiter).toBe(';');
		expect(proposal.mapping).toMatchObject({ street: 0, houseNumber: 1, postcode: 2 });
	});

	it('refuses an Excel workbook with words a user can act on', () => {
		const xlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
		const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00]);
		for (const bytes of [xlsx, xls]) {
			expect(() => previewCsv(bytes)).toThrow(ImportFileError);
			try {
				previewCsv(bytes);
			} catch (e) {
				expect((e as ImportFileError).issue.code).toBe('file-is-spreadsheet');
			}
		}
	});

	it('places GeoJSON building outlines and point sets at their centre, and unpacks nested properties', () => {
		const feature = (geometry: unknown, properties: unknown) => ({
			type: 'Feature',
			geometry,
			properties
		});
		const { table, proposal } = previewGeoJson({
			type: 'FeatureCollection',
			features: [
				feature(
					{
						type: 'Polygon',
						coordinates: [
							[
								[5.85, 51.83],
								[5.852, 51.83],
								[5.852, 51.832],
								[5.85, 51.832],
								[5.85, 51.83]
							]
						]
					},
					{ vhe: '1040001', adres: { straat: 'Dorpsstraat', huisnummer: 12, postcode: '6512XY' } }
				),
				feature(
					{ type: 'MultiPoint', coordinates: [[5.853, 51.834]] },
					{ vhe: '1040002', adres: { straat: 'Dorpsstraat', huisnummer: 14, postcode: '6512XY' } }
				)
			]
		});
		expect(table.headers).toContain('adres.straat');
		expect(proposal.mapping).toMatchObject({
			street: table.headers.indexOf('adres.straat'),
			houseNumber: table.headers.indexOf('adres.huisnummer')
		});
		const result = applyMapping(table, proposal.mapping);
		expect(result.errors).toEqual([]);
		expect(result.rows.map((r) => [r.houseNumber, r.unitNumber])).toEqual([
			[12, '1040001'],
			[14, '1040002']
		]);
		expect(result.rows[0]!.lon).toBeCloseTo(5.851, 6);
		expect(result.rows[0]!.lat).toBeCloseTo(51.831, 6);
		expect([result.rows[1]!.lon, result.rows[1]!.lat]).toEqual([5.853, 51.834]);
		expect(result.warnings.map((w) => [w.line, w.code])).toEqual([
			[1, 'geojson-centre'],
			[2, 'geojson-centre']
		]);
	});

	it('reads what Excel made of numbers: dates, thousands dots, 0;0 and other headers', () => {
		const dated = importText('Straat;Huisnummer;Postcode\nDorpsstraat;12-feb;6512XY\n');
		expect(dated.errors[0]!.issues.map((i) => i.code)).toEqual(['house-number-date']);

		const dots = importText('Straat;Huisnummer;X;Y\nDorpsstraat;1;187.412;427.915\n');
		expect(dots.errors).toEqual([]);
		expect(dots.rows[0]!.lat).toBeCloseTo(51.8389, 2);

		const zero = importText('Straat;Huisnummer;Postcode;X;Y\nDorpsstraat;1;6512XY;0;0\n');
		expect([zero.errors, zero.rows[0]!.needsGeocoding]).toEqual([[], true]);

		const shortened = importText('Straat;Huisnummer;VHE\nDorpsstraat;1;1,04E+12\n;;\n');
		expect(shortened.warnings.map((w) => w.code)).toEqual(['excel-scientific']);
		expect(shortened.total).toBe(1);

		const unit = previewCsv('Straat;Huisnummer;Eenheidsnummer\nDorpsstraat;1;001234\n');
		expect(unit.proposal.mapping.unitNumber).toBe(2);

		const crossed = previewCsv('Straat;Huisnummer;X;Y\nDorpsstraat;1;51,834781;5,853271\n');
		expect(crossed.proposal.mapping).toMatchObject({ lat: 2, lon: 3 });
		const [row] = applyMapping(crossed.table, crossed.proposal.mapping).rows;
		expect([row!.lon, row!.lat]).toEqual([5.853271, 51.834781]);

		expect(['NL-6512AB', '6512-ab', '6512 AB'].map(normalizePostcode)).toEqual([
			'6512AB',
			'6512AB',
			'6512AB'
		]);
	});

	it('refuses in the preview what the register would refuse, and drops control characters', () => {
		const long = 'x'.repeat(201);
		const result = importText(
			`Straat;Huisnummer;Postcode;VHE\n${long};1;6512XY;1\nDorp\u0000straat;2;6512XY;${'9'.repeat(65)}\nDorp\u0000straat;3;6512XY;3\n`
		);
		expect(result.errors.map((e) => [e.line, e.issues.map((i) => i.code)])).toEqual([
			[2, ['text-too-long']],
			[3, ['text-too-long']]
		]);
		expect(result.rows.map((r) => r.street)).toEqual(['Dorp straat']);
	});
});
