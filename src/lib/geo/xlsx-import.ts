/**
 * Reading the corporation's address list as an Excel workbook (.xlsx), as most corporation
 * systems export it. The workbook is read by read-excel-file (loaded only when a workbook is
 * chosen); the table it gives goes through the same mapping as a CSV file (./import.ts).
 *
 * - The sheet: the first with a header row (two known column names or more in its first 30
 *   rows), so a cover sheet ("Toelichting") before the addresses is passed over.
 * - Numbers are taken as the workbook stores them ("187136.056", "268200000012345"), without a
 *   round trip through floating point or the user's locale.
 * - A date where a house number belongs ("12-2" that Excel took for 12 February) reads as "12-feb",
 *   as Dutch Excel writes it into a CSV file, so the import names the problem.
 * - Hidden sheets are passed over while a visible sheet has a header row: the user reads what
 *   Excel shows, not an old list kept out of sight.
 * - Merged cells ("Kerkstraat" merged down over the rows of its houses) give their value to every
 *   row of the merged area, as the user sees it.
 * - A workbook that would unpack to more than MAX_UNPACKED_BYTES (a ZIP bomb) is refused before it
 *   is unpacked; so are .ods files and the older .xls format, with words a user can act on.
 */
import { knownHeaderRow } from './csv-import';
import { proposeMapping, type MappingProposal, type SourceRow, type SourceTable } from './import';
import { ImportFileError, issue } from './issues';
import { withPointColumns } from './point-columns';
import {
	checkWorkbookArchive,
	mergedRanges,
	workbookSheets,
	zipEntries,
	type MergedRange
} from './xlsx-archive';

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

/** "EncryptedPackage" as a compound file's directory names its streams (UTF-16LE). */
const ENCRYPTED_PACKAGE = new Uint8Array(
	[...'EncryptedPackage'].flatMap((ch) => [ch.charCodeAt(0), 0])
);

/**
 * Whether an OLE compound file is a password-protected workbook: Excel stores an .xlsx with a
 * password to open as such a file, with an EncryptedPackage stream (an old .xls has none).
 */
export function isEncryptedWorkbook(bytes: Uint8Array): boolean {
	const first = ENCRYPTED_PACKAGE[0]!;
	const last = bytes.length - ENCRYPTED_PACKAGE.length;
	for (let i = bytes.indexOf(first); i !== -1 && i <= last; i = bytes.indexOf(first, i + 1)) {
		let match = true;
		for (let j = 1; j < ENCRYPTED_PACKAGE.length; j++) {
			if (bytes[i + j] !== ENCRYPTED_PACKAGE[j]) {
				match = false;
				break;
			}
		}
		if (match) return true;
	}
	return false;
}

const MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return `${value.getUTCDate()}-${MONTHS[value.getUTCMonth()]}`;
	if (typeof value === 'boolean') return value ? 'WAAR' : 'ONWAAR';
	return String(value);
}

/**
 * Gives each row of a merged area below the header the value of its top cell (only the first
 * column of the area: a merge across columns does not copy a street into the number column).
 */
function fillMerged(records: string[][], ranges: readonly MergedRange[], header: number): void {
	for (const range of ranges) {
		if (range.top <= header || range.bottom === range.top) continue;
		const value = records[range.top]?.[range.left] ?? '';
		if (value === '') continue;
		for (let row = range.top + 1; row <= range.bottom && row < records.length; row++) {
			const cells = records[row]!;
			while (cells.length <= range.left) cells.push('');
			if (cells[range.left]!.trim() === '') cells[range.left] = value;
		}
	}
}

export async function readXlsx(bytes: Uint8Array): Promise<SheetTable> {
	if (isOldExcel(bytes)) {
		throw new ImportFileError(
			issue(isEncryptedWorkbook(bytes) ? 'file-is-encrypted' : 'file-is-old-excel', {})
		);
	}
	const entries = zipEntries(bytes);
	checkWorkbookArchive(entries);
	const info = await workbookSheets(bytes, entries).catch(() => []);
	const { default: readExcelFile } = await import('read-excel-file/universal');
	let sheets: { sheet: string; data: unknown[][] }[];
	try {
		const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
		// Numbers as written in the workbook: no floating point, no locale.
		const read: { sheet: string; data?: unknown[][] }[] = await readExcelFile(
			buffer as ArrayBuffer,
			{ parseNumber: (text: string) => text }
		);
		// A chart sheet ("Grafiek", before the data in many reports) has no cells: passed over.
		sheets = read.flatMap((s) => (Array.isArray(s.data) ? [{ sheet: s.sheet, data: s.data }] : []));
	} catch {
		throw new ImportFileError(issue('file-unreadable-workbook', {}));
	}
	if (sheets.length === 0) throw new ImportFileError(issue('file-unreadable-workbook', {}));
	// Visible sheets first; a hidden one only when no visible sheet has a header row.
	const hidden = new Set(info.filter((s) => s.hidden).map((s) => s.name));
	const ordered = [
		...sheets.filter((s) => !hidden.has(s.sheet)),
		...sheets.filter((s) => hidden.has(s.sheet))
	];
	let chosen: { name: string; records: string[][]; header: number } | null = null;
	for (const sheet of ordered) {
		const records = sheet.data.map((row) => row.map(cellText));
		const header = knownHeaderRow(records);
		if (header !== null) {
			chosen = { name: sheet.sheet, records, header };
			break;
		}
		chosen ??= { name: sheet.sheet, records, header: 0 };
	}
	const { name, records, header } = chosen!;
	const path = info.find((s) => s.name === name)?.path;
	if (path) fillMerged(records, await mergedRanges(bytes, entries, path).catch(() => []), header);
	const rows: SourceRow[] = [];
	for (let i = header + 1; i < records.length; i++) {
		const cells = records[i]!;
		if (cells.every((c) => c.trim() === '')) continue;
		rows.push({ line: i + 1, cells });
	}
	return {
		...withPointColumns({
			headers: (records[header] ?? []).map((h) => h.trim()),
			rows,
			errors: []
		}),
		sheet: name,
		headerLine: header + 1
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
