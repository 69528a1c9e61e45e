/**
 * Reading the corporation's address list as CSV, the way Dutch Excel writes it: UTF-8 (with or
 * without BOM) or Windows-1252, semicolon (Dutch locale), comma or tab separated, optionally
 * starting with Excel's "sep=;" line; also pipe separated, as some housing systems export. Parsing is done by papaparse; the address interpretation is
 * shared with the GeoJSON import (./import.ts).
 *
 * Typical use:
 *   const table = readCsv(bytes);                  // fast, synchronous
 *   const proposal = proposeMapping(table);        // show, let the user change proposal.mapping
 *   const result = await applyMappingAsync(table, mapping, { onProgress });
 *   const merged = mergeImport(register, result.rows);  // ./merge.ts, after the user confirms
 */
import Papa from 'papaparse';
import { ImportFileError, issue } from './issues';
import { withPointColumns } from './point-columns';
import {
	decodeBytes,
	isSpreadsheet,
	looksBinary,
	looksMarkup,
	type DecodedText,
	type TextEncodingName
} from './text-file';
import {
	applyMappingAsync,
	headerField,
	proposeMapping,
	type ApplyOptions,
	type ImportIssue,
	type ImportResult,
	type MappingProposal,
	type SourceRow,
	type SourceTable
} from './import';

export * from './import';
export {
	decodeBytes,
	decodeWindows1252,
	isSpreadsheet,
	looksBinary,
	looksMarkup,
	type DecodedText,
	type TextEncodingName
} from './text-file';

export type Delimiter = ',' | ';' | '\t' | '|';

const DELIMITERS: readonly Delimiter[] = [';', ',', '\t', '|'];

/** Counts each candidate delimiter outside double quotes in one line. */
function countDelimiters(line: string): Record<Delimiter, number> {
	const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0, '|': 0 };
	let quoted = false;
	for (const ch of line) {
		if (ch === '"') quoted = !quoted;
		else if (!quoted && (DELIMITERS as readonly string[]).includes(ch)) counts[ch as Delimiter]++;
	}
	return counts;
}

/**
 * Picks the delimiter from the header line, where decimal commas cannot confuse it: the most
 * frequent of ; , tab and | (ties go to ';', the Dutch Excel default). Given several lines, the
 * first line that has any delimiter counts (a title line above the header has none). A single
 * column means ','.
 */
