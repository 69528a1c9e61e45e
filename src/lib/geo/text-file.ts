/**
 * What kind of file the user chose, and its text: the encoding of a CSV file (a BOM, strict UTF-8,
 * UTF-16 without BOM, else Windows-1252 as Dutch Excel writes it), and files that are no CSV at all
 * (a workbook, a binary file, a web page or XML saved as "Excel").
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
	text: string;
	encoding: TextEncodingName;
	/** Whether the bytes started with a byte order mark (removed from `text`). */
	bom: boolean;
}

/**
 * Whether the bytes are an Excel workbook rather than text: .xlsx (a ZIP archive, "PK\x03\x04")
 * or the older .xls (an OLE compound file, D0 CF 11 E0). Read as CSV they would give a table of
 * binary junk.
 */
export function isSpreadsheet(bytes: Uint8Array): boolean {
	const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
	return (
		starts([0x50, 0x4b, 0x03, 0x04]) || starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
	);
}

/**
 * Decodes file bytes: a BOM decides (UTF-8 or, from Excel's "Unicode text", UTF-16); otherwise
 * strict UTF-8 is tried and, when the bytes are not valid UTF-8, Windows-1252 (what Dutch Excel's
 * "CSV (gescheiden door lijstscheidingsteken)" writes: é = 0xE9, € = 0x80).
 */
export function decodeBytes(bytes: Uint8Array): DecodedText {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		// A BOM put before Windows-1252 text (by a tool that added it, or a file pasted together):
		// its "é" is not UTF-8, and is read as Windows-1252 rather than lost as "\ufffd".
		try {
			const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
			return { text, encoding: 'utf-8', bom: true };
		} catch {
			return { text: decodeWindows1252(bytes.subarray(3)), encoding: 'windows-1252', bom: true };
		}
	}
	if (bytes[0] === 0xff && bytes[1] === 0xfe) {
		return {
			text: new TextDecoder('utf-16le').decode(bytes.subarray(2)),
			encoding: 'utf-16le',
			bom: true
		};
	}
	if (bytes[0] === 0xfe && bytes[1] === 0xff) {
		return {
			text: new TextDecoder('utf-16be').decode(bytes.subarray(2)),
			encoding: 'utf-16be',
			bom: true
		};
	}
	// UTF-16 without a BOM (some export tools): text of Latin letters has a zero byte in every
	// other place, which neither UTF-8 text nor Windows-1252 text has.
	const utf16 = utf16WithoutBom(bytes);
	if (utf16) {
		return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16, bom: false };
	}
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		return { text, encoding: 'utf-8', bom: false };
	} catch {
		return { text: decodeWindows1252(bytes), encoding: 'windows-1252', bom: false };
	}
}

/** 'utf-16le'/'utf-16be' when most odd (or even) bytes of the file's start are zero. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
	const n = Math.min(bytes.length, 4096) & ~1;
	if (n < 4) return null;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) evenZero++;
		if (bytes[i + 1] === 0) oddZero++;
	}
	const pairs = n / 2;
	if (oddZero > pairs * 0.6 && evenZero < pairs * 0.1) return 'utf-16le';
	if (evenZero > pairs * 0.6 && oddZero < pairs * 0.1) return 'utf-16be';
	return null;
}

/** Windows-1252 bytes 0x80-0x9F (where it differs from Latin-1); undefined ones stay as is. */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

/**
 * Windows-1252 -> text. TextDecoder('windows-1252') does this in browsers, but Node (up to at least
 * v20) decodes that label as Latin-1 and turns € (0x80), ‘ ’ “ ” (0x91-0x94) into control
 * characters, so the mapping of the 0x80-0x9F range is applied here.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
	const latin1 = new TextDecoder('latin1').decode(bytes);
	return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/**
 * Whether decoded text is really a binary file (a PDF, an image, an archive, a damaged export):
 * text, whatever its encoding, has next to no control characters besides tab and line breaks,
 * while binary data is full of them. A stray NUL in a cell is not enough.
 */
export function looksBinary(text: string): boolean {
	const sample = text.slice(0, 64 * 1024);
	let control = 0;
	for (let i = 0; i < sample.length; i++) {
		const c = sample.charCodeAt(i);
		if (c === 9 || c === 10 || c === 12 || c === 13) continue;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) control++;
	}
	return control >= 4 && control > sample.length / 100;
}

/**
 * Whether text is a web page or an XML spreadsheet rather than CSV: what many web applications
 * and older systems download as "Excel" (.xls), an HTML table or Excel 2003 XML.
 */
export function looksMarkup(text: string): boolean {
	const start = text.slice(0, 1024).trimStart().toLowerCase();
	return (
		start.startsWith('<!doctype html') ||
		start.startsWith('<html') ||
		start.startsWith('<table') ||
		(start.startsWith('<?xml') &&
			/<(?:\w+:)?workbook\b|<html\b/.test(text.slice(0, 4096).toLowerCase()))
	);
}
