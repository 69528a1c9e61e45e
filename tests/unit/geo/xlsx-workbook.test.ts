import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { applyMapping } from '../../../src/lib/geo/import';
import { ImportFileError } from '../../../src/lib/geo/issues';
import { MAX_UNPACKED_BYTES } from '../../../src/lib/geo/xlsx-archive';
import { previewXlsx } from '../../../src/lib/geo/xlsx-import';
import { xlsxWorkbook, zipArchive } from '../../support/xlsx-file';

async function issueOf(bytes: Uint8Array): Promise<unknown> {
	try {
		await previewXlsx(bytes);
	} catch (e) {
		if (e instanceof ImportFileError) return e.issue;
		throw e;
	}
	return 'none';
}

async function addresses(bytes: Uint8Array) {
	const { table, proposal } = await previewXlsx(bytes);
	const result = applyMapping(table, proposal.mapping);
	return {
		sheet: table.sheet,
		errors: result.errors,
		rows: result.rows.map((r) => `${r.street} ${r.houseNumber}${r.houseLetter ?? ''}`)
	};
}

const HEADER = ['Straat', 'Huisnummer', 'Postcode'];

describe('Excel workbooks as corporations send them', () => {
	it('reads the visible sheet, not a hidden one before it', async () => {
		const bytes = xlsxWorkbook([
			{
				name: 'Oud (verborgen)',
				hidden: true,
				rows: [HEADER, ['Oudestraat', 1, '6511AA'], ['Oudestraat', 2, '6511AA']]
			},
			{ name: 'Adressen', rows: [HEADER, ['Kerkstraat', 1, '6512AB']] }
		]);
		expect(await addresses(bytes)).toEqual({
			sheet: 'Adressen',
			errors: [],
			rows: ['Kerkstraat 1']
		});
	});

	it('reads a hidden sheet only when no visible sheet has a header row', async () => {
		const bytes = xlsxWorkbook([
			{ name: 'Toelichting', rows: [['Dit bestand bevat de adressen van complex 104']] },
			{ name: 'Data', hidden: true, rows: [HEADER, ['Kerkstraat', 3, '6512AB']] }
		]);
		expect((await addresses(bytes)).rows).toEqual(['Kerkstraat 3']);
	});

	it('passes over a chart sheet before the data (it made the whole workbook unreadable)', async () => {
		const bytes = xlsxWorkbook([
			{ name: 'Grafiek', chart: true, rows: [] },
			{ name: 'Adressen', rows: [HEADER, ['Kerkstraat', 1, '6512AB']] }
		]);
		expect(await addresses(bytes)).toEqual({
			sheet: 'Adressen',
			errors: [],
			rows: ['Kerkstraat 1']
		});
	});

	it('reads a house number a formula left a floating-point trace on as the whole number', async () => {
		const bytes = xlsxWorkbook([
			{
				name: 'Blad1',
				// Numbers as the workbook stores them (<v>4.0000000000000009</v>).
				rows: [
					HEADER,
					['Kerkstraat', 4.0000000000000009, '6512AB'],
					['Kerkstraat', 3.9999999999999996, '6512AB'],
					['Kerkstraat', 4.5, '6512AB']
				]
			}
		]);
		const { rows, errors } = await addresses(bytes);
		expect(rows).toEqual(['Kerkstraat 4', 'Kerkstraat 4']);
		expect(errors).toEqual([
			{ line: 4, issues: [{ code: 'house-number-invalid', params: { value: '4.5' } }] }
		]);
	});

	it('gives every row of a merged street cell the street, as Excel shows it', async () => {
		const bytes = xlsxWorkbook([
			{
				name: 'Blad1',
				rows: [
					['Adressenlijst complex 104', null, null],
					HEADER,
					['Kerkstraat', 1, '6512AB'],
					[null, 2, '6512AB'],
					[null, 3, '6512AB'],
					['Molenweg', 1, '6512AC'],
					[null, 2, '6512AC']
				],
				// The title over three columns, and the streets down their houses.
				merges: ['A1:C1', 'A3:A5', 'A6:A7']
			}
		]);
		expect(await addresses(bytes)).toEqual({
			sheet: 'Blad1',
			errors: [],
			rows: ['Kerkstraat 1', 'Kerkstraat 2', 'Kerkstraat 3', 'Molenweg 1', 'Molenweg 2']
		});
	});

	it('reads merged cells in a workbook write-excel-file makes (as Excel writes them)', async () => {
		const bytes = new Uint8Array(
			await writeExcelFile([
				{
					sheet: 'Adressen',
					data: [
						HEADER.map((value) => ({ value })),
						[{ value: 'Kerkstraat', rowSpan: 2 }, { value: 12 }, { value: '6512AB' }],
						[null, { value: '12A' }, { value: '6512AB' }]
					]
				}
			]).toBuffer()
		);
		expect((await addresses(bytes)).rows).toEqual(['Kerkstraat 12', 'Kerkstraat 12A']);
	});

	it('refuses a ZIP bomb disguised as .xlsx at once, saying why', async () => {
		const bytes = xlsxWorkbook([
			{
				name: 'Adressen',
				rows: [HEADER, ['Kerkstraat', 1, '6512AB']],
				padding: MAX_UNPACKED_BYTES + 1024 * 1024
			}
		]);
		// About a megabyte on disk, over 250 MB unpacked.
		expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
		const started = Date.now();
		expect(await issueOf(bytes)).toEqual({
			code: 'file-workbook-too-large',
			params: { megabytes: 250 }
		});
		expect(Date.now() - started).toBeLessThan(2000);
	}, 30_000);

	it('names an OpenDocument spreadsheet (.ods) and an archive that is no workbook', async () => {
		const ods = zipArchive([
			{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' },
			{ name: 'content.xml', data: '<office:document-content/>', deflate: true }
		]);
		expect(await issueOf(ods)).toEqual({ code: 'file-is-ods', params: {} });
		const other = zipArchive([{ name: 'foto.jpg', data: 'not a workbook' }]);
		expect(await issueOf(other)).toEqual({ code: 'file-unreadable-workbook', params: {} });
		// Cut off halfway (a download that broke off).
		const whole = xlsxWorkbook([{ name: 'Adressen', rows: [HEADER, ['Kerkstraat', 1, '6512AB']] }]);
		expect(await issueOf(whole.subarray(0, whole.length - 40))).toEqual({
			code: 'file-unreadable-workbook',
			params: {}
		});
	});

	it('says a workbook has a password, instead of calling it an old .xls', async () => {
		// A compound file as Excel writes a password-protected .xlsx: header, then a directory
		// whose entries name the streams in UTF-16 (EncryptionInfo, EncryptedPackage).
		const compound = new Uint8Array(4096);
		compound.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
		const entry = (name: string, at: number) => {
			[...name].forEach((ch, i) => (compound[at + i * 2] = ch.charCodeAt(0)));
			compound[at + 64] = (name.length + 1) * 2;
		};
		entry('Root Entry', 1024);
		entry('EncryptionInfo', 1152);
		entry('EncryptedPackage', 1280);
		expect(await issueOf(compound)).toEqual({ code: 'file-is-encrypted', params: {} });
		// An Excel 97-2003 workbook has a Workbook stream instead.
		const old = compound.slice();
		old.fill(0, 1152);
		[...'Workbook'].forEach((ch, i) => (old[1152 + i * 2] = ch.charCodeAt(0)));
		expect(await issueOf(old)).toEqual({ code: 'file-is-old-excel', params: {} });
	});
});
