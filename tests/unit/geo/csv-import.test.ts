import { describe, expect, it } from 'vitest';
import {
	applyMapping,
	applyMappingAsync,
	decodeBytes,
	detectDelimiter,
	importCsv,
	previewCsv,
	proposeMapping,
	readCsv,
	validateMapping,
	type ImportProgress
} from '../../../src/lib/geo/csv-import';

/** Windows-1252 bytes for text with only Latin-1 letters (é, ë, ï, ...). */
function cp1252(text: string): Uint8Array {
	return Uint8Array.from(text, (ch) => {
		const code = ch.charCodeAt(0);
		if (code > 0xff || (code >= 0x80 && code < 0xa0)) throw new Error(`not Latin-1: ${ch}`);
		return code;
	});
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(text)]);

describe('decoding', () => {
	it('reads UTF-8 with and without BOM, and Windows-1252 when the bytes are not UTF-8', () => {
		expect(decodeBytes(utf8('Café'))).toEqual({ text: 'Café', encoding: 'utf-8', bom: false });
		expect(decodeBytes(withBom('Café'))).toEqual({ text: 'Café', encoding: 'utf-8', bom: true });
		expect(decodeBytes(cp1252('Café geïnteresseerd'))).toEqual({
			text: 'Café geïnteresseerd',
			encoding: 'windows-1252',
			bom: false
		});
		// The euro sign is 0x80 in Windows-1252 (not the C1 control of ISO-8859-1).
		expect(decodeBytes(Uint8Array.from([0x80, 0x20, 0x35, 0x20, 0x93, 0x61, 0x94])).text).toBe(
			'€ 5 “a”'
		);
	});

	it('reads UTF-16 with BOM (Excel "Unicode text")', () => {
		const s = 'straat\thuisnummer';
		const bytes = new Uint8Array(2 + s.length * 2);
		bytes.set([0xff, 0xfe]);
		for (let i = 0; i < s.length; i++) bytes[2 + i * 2] = s.charCodeAt(i);
		expect(decodeBytes(bytes)).toEqual({ text: s, encoding: 'utf-16le', bom: true });
	});

	it('reads UTF-16 without a BOM, little- and big-endian', () => {
		const s = 'straat;huisnummer;woonplaats\nSweelinckstraat;12;Nijmegen\nCafé-straat;3;Lent';
		const le = new Uint8Array(s.length * 2);
		const be = new Uint8Array(s.length * 2);
		for (let i = 0; i < s.length; i++) {
			le[i * 2] = s.charCodeAt(i);
			be[i * 2 + 1] = s.charCodeAt(i);
		}
		expect(decodeBytes(le)).toEqual({ text: s, encoding: 'utf-16le', bom: false });
		expect(decodeBytes(be)).toEqual({ text: s, encoding: 'utf-16be', bom: false });
	});
});

describe('delimiter detection', () => {
	it('uses the header line, so decimal commas in the data do not mislead it', () => {
		expect(detectDelimiter('straat;huisnummer;lat;lon')).toBe(';');
		expect(detectDelimiter('straat,huisnummer,lat,lon')).toBe(',');
		expect(detectDelimiter('straat\thuisnummer')).toBe('\t');
		expect(detectDelimiter('"straat, naam";huisnummer')).toBe(';');
		expect(detectDelimiter('straat')).toBe(',');
		expect(detectDelimiter('Adressenlijst\nlat;lon\n51,8321;5,8712')).toBe(';');
	});
});

