import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { applyMapping } from '../../../src/lib/geo/import';
import { ImportFileError } from '../../../src/lib/geo/issues';
import { isXlsx, previewXlsx } from '../../../src/lib/geo/xlsx-import';

type Sheets = Parameters<typeof writeExcelFile>[0];

/** A workbook as Excel writes it (write-excel-file makes a real .xlsx). */
async function workbook(sheets: Sheets): Promise<Uint8Array> {
	return new Uint8Array(await writeExcelFile(sheets).toBuffer());
}

async function issueOf(bytes: Uint8Array): Promise<string> {
	try {
		await previewXlsx(bytes);
	} catch (e) {
		if (e instanceof ImportFileError) return e.issue.code;
		throw e;
	}
	return 'none';
}

describe('Excel workbook (.xlsx)', () => {
	it("reads a corporation's export: cover sheet, title rows, numbers as stored, VHE and RD", async () => {
		const bytes = await workbook([
			{ sheet: 'Toelichting', data: [['Export uit het vastgoedsysteem'], [null], ['Zie blad 2']] },
			{
				sheet: 'Adressen',
				data: [
					['Overzicht verhuureenheden complex 1234'],
					[null],
					[
						'VHE-nummer',
						'Straat',
						'Huisnummer',
						'Toevoeging',
						'Postcode',
						'Plaats',
						'X-coördinaat (RD)',
						'Y-coördinaat (RD)',
						'Nummeraanduiding ID'
					],
					[
						100234,
						'Sweelinckstraat',
						12,
						'A',
						'6521 AB',
						'Nijmegen',
						187136.056,
						428140.256,
						268200000012345
					],
					[null, null, null, null, null, null, null, null, null],
					[100235, 'Sweelinckstraat', 14, 2, '6521AB', 'Nijmegen', 187146.1, 428150.2, null]
				]
			}
		]);
		expect(isXlsx(bytes)).toBe(true);
		const { table, proposal } = await previewXlsx(bytes);
		expect(table.sheet).toBe('Adressen');
		expect(table.headerLine).toBe(3);
		expect(proposal.mapping).toMatchObject({
			unitNumber: 0,
			street: 1,
			houseNumber: 2,
			addition: 3,
			postcode: 4,
			city: 5,
			rdX: 6,
			rdY: 7,
			bagId: 8
		});
		const result = applyMapping(table, proposal.mapping);
		expect(result.errors).toEqual([]);
		expect(result.rows.map((r) => r.line)).toEqual([4, 6]);
		expect(result.rows[0]).toMatchObject({
			unitNumber: '100234',
			street: 'Sweelinckstraat',
			houseNumber: 12,
			houseLetter: 'A',
			postcode: '6521AB',
			// The leading zero a number cell loses comes back.
			bagId: '0268200000012345',
			needsGeocoding: false
		});
		// RD (187136.056, 428140.256) is WGS84 (5.85351525, 51.84092097).
		expect(result.rows[0]!.lon).toBeCloseTo(5.85351525, 6);
		expect(result.rows[0]!.lat).toBeCloseTo(51.84092097, 6);
		expect(result.rows[1]).toMatchObject({ houseNumber: 14, addition: '2' });
	});

	it('names a house number that Excel turned into a date', async () => {
		const bytes = await workbook([
			{
				sheet: 'Blad1',
				data: [
					['Straat', 'Huisnummer', 'Postcode'],
					['Sweelinckstraat', { value: new Date(Date.UTC(2026, 1, 12)), format: 'd-mmm' }, '6521AB']
				]
			}
		]);
		const { table, proposal } = await previewXlsx(bytes);
		const result = applyMapping(table, proposal.mapping);
		expect(result.rows).toEqual([]);
		expect(result.errors[0]!.issues).toContainEqual({
			code: 'house-number-date',
			params: { value: '12-feb' }
		});
	});

	it('refuses the old .xls format and a ZIP that is no workbook, with words a user can act on', async () => {
		const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
		expect(await issueOf(xls)).toBe('file-is-old-excel');
		const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0]);
		expect(await issueOf(zip)).toBe('file-unreadable-workbook');
	});
});