export function detectDelimiter(text: string): Delimiter {
	const lines = text.split(/\r?\n|\r/, HEADER_SEARCH_ROWS);
	// A line that reads as a header (two known column names or more) decides: a title line above
	// it may have a comma ("Adressenlijst, complex 104") where the header has semicolons.
	let byHeaders: Delimiter | null = null;
	let most = 1;
	for (const line of lines) {
		for (const d of DELIMITERS) {
			const known = line.split(d).filter((cell) => headerField(cell.replace(/"/g, '')) !== null);
			if (known.length > most) {
				most = known.length;
				byHeaders = d;
			}
		}
	}
	if (byHeaders) return byHeaders;
	const headerLine = lines.find((l) => DELIMITERS.some((d) => l.includes(d))) ?? lines[0] ?? '';
	const counts = countDelimiters(headerLine);
	let best: Delimiter = ',';
	let bestCount = 0;
	for (const d of DELIMITERS) {
		if (counts[d] > bestCount) {
			best = d;
			bestCount = counts[d];
		}
	}
	return best;
}

/** How many lines (records) from the top the header row is looked for in. */
export const HEADER_SEARCH_ROWS = 30;

export interface CsvTable extends SourceTable {
	encoding: TextEncodingName;
	delimiter: Delimiter;
	/** Line of the header row (1, unless a sep= line or title lines come first). */
	headerLine: number;
}

/**
 * The header row: the first of the first {@link HEADER_SEARCH_ROWS} records in which at least two
 * cells are known headers (so title lines like "Adressenlijst complex 104" above it, even a whole
 * explanation, are skipped); null if none.
 */
export function knownHeaderRow(records: readonly (readonly string[])[]): number | null {
	const limit = Math.min(records.length, HEADER_SEARCH_ROWS);
	for (let i = 0; i < limit; i++) {
		let known = 0;
		for (const cell of records[i]!) if (headerField(cell) !== null) known++;
		if (known >= 2) return i;
	}
	return null;
}

/** The header row ({@link knownHeaderRow}), else record 0. */
function findHeaderRow(records: readonly string[][]): number {
	return knownHeaderRow(records) ?? 0;
}

export interface ReadCsvOptions {
	/** Force a delimiter instead of detecting it. */
	delimiter?: Delimiter;
}

function countChar(s: string, ch: string): number {
	let n = 0;
	for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
	return n;
}

/**
 * Reads CSV bytes (or already decoded text) into a table. Every data row keeps the line number it
 * starts on in the file (header = line 1, or 2 after a "sep=" line), also when quoted cells
 * contain line breaks. Empty lines are skipped but still counted.
 */
export function readCsv(input: Uint8Array | string, options: ReadCsvOptions = {}): CsvTable {
	if (typeof input !== 'string' && isSpreadsheet(input)) {
		throw new ImportFileError(issue('file-is-spreadsheet', {}));
	}
	const decoded: DecodedText =
		typeof input === 'string'
			? { text: input.replace(/^\uFEFF/, ''), encoding: 'utf-8', bom: false }
			: decodeBytes(input);
	if (looksMarkup(decoded.text)) throw new ImportFileError(issue('file-is-markup', {}));
	if (looksBinary(decoded.text)) throw new ImportFileError(issue('file-not-text', {}));
	let text = decoded.text;
	let firstLine = 1;

	// Excel's "sep=;" hint line.
	let delimiter = options.delimiter;
	const sep = /^sep=(.)\r?\n/i.exec(text);
	if (sep) {
		const d = sep[1] as Delimiter;
		if (DELIMITERS.includes(d)) delimiter ??= d;
		text = text.slice(sep[0].length);
		firstLine = 2;
	}

	// Leading empty lines before the header.
	const leading = /^(?:[ \t]*\r?\n)+/.exec(text);
	if (leading) {
		firstLine += countChar(leading[0], '\n');
		text = text.slice(leading[0].length);
	}

	delimiter ??= detectDelimiter(text.slice(0, 64 * 1024));

	const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false, header: false });
	const lineBreak = parsed.meta.linebreak === '\r' ? '\r' : '\n';

	let records = parsed.data;
	const lines: number[] = new Array<number>(records.length);
	let line = firstLine;
	for (let i = 0; i < records.length; i++) {
		lines[i] = line;
		let extra = 0;
		for (const cell of records[i]!) extra += countChar(cell, lineBreak);
		line += 1 + extra;
	}
	records = unwrapLines(records, delimiter);

	const errors: ImportIssue[] = [];
	const seen = new Set<string>();
	for (const e of parsed.errors) {
		const at = e.row !== undefined ? (lines[e.row] ?? line) : firstLine;
		const problem =
			e.code === 'MissingQuotes'
				? issue('csv-unclosed-quote', {})
				: e.code === 'InvalidQuotes'
					? issue('csv-invalid-quotes', {})
					: issue('csv-parse-error', { detail: e.message });
		const key = `${at}:${JSON.stringify(problem)}`;
		if (seen.has(key)) continue;
		seen.add(key);
		errors.push({ ...problem, line: at });
	}

	const headerIndex = findHeaderRow(records);
	const header = records[headerIndex] ?? [];
	const rows: SourceRow[] = [];
	for (let i = headerIndex + 1; i < records.length; i++) {
		const cells = records[i]!;
		if (cells.every((c) => c.trim() === '')) continue;
		rows.push({ line: lines[i]!, cells });
	}

	return {
		...withPointColumns({ headers: header.map((h) => h.trim()), rows, errors: [] }),
		headerLine: lines[headerIndex] ?? firstLine,
		errors: errors.filter((e) => e.line >= (lines[headerIndex] ?? firstLine)),
		encoding: decoded.encoding,
		delimiter
	};
}

/**
 * Every line quoted whole ("Straat;Huisnummer;Postcode"), as Excel saves a semicolon file that it
 * opened as one column: each such cell is read again as the line it holds.
 */
function unwrapLines(records: string[][], delimiter: Delimiter): string[][] {
	const wrapped = (r: readonly string[]) => r.length === 1 && r[0]!.includes(delimiter);
	const filled = records.filter((r) => r.some((c) => c.trim() !== ''));
	// Only single cells (title lines have no delimiter), most of them holding a whole line.
	if (!filled.every((r) => r.length === 1)) return records;
	if (filled.filter(wrapped).length * 2 <= filled.length) return records;
	return records.map((r) =>
		wrapped(r) ? (Papa.parse<string[]>(r[0]!, { delimiter }).data[0] ?? r) : r
	);
}

export interface CsvImport {
	table: CsvTable;
	proposal: MappingProposal;
}

/** Reads the file and proposes a mapping: everything the preview needs, nothing imported yet. */
export function previewCsv(input: Uint8Array | string, options: ReadCsvOptions = {}): CsvImport {
	const table = readCsv(input, options);
	return { table, proposal: proposeMapping(table) };
}

/**
 * One-shot import with the proposed (or a given) mapping; progress is reported per chunk.
 * The result still has to be merged into the register (./merge.ts) after the user confirms.
 */
export async function importCsv(
	input: Uint8Array | string,
	options: ApplyOptions & ReadCsvOptions & { mapping?: MappingProposal['mapping'] } = {}
): Promise<ImportResult> {
	const { table, proposal } = previewCsv(input, options);
	return applyMappingAsync(table, options.mapping ?? proposal.mapping, options);
}