describe('Dutch Excel CSV (Windows-1252, semicolons, decimal commas)', () => {
	const file = cp1252(
		[
			'Straatnaam;Huisnr.;Toevoeging;POSTCODE;Plaats;Breedtegraad;Lengtegraad;Complexnummer;Opmerking',
			'Sweelinckstraat;12;;6521 ca;Nijmegen;51,8321;5,8712;C-104;geïnteresseerd',
			'Sweelinckstraat;12a;2;6521CA;Nijmegen;51,83215;5,87125;C-104;',
			'Dunklerstraat;3;;6521cb;Nijmegen;;;C-104;café om de hoek',
			''
		].join('\r\n')
	);

	it('proposes a mapping from Dutch headers, case-insensitively', () => {
		const { table, proposal } = previewCsv(file);
		expect(table.encoding).toBe('windows-1252');
		expect(table.delimiter).toBe(';');
		expect(proposal.mapping).toEqual({
			street: 0,
			houseNumber: 1,
			addition: 2,
			postcode: 3,
			city: 4,
			lat: 5,
			lon: 6,
			complexNumber: 7
		});
		expect(proposal.missing).toEqual([]);
		expect(proposal.hasCoordinates).toBe(true);
		const remark = proposal.columns[8]!;
		expect(remark).toMatchObject({ header: 'Opmerking', field: null, reason: null });
		expect(remark.samples).toEqual(['geïnteresseerd', 'café om de hoek']);
	});

	it('imports rows: postcodes normalised, decimal commas, 12a split, missing coordinates flagged', async () => {
		const result = await importCsv(file);
		expect(result.errors).toEqual([]);
		expect(result.total).toBe(3);
		expect(result.rows).toEqual([
			{
				line: 2,
				street: 'Sweelinckstraat',
				houseNumber: 12,
				houseLetter: null,
				addition: null,
				postcode: '6521CA',
				city: 'Nijmegen',
				lat: 51.8321,
				lon: 5.8712,
				bagId: null,
				complexNumber: 'C-104',
				unitNumber: null,
				needsGeocoding: false
			},
			expect.objectContaining({
				line: 3,
				houseNumber: 12,
				houseLetter: 'A',
				addition: '2',
				lat: 51.83215,
				lon: 5.87125
			}),
			expect.objectContaining({
				line: 4,
				street: 'Dunklerstraat',
				postcode: '6521CB',
				lat: null,
				lon: null,
				needsGeocoding: true
			})
		]);
		expect(result.needsGeocoding).toBe(1);
	});
});

describe('UTF-8 with BOM, commas, quotes', () => {
	it('keeps line numbers as in the file when a quoted cell spans lines and blank lines occur', () => {
		const text = [
			'straat,nr,huisletter,postcode,woonplaats,lat,lon',
			'"Willem Heijdtstraat",4,,6521 CB,Nijmegen,51.832,5.873',
			'"Richard Holstraat, achterom",7,b,6521CC,"Nij',
			'megen",51.833,5.874',
			'',
			'Obrechtstraat,abc,,6521CD,Nijmegen,,',
			'Valeriusstraat,5,,65 21,Nijmegen,,',
			',8,,6521CE,Nijmegen,,',
			'Verhulststraat,9,,6521CF,Nijmegen,51.83,',
			'Diepenbrockstraat,10,,6521CG,Nijmegen,51.83,5.87'
		].join('\n');
		const table = readCsv(withBom(text));
		expect(table.encoding).toBe('utf-8');
		expect(table.delimiter).toBe(',');
		const proposal = proposeMapping(table);
		expect(proposal.mapping).toMatchObject({ street: 0, houseNumber: 1, houseLetter: 2 });
		const result = applyMapping(table, proposal.mapping);
		expect(result.rows.map((r) => [r.line, r.street, r.houseLetter, r.city])).toEqual([
			[2, 'Willem Heijdtstraat', null, 'Nijmegen'],
			[3, 'Richard Holstraat, achterom', 'B', 'Nij megen'],
			[10, 'Diepenbrockstraat', null, 'Nijmegen']
		]);
		expect(result.errors.map((e) => e.line)).toEqual([6, 7, 8, 9]);
		expect(result.errors[0]!.issues).toContainEqual({
			code: 'house-number-invalid',
			params: { value: 'abc' }
		});
		expect(result.errors[1]!.issues).toContainEqual({
			code: 'postcode-invalid',
			params: { value: '65 21' }
		});
		expect(result.errors[2]!.issues).toContainEqual({ code: 'street-missing', params: {} });
		expect(result.errors[3]!.issues).toContainEqual({
			code: 'coordinate-incomplete',
			params: { system: 'wgs84' }
		});
		expect(result.total).toBe(7);
	});

	it('reports an unclosed quote with its line', () => {
		const table = readCsv('straat;huisnummer\nA-straat;1\n"B-straat;2\nC-straat;3\n');
		expect(table.errors).toEqual([expect.objectContaining({ line: 3 })]);
		expect(table.errors[0]!.code).toBe('csv-unclosed-quote');
	});
});

