import { describe, expect, it } from 'vitest';
import { applyMapping, previewCsv, type ImportResult } from '../../../src/lib/geo/csv-import';
import { previewGeoJson } from '../../../src/lib/geo/geojson-import';
import { ImportFileError } from '../../../src/lib/geo/issues';
import { zipArchive } from '../../support/xlsx-file';

function importBytes(input: Uint8Array | string): ImportResult {
	const { table, proposal } = previewCsv(input);
	return applyMapping(table, proposal.mapping);
}

function refusal(input: Uint8Array): unknown {
	try {
		previewCsv(input);
	} catch (e) {
		if (e instanceof ImportFileError) return e.issue;
		throw e;
	}
	return 'read';
}

const label = (r: ImportResult) =>
	r.rows.map((a) => `${a.street} ${a.houseNumber}${a.houseLetter ?? ''}|${a.postcode}`);

describe('address files a corporation or a user may choose', () => {
	it('reads a pipe-separated export, with a title line and a quoted pipe in a cell', () => {
		const text =
			'Export vastgoed | complex 104\r\n' +
			'Straat|Huisnummer|Postcode|Woonplaats|Opmerking\r\n' +
			'Kerkstraat|12|6512 AB|Nijmegen|"achterom | via poort"\r\n' +
			'Kerkstraat|12a|6512ab|Nijmegen|\r\n';
		const { table } = previewCsv(new TextEncoder().encode(text));
		expect(table.delimiter).toBe('|');
		expect(table.headers).toEqual(['Straat', 'Huisnummer', 'Postcode', 'Woonplaats', 'Opmerking']);
		const result = importBytes(new TextEncoder().encode(text));
		expect(result.errors).toEqual([]);
		expect(label(result)).toEqual(['Kerkstraat 12|6512AB', 'Kerkstraat 12A|6512AB']);
	});

	it('refuses a binary file chosen by mistake with a reason, instead of a table of junk', () => {
		const pdf = new Uint8Array([
			...new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Length 120 >>\nstream\n'),
			...Array.from({ length: 400 }, (_, i) => (i * 37) % 256)
		]);
		expect(refusal(pdf)).toEqual({ code: 'file-not-text', params: {} });
		// A PNG photo, and an empty ZIP archive ("PK\x05\x06" and zeros).
		const png = new Uint8Array([
			0x89,
			0x50,
			0x4e,
			0x47,
			0x0d,
			0x0a,
			0x1a,
			0x0a,
			...new Array(64).fill(0)
		]);
		expect(refusal(png)).toEqual({ code: 'file-not-text', params: {} });
		expect(refusal(zipArchive([]))).toEqual({ code: 'file-not-text', params: {} });
	});

	it('still reads a text file with a stray control character in one cell', () => {
		const result = importBytes(
			'Straat;Huisnummer;Postcode\r\nKerk\u0000straat;1;6512AB\r\nKerkstraat;2;6512AB\r\n'
		);
		expect(result.errors).toEqual([]);
		expect(label(result)).toEqual(['Kerk straat 1|6512AB', 'Kerkstraat 2|6512AB']);
	});

	it('skips a totals line that counts the rows in the number column, not as an address', () => {
		// Excel's totals row: "Totaal" in the first column (here the street), the count beside it.
		const result = importBytes(
			'Straat;Huisnummer;Postcode\r\nKerkstraat;1;6512AB\r\nKerkstraat;2;6512AB\r\n;;\r\nTotaal;2;\r\n'
		);
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([
			{ code: 'summary-row-skipped', params: { value: 'Totaal' }, line: 5 }
		]);
		expect(label(result)).toEqual(['Kerkstraat 1|6512AB', 'Kerkstraat 2|6512AB']);
		// Or under another column, with the count in the number column.
		const other = importBytes(
			'Complex;Straat;Huisnummer;Postcode\r\n104;Kerkstraat;1;6512AB\r\nEindtotaal;;1;\r\n'
		);
		expect(other.errors).toEqual([]);
		expect(other.rows).toHaveLength(1);
		expect(other.warnings.map((w) => w.code)).toEqual(['summary-row-skipped']);
		// A street whose name starts so, with a postcode, is an address.
		expect(label(importBytes('Straat;Huisnummer;Postcode\r\nTotaal;3;6512AB\r\n'))).toEqual([
			'Totaal 3|6512AB'
		]);
	});

	it('stores half a surrogate pair in a GeoJSON property as a replacement character, not as is', () => {
		// JSON allows "\ud800" on its own; the server refuses such text, so the preview cleans it.
		const json =
			'{"type":"FeatureCollection","features":[{"type":"Feature",' +
			'"geometry":{"type":"Point","coordinates":[5.85,51.84]},' +
			'"properties":{"straat":"Kerk\\ud800straat","huisnummer":1,"plaats":"\\udfffNijmegen","vhe":"10\\ud83d"}}]}';
		const { table, proposal } = previewGeoJson(new TextEncoder().encode(json));
		const [row] = applyMapping(table, proposal.mapping).rows;
		expect(row).toMatchObject({
			street: 'Kerk\ufffdstraat',
			city: '\ufffdNijmegen',
			unitNumber: '10\ufffd'
		});
		expect(row!.street.isWellFormed()).toBe(true);
	});

	it('reads a number or postcode with an invisible character pasted along, and more adres headers', () => {
		const result = importBytes(
			'Straatnaam + huisnummer;Postcode;Plaats\r\n' +
				'Kerkstraat \u200b12;6512\u00a0AB;Nijmegen\r\n' +
				'Kerk\u00adstraat 14\u2060a;\ufeff6512AB;Nijmegen\r\n'
		);
		expect(result.errors).toEqual([]);
		expect(label(result)).toEqual(['Kerkstraat 12|6512AB', 'Kerkstraat 14A|6512AB']);
	});

	it('reads GeoJSON by its named coordinate system, and names one it cannot convert', () => {
		const collection = (crs: string, coordinates: number[]) =>
			JSON.stringify({
				type: 'FeatureCollection',
				crs: { type: 'name', properties: { name: crs } },
				features: [
					{
						type: 'Feature',
						geometry: { type: 'Point', coordinates },
						properties: { straat: 'Kerkstraat', huisnummer: 12, postcode: '6512AB' }
					}
				]
			});
		const place = (json: string) => {
			const { table, proposal } = previewGeoJson(json);
			const result = applyMapping(table, proposal.mapping);
			expect(result.errors).toEqual([]);
			const [row] = result.rows;
			return [Number(row!.lon!.toFixed(4)), Number(row!.lat!.toFixed(4))];
		};
		// Web Mercator metres (as web maps export them) for 5.8523 E, 51.8412 N.
		expect(place(collection('EPSG:3857', [651475.056, 6771463.15]))).toEqual([5.8523, 51.8412]);
		expect(place(collection('urn:ogc:def:crs:EPSG::3857', [651475.056, 6771463.15]))).toEqual([
			5.8523, 51.8412
		]);
		expect(place(collection('urn:ogc:def:crs:OGC:1.3:CRS84', [5.8523, 51.8412]))).toEqual([
			5.8523, 51.8412
		]);
		expect(
			place(collection('http://www.opengis.net/def/crs/EPSG/0/28992', [187136.1, 428140.2]))
		).toEqual([5.8535, 51.8409]);
		// UTM zone 31N: no conversion here, so no address lands in the sea; said by name.
		expect(() => previewGeoJson(collection('EPSG:25831', [690000, 5745000]))).toThrow(
			expect.objectContaining({
				issue: { code: 'geojson-unsupported-crs', params: { name: 'EPSG:25831' } }
			})
		);
	});

	it('shows at most 80 characters of a huge cell or header in the preview, and refuses the row', () => {
		const huge = 'Kerkstraat'.repeat(100_000);
		const { table, proposal } = previewCsv(
			`Straat;Huisnummer;Postcode;${'Opmerking'.repeat(50_000)}\r\n${huge};1;6512AB;x\r\nKerkstraat;2;6512AB;y\r\n`
		);
		const [street, , , remark] = proposal.columns;
		expect(street!.samples.map((s) => s.length)).toEqual([80, 10]);
		expect(street!.samples[0]!.endsWith('…')).toBe(true);
		expect(remark!.header).toHaveLength(80);
		const result = applyMapping(table, proposal.mapping);
		expect(result.errors).toEqual([
			{ line: 2, issues: [{ code: 'text-too-long', params: { field: 'street', max: 200 } }] }
		]);
		expect(result.rows).toHaveLength(1);
	});

	it('names a web page or Excel 2003 XML downloaded as "Excel", instead of reading markup as rows', () => {
		const html = new TextEncoder().encode(
			'<html><head><meta charset="utf-8"></head><body><table><tr><td>Straat</td><td>Huisnummer</td></tr>' +
				'<tr><td>Kerkstraat</td><td>1</td></tr></table></body></html>'
		);
		expect(refusal(html)).toEqual({ code: 'file-is-markup', params: {} });
		const xml = new TextEncoder().encode(
			'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n' +
				'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Blad1"/></Workbook>'
		);
		expect(refusal(xml)).toEqual({ code: 'file-is-markup', params: {} });
	});

	it('reads Windows-1252 text behind a UTF-8 BOM with its accents, not as a binary file', () => {
		const text = 'Straat;Huisnummer;Plaats\r\n' + 'Ëikenlaan;1;’s-Hertogenbosch\r\n'.repeat(5);
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...latin(text)]);
		const { table } = previewCsv(bytes);
		expect(table.encoding).toBe('windows-1252');
		const result = importBytes(bytes);
		expect(result.errors).toEqual([]);
		expect(result.rows[0]).toMatchObject({ street: 'Ëikenlaan', city: '’s-Hertogenbosch' });
	});

	it('finds the header under a long explanation above it (a dozen lines and more)', () => {
		const explanation = Array.from(
			{ length: 14 },
			(_, i) => `Toelichting regel ${i + 1}: zie het handboek, hoofdstuk ${i};;;\r\n`
		).join('');
		const text = `${explanation}Straat;Huisnummer;Postcode;Plaats\r\nKerkstraat;1;6512AB;Nijmegen\r\n`;
		const { table } = previewCsv(text);
		expect(table.headerLine).toBe(15);
		const result = importBytes(text);
		expect(result.errors).toEqual([]);
		expect(result.rows).toMatchObject([{ street: 'Kerkstraat', houseNumber: 1, line: 16 }]);
	});

	it('reads a file whose every line Excel saved as one quoted cell', () => {
		const text =
			'Adressenlijst complex 104\r\n' +
			'"Straat;Huisnummer;Postcode;Plaats"\r\n' +
			'"Kerkstraat;1;6512AB;Nijmegen"\r\n' +
			'\r\n' +
			'"Kerkstraat;2;6512AB;Nijmegen"\r\n';
		const { table } = previewCsv(text);
		expect(table.headers).toEqual(['Straat', 'Huisnummer', 'Postcode', 'Plaats']);
		const result = importBytes(text);
		expect(result.errors).toEqual([]);
		expect(result.rows.map((r) => [r.line, r.houseNumber, r.city])).toEqual([
			[3, 1, 'Nijmegen'],
			[5, 2, 'Nijmegen']
		]);
	});

	it('rejects a row the reader found a stray quote in, as the error list says, instead of storing it too', () => {
		const result = importBytes(
			'Straat,Huisnummer,Postcode\r\n"Kerkstraat 12"A",1,6512AB\r\nKerkstraat,2,6512AB\r\n'
		);
		expect(result.errors.map((e) => e.line)).toEqual([2]);
		expect(result.errors[0]!.issues.map((i) => i.code)).toContain('csv-invalid-quotes');
		expect(result.rows.map((r) => r.line)).toEqual([3]);
		expect(result.total).toBe(2);
	});

	it('places rows by a WKT geometry column or a copied "lat, lon" pair', () => {
		const place = (text: string) => {
			const result = importBytes(text);
			expect(result.errors).toEqual([]);
			return result.rows.map((r) => [Number(r.lon!.toFixed(4)), Number(r.lat!.toFixed(4))]);
		};
		// QGIS "save as CSV" with the geometry as WKT, in RD New and in degrees.
		expect(place('WKT,straat,huisnummer\r\n"POINT (187136.1 428140.2)",Kerkstraat,1\r\n')).toEqual([
			[5.8535, 51.8409]
		]);
		expect(place('geometrie;straat;huisnummer\r\nPOINT(5.8523 51.8412);Kerkstraat;1\r\n')).toEqual([
			[5.8523, 51.8412]
		]);
		// A pair copied from a map, latitude first, with decimal points or commas.
		expect(
			place(
				'Straat;Huisnummer;Coördinaten\r\nKerkstraat;1;51.8412, 5.8523\r\nKerkstraat;2;"51,8413; 5,8524"\r\n'
			)
		).toEqual([
			[5.8523, 51.8412],
			[5.8524, 51.8413]
		]);
		// Two numbers that are no coordinates (a house number range) add no columns.
		const { table } = previewCsv('Straat;Huisnummer;Bereik\r\nKerkstraat;1;12 14\r\n');
		expect(table.headers).toEqual(['Straat', 'Huisnummer', 'Bereik']);
	});

	it('reads one GeoJSON Feature, or a bare list of Features, as a collection of them', () => {
		const feature = {
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [5.8523, 51.8412] },
			properties: { straat: 'Kerkstraat', huisnummer: 1, postcode: '6512 ab' }
		};
		for (const json of [JSON.stringify(feature), JSON.stringify([feature, feature])]) {
			const { table, proposal } = previewGeoJson(json);
			const result = applyMapping(table, proposal.mapping);
			expect(result.errors).toEqual([]);
			expect(result.rows[0]).toMatchObject({ street: 'Kerkstraat', postcode: '6512AB' });
		}
		// A list of something else is still no GeoJSON.
		expect(() => previewGeoJson('[1, 2, 3]')).toThrow(
			expect.objectContaining({ issue: { code: 'geojson-not-collection', params: {} } })
		);
	});
});

/** Text as Windows-1252 bytes (the characters used here: Latin-1 and the curly apostrophe). */
function latin(text: string): number[] {
	return [...text].map((ch) => (ch === '’' ? 0x92 : ch.charCodeAt(0)));
}
