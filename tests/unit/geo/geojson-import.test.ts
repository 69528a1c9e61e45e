import { describe, expect, it } from 'vitest';
import {
	GeoJsonImportError,
	importGeoJson,
	previewGeoJson,
	readGeoJson
} from '../../../src/lib/geo/geojson-import';

const point = (coordinates: number[] | null, properties: Record<string, unknown>) => ({
	type: 'Feature',
	geometry: coordinates ? { type: 'Point', coordinates } : null,
	properties
});

describe('GeoJSON point import', () => {
	const collection = {
		type: 'FeatureCollection',
		features: [
			point([5.8712, 51.8321], {
				straatnaam: 'Sweelinckstraat',
				huisnummer: 12,
				huisletter: 'a',
				postcode: '6521 ca',
				woonplaats: 'Nijmegen',
				nummeraanduiding_id: '0268200000012345',
				complexnummer: 104
			}),
			point(null, { straatnaam: 'Dunklerstraat', huisnummer: '3', postcode: '6521CB' }),
			{
				type: 'Feature',
				geometry: {
					type: 'LineString',
					coordinates: [
						[5, 51],
						[6, 52]
					]
				},
				properties: {}
			},
			point([5.87, 51.83], { straatnaam: 'Obrechtstraat', huisnummer: 0 }),
			'not a feature',
			point([5.87], { straatnaam: 'Obrechtstraat', huisnummer: 1 })
		]
	};

	it('proposes geometry for the coordinates and property names for the rest', () => {
		const { table, proposal } = previewGeoJson(JSON.stringify(collection));
		expect(table.headers.slice(0, 2)).toEqual(['geometrie lon', 'geometrie lat']);
		expect(proposal.mapping).toMatchObject({
			lon: 0,
			lat: 1,
			street: 2,
			houseNumber: 3,
			houseLetter: 4,
			postcode: 5,
			city: 6,
			bagId: 7,
			complexNumber: 8
		});
		expect(proposal.columns[0]!.reason).toBe('source');
	});

	it('produces the same records as the CSV import, with feature numbers as lines', async () => {
		const result = await importGeoJson(new TextEncoder().encode(JSON.stringify(collection)));
		expect(result.rows).toEqual([
			{
				line: 1,
				street: 'Sweelinckstraat',
				houseNumber: 12,
				houseLetter: 'A',
				addition: null,
				postcode: '6521CA',
				city: 'Nijmegen',
				lon: 5.8712,
				lat: 51.8321,
				bagId: '0268200000012345',
				complexNumber: '104',
				unitNumber: null,
				needsGeocoding: false
			},
			expect.objectContaining({ line: 2, street: 'Dunklerstraat', needsGeocoding: true })
		]);
		expect(result.needsGeocoding).toBe(1);
		expect(result.errors).toEqual([
			{ line: 3, issues: [{ code: 'geojson-not-point', params: { type: 'LineString' } }] },
			{
				line: 4,
				issues: expect.arrayContaining([
					{ code: 'house-number-out-of-range', params: { value: '0' } }
				])
			},
			{ line: 5, issues: [{ code: 'geojson-not-feature', params: {} }] },
			{ line: 6, issues: [{ code: 'geojson-bad-coordinates', params: {} }] }
		]);
	});

	it('converts RD New coordinates when the legacy crs member says EPSG:28992', async () => {
		const rd = {
			type: 'FeatureCollection',
			crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } },
			features: [
				point([187136.056, 428140.256], {
					Straat: 'Arend Noorduijnstraat',
					Huisnummer: 1,
					Postcode: '6512BK'
				})
			]
		};
		const table = readGeoJson(rd);
		expect(table.headers.slice(0, 2)).toEqual(['geometrie x (RD)', 'geometrie y (RD)']);
		const [row] = (await importGeoJson(rd)).rows;
		expect(row!.lon).toBeCloseTo(5.85351525, 5);
		expect(row!.lat).toBeCloseTo(51.84092097, 5);
	});

	it('recognises RD coordinates without a crs member', () => {
		const table = readGeoJson({
			type: 'FeatureCollection',
			features: [point([187136.056, 428140.256], { straat: 'A', huisnummer: 1 })]
		});
		expect(table.presetMapping).toEqual({ rdX: 0, rdY: 1 });
	});

	it('rejects input that is not a FeatureCollection', () => {
		expect(() => readGeoJson('{')).toThrow(GeoJsonImportError);
		expect(() => readGeoJson({ type: 'Feature' })).toThrow(GeoJsonImportError);
		const codeOf = (input: unknown) => {
			try {
				readGeoJson(input);
			} catch (e) {
				return (e as GeoJsonImportError).issue.code;
			}
			return null;
		};
		expect(codeOf('{')).toBe('geojson-invalid-json');
		expect(codeOf({ type: 'Feature' })).toBe('geojson-not-collection');
	});
});