describe('awkward variants', () => {
	it("honours Excel's sep= line (header is then line 2)", () => {
		const table = readCsv('sep=;\r\nstraat;huisnummer;lat;lon\r\nSweelinckstraat;1;51,83;5,87\r\n');
		expect(table.delimiter).toBe(';');
		const result = applyMapping(table, proposeMapping(table).mapping);
		expect(result.rows).toEqual([expect.objectContaining({ line: 3, lat: 51.83, lon: 5.87 })]);
	});

	it('skips title lines above the header', () => {
		const table = readCsv(
			[
				'Adressenlijst complex 104',
				'Peildatum 1-3-2024;;;',
				'',
				'Straat;Huisnummer;Postcode;Lat',
				'Sweelinckstraat;12;6521CA;51,83'
			].join('\r\n')
		);
		expect(table.delimiter).toBe(';');
		expect(table.headerLine).toBe(4);
		expect(table.headers).toEqual(['Straat', 'Huisnummer', 'Postcode', 'Lat']);
		expect(table.rows).toEqual([{ line: 5, cells: ['Sweelinckstraat', '12', '6521CA', '51,83'] }]);
	});

	it('converts RD x/y (rd_x/rd_y, Dutch decimals) to WGS84', () => {
		const text =
			'straat;huisnummer;postcode;rd_x;rd_y\nArend Noorduijnstraat;1;6512BK;187136,056;428140,256\n';
		const table = readCsv(text);
		const proposal = proposeMapping(table);
		expect(proposal.mapping).toMatchObject({ rdX: 3, rdY: 4 });
		const [row] = applyMapping(table, proposal.mapping).rows;
		expect(row!.lon).toBeCloseTo(5.85351525, 5);
		expect(row!.lat).toBeCloseTo(51.84092097, 5);
	});

	it('accepts x/y headers, swapped lat/lon and RD metres in lat/lon columns, with warnings', () => {
		const text = [
			'straat;huisnummer;x;y;lat;lon',
			'A-straat;1;187136,056;428140,256;;',
			'B-straat;2;;;5,87;51,83',
			'C-straat;3;;;428140,256;187136,056'
		].join('\n');
		const result = applyMapping(readCsv(text), proposeMapping(readCsv(text)).mapping);
		expect(result.errors).toEqual([]);
		expect(result.rows.map((r) => [r.lat!.toFixed(3), r.lon!.toFixed(3)])).toEqual([
			['51.841', '5.854'],
			['51.830', '5.870'],
			['51.841', '5.854']
		]);
		expect(result.warnings.map((w) => w.line)).toEqual([3, 4]);
		expect(result.warnings.map((w) => w.code)).toEqual(['latlon-swapped', 'rd-in-latlon']);
	});

	it('warns about RD metres that lie outside the Netherlands, as it does for degrees', () => {
		const text = [
			'straat;huisnummer;X-coördinaat (RD);Y-coördinaat (RD)',
			'Sweelinckstraat;1;187136;428140',
			'Grensweg;2;12000;300000'
		].join('\n');
		const result = applyMapping(readCsv(text), proposeMapping(readCsv(text)).mapping);
		expect(result.errors).toEqual([]);
		expect(result.rows).toHaveLength(2);
		expect(result.warnings.map((w) => [w.line, w.code])).toEqual([[3, 'outside-nl']]);
	});

	it('maps synonyms: nummeraanduiding_id, huisnummertoevoeging, latitude/longitude, complex', () => {
		const table = readCsv(
			'Straat,Huisnummer,Huisletter,Huisnummertoevoeging,Postcode,Woonplaats,Latitude,Longitude,nummeraanduiding_id,Complex\n' +
				'Sweelinckstraat,12,a,bis,6521CA,Nijmegen,51.8321,5.8712,268200000002093,104\n'
		);
		const { mapping, missing } = proposeMapping(table);
		expect(missing).toEqual([]);
		expect(Object.keys(mapping).sort()).toEqual(
			[
				'street',
				'houseNumber',
				'houseLetter',
				'addition',
				'postcode',
				'city',
				'lat',
				'lon',
				'bagId',
				'complexNumber'
			].sort()
		);
		const [row] = applyMapping(table, mapping).rows;
		expect(row).toMatchObject({
			houseLetter: 'A',
			addition: 'bis',
			bagId: '0268200000002093',
			complexNumber: '104'
		});
	});

	it('reports a letter in the number that conflicts with the letter column', () => {
		const table = readCsv(
			'straat;huisnummer;huisletter\nA-straat;12a;b\nB-straat;12a;\nC-straat;12a;A\n'
		);
		const result = applyMapping(table, proposeMapping(table).mapping);
		expect(result.errors).toEqual([
			{
				line: 2,
				issues: [{ code: 'letter-conflict', params: { inNumber: 'A', inColumn: 'B' } }]
			}
		]);
		expect(result.rows.map((r) => r.houseLetter)).toEqual(['A', 'A']);
	});

	it('guesses the postcode column from its contents, and lets the user change the mapping', () => {
		const table = readCsv(
			'straat omschrijving;nummer;pc4 en letters;plaats\nSweelinckstraat;1;6521CA;Nijmegen\n'
		);
		const proposal = proposeMapping(table);
		expect(proposal.missing).toEqual(['street']);
		expect(proposal.columns[2]).toMatchObject({ field: 'postcode', reason: 'content' });
		expect(validateMapping(proposal.mapping, 4)).toEqual(['Kies een kolom voor Straat.']);
		const mapping = { ...proposal.mapping, street: 0 };
		expect(validateMapping(mapping, 4)).toEqual([]);
		expect(validateMapping({ ...mapping, city: 0 }, 4)).toHaveLength(1);
		const result = applyMapping(table, mapping);
		expect(result.rows[0]).toMatchObject({
			street: 'Sweelinckstraat',
			postcode: '6521CA',
			city: 'Nijmegen'
		});
	});

	it('splits a combined adres column into street and number', () => {
		const table = readCsv(
			[
				'Adres;Postcode;Woonplaats',
				'Sweelinckstraat 12a-2;6521CA;Nijmegen',
				'43e Straat 12 B;6537AB;Nijmegen',
				'Plein 1944 5;6511JE;Nijmegen',
				'Sweelinckstraat;6521CA;Nijmegen'
			].join('\n')
		);
		const proposal = proposeMapping(table);
		expect(proposal.mapping).toMatchObject({ streetAndNumber: 0, postcode: 1, city: 2 });
		expect(proposal.missing).toEqual([]);
		const result = applyMapping(table, proposal.mapping);
		expect(result.rows.map((r) => [r.street, r.houseNumber, r.houseLetter, r.addition])).toEqual([
			['Sweelinckstraat', 12, 'A', '2'],
			['43e Straat', 12, 'B', null],
			['Plein 1944', 5, null, null]
		]);
		expect(result.errors).toEqual([
			{
				line: 5,
				issues: expect.arrayContaining([
					{ code: 'address-without-number', params: { value: 'Sweelinckstraat' } }
				])
			}
		]);
		// A street-only adres column next to a number column.
		const streetOnly = readCsv('adres;huisnummer\nSweelinckstraat;14\n');
		expect(applyMapping(streetOnly, proposeMapping(streetOnly).mapping).rows[0]).toMatchObject({
			street: 'Sweelinckstraat',
			houseNumber: 14
		});
	});

	it('splits postcode and place written in one column, by its header or its contents', () => {
		const byHeader = readCsv(
			[
				'Adres;Postcode en plaats',
				'Sweelinckstraat 12 A;6521 AB  NIJMEGEN',
				'Dr. de Blécourtstraat 3 bis;6521AB, Nijmegen',
				'Sweelinckstraat 14;Nijmegen'
			].join('\n')
		);
		const proposal = proposeMapping(byHeader);
		expect(proposal.mapping).toMatchObject({ streetAndNumber: 0, postcodeAndCity: 1 });
		const result = applyMapping(byHeader, proposal.mapping);
		expect(result.rows.map((r) => [r.street, r.houseNumber, r.postcode, r.city])).toEqual([
			['Sweelinckstraat', 12, '6521AB', 'NIJMEGEN'],
			['Dr. de Blécourtstraat', 3, '6521AB', 'Nijmegen']
		]);
		// A cell without a postcode in front is not guessed at: the row says why.
		expect(result.errors).toEqual([
			{ line: 4, issues: [{ code: 'postcode-invalid', params: { value: 'Nijmegen' } }] }
		]);

		// No telling header ("Kolom2"): the values show it.
		const byContents = readCsv('Straat;Nr;Kolom2\nSweelinckstraat;12;6521 AB Nijmegen\n');
		const guessed = proposeMapping(byContents);
		expect(guessed.mapping.postcodeAndCity).toBe(2);
		expect(guessed.columns[2]!.reason).toBe('content');
		expect(applyMapping(byContents, guessed.mapping).rows[0]).toMatchObject({
			postcode: '6521AB',
			city: 'Nijmegen'
		});
	});

	it('takes a whole number written as a decimal ("12.0", "12,0") as the house number', () => {
		const table = readCsv('straat;huisnummer\nA-straat;12.0\nA-straat;14,0\nA-straat;12.5\n');
		const result = applyMapping(table, proposeMapping(table).mapping);
		expect(result.rows.map((r) => r.houseNumber)).toEqual([12, 14]);
		expect(result.errors).toEqual([
			{ line: 4, issues: [{ code: 'house-number-invalid', params: { value: '12.5' } }] }
		]);
	});

	it("skips an export's totals line with a warning, not as a rejected row", () => {
		const table = readCsv(
			[
				'Eenheid;Straat;Huisnummer;Postcode',
				'1;Sweelinckstraat;12;6521AB',
				'2;Sweelinckstraat;14;6521AB',
				'',
				'Totaal: 2;;;',
				';;;Aantal eenheden 2',
				// A row without an address that is no totals line stays an error.
				'3;;;6521AB'
			].join('\n')
		);
		const result = applyMapping(table, proposeMapping(table).mapping);
		expect(result.rows).toHaveLength(2);
		expect(result.total).toBe(3);
		expect(result.warnings).toEqual([
			{ code: 'summary-row-skipped', params: { value: 'Totaal: 2' }, line: 5 },
			{ code: 'summary-row-skipped', params: { value: 'Aantal eenheden 2' }, line: 6 }
		]);
		expect(result.errors.map((e) => e.line)).toEqual([7]);
	});

	it('skips rows that are entirely empty (;;;) without errors', () => {
		const table = readCsv('straat;huisnummer;postcode\n;;\nA-straat;1;6521CA\n ; ; \n');
		const result = applyMapping(table, proposeMapping(table).mapping);
		expect(result.errors).toEqual([]);
		expect(result.total).toBe(1);
		expect(result.rows[0]!.line).toBe(3);
	});
});

