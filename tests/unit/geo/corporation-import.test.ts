import { describe, expect, it } from 'vitest';
import { applyMapping, coordinateKind, previewCsv, readCsv } from '../../../src/lib/geo/csv-import';
import { mergeImport } from '../../../src/lib/geo/merge';

/** Windows-1252 bytes for text with only Latin-1 letters (ö, ä, ², ...). */
function cp1252(text: string): Uint8Array {
	return Uint8Array.from(text, (ch) => {
		const code = ch.charCodeAt(0);
		if (code > 0xff || (code >= 0x80 && code < 0xa0)) throw new Error(`not Latin-1: ${ch}`);
		return code;
	});
}

/** A housing corporation's own export, as Dutch Excel writes it. */
const CORPORATION = [
	'Complexnr;VHE-nummer;Straat;Huisnr.;Huisnr. toev.;Postcode;Plaats;X-coördinaat (RD);Y-coördinaat (RD);Oppervlakte m²;Bouwjaar',
	'104;1040001;Händelstraat;1;;6521 CB;Nijmegen;187412,50;427915,25;72;1931',
	'104;1040002;Händelstraat;3;;6521 CB;Nijmegen;187420,00;427917,75;68;1931',
	'104;1040003;Händelstraat;5;1;6521 CB;Nijmegen;187428,10;427920,00;54;1931',
	'104;1040004;Händelstraat;5;2;6521 CB;Nijmegen;187428,10;427920,00;54;1931',
	'104;1040002;Händelstraat;3;;6521CB;Nijmegen;187420,00;427917,75;68;1931'
].join('\r\n');

describe("a corporation's export (Windows-1252, semicolons, RD columns, VHE numbers)", () => {
	it('maps the RD columns, the unit number and "Huisnr. toev." by their names', () => {
		const { table, proposal } = previewCsv(cp1252(CORPORATION));
		expect(table.encoding).toBe('windows-1252');
		expect(table.headers[7]).toBe('X-coördinaat (RD)');
		expect(proposal.mapping).toMatchObject({
			complexNumber: 0,
			unitNumber: 1,
			street: 2,
			houseNumber: 3,
			addition: 4,
			postcode: 5,
			city: 6,
			rdX: 7,
			rdY: 8
		});
		expect(proposal.hasCoordinates).toBe(true);
		// Neither the floor area nor the building year is taken for a coordinate.
		expect(proposal.columns[9]!.field).toBeNull();
		expect(proposal.columns[10]!.field).toBeNull();

		const result = applyMapping(table, proposal.mapping);
		expect(result.errors).toEqual([]);
		expect(result.needsGeocoding).toBe(0);
		expect(result.rows[0]).toMatchObject({
			street: 'Händelstraat',
			houseNumber: 1,
			postcode: '6521CB',
			complexNumber: '104',
			unitNumber: '1040001'
		});
		expect(result.rows[0]!.lon).toBeCloseTo(5.8575, 3);
		expect(result.rows[0]!.lat).toBeCloseTo(51.8389, 3);
		expect(result.rows.map((r) => r.addition)).toEqual([null, null, '1', '2', null]);

		// The repeated last line is one merge; 5-1 and 5-2 are two dwellings.
		const merge = mergeImport([], result.rows);
		expect([merge.added.length, merge.merged]).toEqual([4, 1]);
		expect(merge.added.map((a) => a.unitNumber)).toEqual([
			'1040001',
			'1040002',
			'1040003',
			'1040004'
		]);
	});

	it('finds RD columns by their values when the headers say nothing', () => {
		const text = [
			'Adres;Bouwjaar;Oost;Noord',
			'Händelstraat 1;1931;187412,5;427915,25',
			'Händelstraat 3;1931;187420;427917,75'
		].join('\n');
		const { table, proposal } = previewCsv(cp1252(text));
		expect(proposal.mapping).toMatchObject({ streetAndNumber: 0, rdX: 2, rdY: 3 });
		expect(proposal.columns[2]).toMatchObject({ field: 'rdX', reason: 'content' });
		expect(proposal.columns[1]!.field).toBeNull();
		const [row] = applyMapping(table, proposal.mapping).rows;
		expect(row!.lat).toBeCloseTo(51.8389, 3);
	});

	it('tells WGS84 degrees from RD metres, also under an RD-like header', () => {
		const degrees = readCsv(
			'straat;huisnummer;X-coördinaat;Y-coördinaat\nHändelstraat;1;5,855213;51,831790\n'
		);
		const proposal = previewCsv(
			'straat;huisnummer;X-coördinaat;Y-coördinaat\nHändelstraat;1;5,855213;51,831790\n'
		).proposal;
		expect(proposal.mapping).toMatchObject({ lon: 2, lat: 3 });
		expect(proposal.mapping.rdX).toBeUndefined();
		const [row] = applyMapping(degrees, proposal.mapping).rows;
		expect([row!.lon, row!.lat]).toEqual([5.855213, 51.83179]);

		const unnamed = previewCsv('straat;nr;a;b\nHändelstraat;1;51,831790;5,855213\n').proposal;
		expect(unnamed.mapping).toMatchObject({ lat: 2, lon: 3 });
	});

	it('proposes no coordinates from small numbers or mixed columns', () => {
		const { proposal } = previewCsv(
			'straat;huisnummer;kamers;oppervlakte;code\nA-straat;1;4;72,5;187412\nB-straat;2;3;3,5;abc\n'
		);
		expect(proposal.hasCoordinates).toBe(false);
		const table = readCsv('a\n5,87\n');
		expect(coordinateKind(table, 0)).toBeNull(); // two decimals: not degrees
		expect(coordinateKind(readCsv('a\n431000\n'), 0)).toBe('rdY');
	});
});
