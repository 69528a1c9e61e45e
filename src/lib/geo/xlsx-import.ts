/**
 * Reading the corporation's address list as an Excel workbook (.xlsx), as most corporation
 * systems export it. The workbook is read by read-excel-file (loaded only when a workbook is
 * chosen); the table it gives goes through the same mapping as a CSV file (./import.ts).
 *
 * - The sheet: the first with a header row (two known column names or more in its first ten
 *   rows), so a cover sheet ("Toelichting") before the addresses is passed over.
 * - Numbers are taken as the workbook stores them ("187136.056", "268200000012345"), without a
 *   round trip through floating point or the user's locale.
 * - A date where a house number belongs ("12-2" that Excel took for 12 February) reads as "12-feb",
 *   as Dutch Excel writes it into a CSV file, so the import names the problem.
 * - The older .xls format is refused with words a user can act on.
 */
import { knownHeaderRow } from './csv-import';
import { proposeMapping, type MappingProposal, type SourceRow, type SourceTable } from './import';
import { ImportFileError, issue } from './issues';

export interface SheetTable extends SourceTable {
	/** The name of the sheet read. */
	sheet: string;
	/** Row of the header in the sheet (1-based, as the spreadsheet shows it). */
	headerLine: number;
}

const starts = (bytes: Uint8Array, magic: readonly number[]) =>
	magic.every((b, i) => bytes[i] === b);

/** A ZIP archive (an .xlsx workbook is one). */
export function isXlsx(bytes: Uint8Array): boolean {
	return starts(bytes, [0x50, 0x4b, 0x03, 0x04]);
}

/** An OLE compound file: Excel 97-2003 (.xls). */
export function isOldExcel(bytes: Uint8Array): boolean {
	return starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
}

const MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return `${value.getUTCDate()}-${MONTHS[value.getUTCMonth()]}`;
	if (typeof value === 'boolean') return value ? 'WAAR' : 'ONWAAR';
	return String(value);
}

export async function readXlsx(bytes: Uint8Array): Promise<SheetTable> {
	if (isOldExcel(bytes)) throw new ImportFileError(issue('file-is-old-excel', {}));
	const { default: readExcelFile } = await import('read-excel-file/universal');
	let sheets: { sheet: string; data: unknown[][] }[];
	try {
		const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
		// Numbers as written in the workbook: no floating point, no locale.
		sheets = await readExcelFile(buffer as ArrayBuffer, {
			parseNumber: (text: string) => text
		});
	} catch {
		throw new ImportFileError(issue('file-unreadable-workbook', {}));
	}
	if (sheets.length === 0) throw new ImportFileError(issue('file-unreadable-workbook', {}));
	let chosen: { name: string; records: string[][]; header: number } | null = null;
	for (const sheet of sheets) {
		const records = sheet.data.map((row) => row.map(cellText));
		const header = knownHeaderRow(records);
		if (header !== null) {
			chosen = { name: sheet.sheet, records, header };
			break;
		}
		chosen ??= { name: sheet.sheet, records, header: 0 };
	}
	const { name, records, header } = chosen!;
	const rows: SourceRow[] = [];
	for (let i = header + 1; i < records.length; i++) {
		const cells = records[i]!;
		if (cells.every((c) => c.trim() === '')) continue;
		rows.push({ line: i + 1, cells });
	}
	return {
		sheet: name,
		headers: (records[header] ?? []).map((h) => h.trim()),
		headerLine: header + 1,
		rows,
		errors: []
	};
}

export interface XlsxImport {
	table: SheetTable;
	proposal: MappingProposal;
}

/** Reads the workbook and proposes a mapping: everything the preview needs, nothing imported yet. */
export async function previewXlsx(bytes: Uint8Array): Promise<XlsxImport> {
	const table = await readXlsx(bytes);
	return { table, proposal: proposeMapping(table) };
}