describe('20,000 rows', () => {
	it('parses a 20,000-row semicolon file with progress reports', async () => {
		const streets = [
			'Sweelinckstraat',
			'Dunklerstraat',
			'Obrechtstraat',
			'Verhulststraat',
			'Valeriusstraat'
		];
		const lines = ['Straat;Huisnummer;Huisletter;Postcode;Woonplaats;Breedtegraad;Lengtegraad'];
		for (let i = 0; i < 20_000; i++) {
			const n = (i % 400) + 1;
			const letter = i % 7 === 0 ? 'b' : '';
			const pc = `${6500 + Math.floor(i / 400)} ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i >> 5) % 26))}`;
			const lat = (51.83 + (i % 1000) * 1e-5).toFixed(6).replace('.', ',');
			const lon = (5.87 + (i % 997) * 1e-5).toFixed(6).replace('.', ',');
			lines.push(`${streets[i % streets.length]};${n};${letter};${pc};Nijmegen;${lat};${lon}`);
		}
		const bytes = cp1252(lines.join('\r\n') + '\r\n');
		const table = readCsv(bytes);
		expect(table.rows).toHaveLength(20_000);
		const progress: ImportProgress[] = [];
		const result = await applyMappingAsync(table, proposeMapping(table).mapping, {
			chunkSize: 2500,
			onProgress: (p) => progress.push(p)
		});
		expect(result.errors).toEqual([]);
		expect(result.rows).toHaveLength(20_000);
		expect(result.needsGeocoding).toBe(0);
		expect(progress).toHaveLength(8);
		expect(progress.at(-1)).toEqual({ done: 20_000, total: 20_000 });
		const last = result.rows.at(-1)!;
		expect(last.line).toBe(20_001);
		expect(last.postcode).toMatch(/^\d{4}[A-Z]{2}$/);
		expect(result.rows[7]).toMatchObject({ line: 9, houseNumber: 8, houseLetter: 'B' });
	});

	it('can be aborted between chunks', async () => {
		const lines = ['straat;huisnummer'];
		for (let i = 1; i <= 1000; i++) lines.push(`A-straat;${i}`);
		const table = readCsv(lines.join('\n'));
		const controller = new AbortController();
		const run = applyMappingAsync(
			table,
			{ street: 0, houseNumber: 1 },
			{
				chunkSize: 100,
				signal: controller.signal,
				onProgress: (p) => {
					if (p.done === 300) controller.abort(new Error('gestopt'));
				}
			}
		);
		await expect(run).rejects.toThrow('gestopt');
	});
});
