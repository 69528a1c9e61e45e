/**
 * What the workbook reader (read-excel-file) does not tell: how big the workbook is once unpacked
 * (checked before anything is unpacked, so a ZIP bomb disguised as .xlsx is refused at once rather
 * than filling the browser's memory), which sheets are hidden, and which cells are merged. Read
 * straight from the ZIP archive: its central directory, xl/workbook.xml and one sheet's XML,
 * inflated with the platform's DecompressionStream.
 */
import { ImportFileError, issue } from './issues';

/**
 * The most bytes a workbook may unpack to: a corporation's export of 50,000 rows and dozens of
 * columns is well below this; a ZIP bomb is far above it.
 */
export const MAX_UNPACKED_BYTES = 250 * 1024 * 1024;

export interface ZipEntry {
	name: string;
	/** 0 = stored, 8 = deflated. */
	method: number;
	compressedSize: number;
	/** The unpacked size the archive declares. */
	size: number;
	localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

const unreadable = () => new ImportFileError(issue('file-unreadable-workbook', {}));

/** The entries of a ZIP archive, from its central directory; throws when there is none. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let eocd = -1;
	for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
		if (view.getUint32(i, true) === EOCD) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw unreadable();
	let count = view.getUint16(eocd + 10, true);
	let offset = view.getUint32(eocd + 16, true);
	if ((count === 0xffff || offset === MAX32) && eocd >= 20) {
		if (view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
			const record = Number(view.getBigUint64(eocd - 12, true));
			if (record + 56 > bytes.length || view.getUint32(record, true) !== ZIP64_EOCD) {
				throw unreadable();
			}
			count = Number(view.getBigUint64(record + 32, true));
			offset = Number(view.getBigUint64(record + 48, true));
		}
	}
	const entries: ZipEntry[] = [];
	let at = offset;
	for (let n = 0; n < count; n++) {
		if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw unreadable();
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		let compressedSize = view.getUint32(at + 20, true);
		let size = view.getUint32(at + 24, true);
		let localOffset = view.getUint32(at + 42, true);
		const nameEnd = at + 46 + nameLength;
		if (nameEnd + extraLength > bytes.length) throw unreadable();
		const name = new TextDecoder().decode(bytes.subarray(at + 46, nameEnd));
		// ZIP64: the real sizes and offset are in an extra field, in this order, where 0xFFFFFFFF.
		for (let e = nameEnd; e + 4 <= nameEnd + extraLength;) {
			const id = view.getUint16(e, true);
			const length = view.getUint16(e + 2, true);
			if (id === 0x0001) {
				let f = e + 4;
				const next = () => {
					const value = f + 8 <= e + 4 + length ? Number(view.getBigUint64(f, true)) : 0;
					f += 8;
					return value;
				};
				if (size === MAX32) size = next();
				if (compressedSize === MAX32) compressedSize = next();
				if (localOffset === MAX32) localOffset = next();
			}
			e += 4 + length;
		}
		entries.push({
			name,
			method: view.getUint16(at + 10, true),
			compressedSize,
			size,
			localOffset
		});
		at = nameEnd + extraLength + commentLength;
	}
	return entries;
}

/**
 * Refuses what cannot be an .xlsx workbook before it is unpacked: an archive that declares more
 * than {@link MAX_UNPACKED_BYTES} (a ZIP bomb; an archive whose declared sizes lie fails to unpack
 * instead) and an OpenDocument spreadsheet (.ods).
 */
export function checkWorkbookArchive(entries: readonly ZipEntry[]): void {
	const total = entries.reduce((sum, e) => sum + e.size, 0);
	if (total > MAX_UNPACKED_BYTES) {
		throw new ImportFileError(
			issue('file-workbook-too-large', { megabytes: MAX_UNPACKED_BYTES / 1024 / 1024 })
		);
	}
	const names = new Set(entries.map((e) => e.name));
	if (!names.has('xl/workbook.xml') && names.has('content.xml') && names.has('mimetype')) {
		throw new ImportFileError(issue('file-is-ods', {}));
	}
}

/** One entry's unpacked bytes (never more than it declares). */
async function readEntry(bytes: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const at = entry.localOffset;
	if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw unreadable();
	const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
	const data = bytes.slice(start, start + entry.compressedSize);
	if (entry.method === 0) return data;
	if (entry.method !== 8) throw unreadable();
	const reader = new Blob([data])
		.stream()
		.pipeThrough(new DecompressionStream('deflate-raw'))
		.getReader();
	const chunks: Uint8Array[] = [];
	let length = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		length += value.byteLength;
		if (length > entry.size) {
			await reader.cancel();
			throw unreadable();
		}
		chunks.push(value);
	}
	const out = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return out;
}

async function entryText(
	bytes: Uint8Array,
	entries: readonly ZipEntry[],
	name: string
): Promise<string | null> {
	const entry = entries.find((e) => e.name === name);
	return entry ? new TextDecoder().decode(await readEntry(bytes, entry)) : null;
}

const attribute = (tag: string, name: string): string | null => {
	const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
	return match ? (match[1] ?? match[2] ?? '') : null;
};

function unescapeXml(s: string): string {
	return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (all, hex, dec, named) => {
		if (hex) return String.fromCodePoint(parseInt(hex as string, 16));
		if (dec) return String.fromCodePoint(parseInt(dec as string, 10));
		const map: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
		return map[(named as string).toLowerCase()] ?? all;
	});
}

export interface SheetInfo {
	name: string;
	hidden: boolean;
	/** The sheet's XML part in the archive ("xl/worksheets/sheet1.xml"), when found. */
	path: string | null;
}

/** The workbook's sheets in order, with their hidden state and XML part. */
export async function workbookSheets(
	bytes: Uint8Array,
	entries: readonly ZipEntry[]
): Promise<SheetInfo[]> {
	const workbook = await entryText(bytes, entries, 'xl/workbook.xml');
	if (workbook === null) return [];
	const rels = (await entryText(bytes, entries, 'xl/_rels/workbook.xml.rels')) ?? '';
	const targets = new Map<string, string>();
	for (const [tag] of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
		const id = attribute(tag, 'Id');
		const target = attribute(tag, 'Target');
		if (id && target) {
			targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
		}
	}
	const sheets: SheetInfo[] = [];
	for (const [tag] of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
		const state = attribute(tag, 'state');
		const relation = attribute(tag, '(?:\\w+:)?id');
		sheets.push({
			name: unescapeXml(attribute(tag, 'name') ?? ''),
			hidden: state === 'hidden' || state === 'veryHidden',
			path: relation ? (targets.get(relation) ?? null) : null
		});
	}
	return sheets;
}

/** A merged area: rows and columns 0-based, inclusive. */
export interface MergedRange {
	top: number;
	left: number;
	bottom: number;
	right: number;
}

function cellAddress(ref: string): { row: number; column: number } | null {
	const match = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/i.exec(ref.trim());
	if (!match) return null;
	let column = 0;
	for (const ch of match[1]!.toUpperCase()) column = column * 26 + ch.charCodeAt(0) - 64;
	return { row: Number(match[2]) - 1, column: column - 1 };
}

/** The merged cells of one sheet ("A2:A4" and so on). */
export async function mergedRanges(
	bytes: Uint8Array,
	entries: readonly ZipEntry[],
	path: string
): Promise<MergedRange[]> {
	const xml = await entryText(bytes, entries, path);
	if (xml === null) return [];
	// The merged cells follow the cell data: only that tail is searched.
	const tail = xml.slice(Math.max(0, xml.lastIndexOf('sheetData>')));
	const ranges: MergedRange[] = [];
	for (const [tag] of tail.matchAll(/<(?:\w+:)?mergeCell\b[^>]*>/g)) {
		const [from, to] = (attribute(tag, 'ref') ?? '').split(':');
		const a = from ? cellAddress(from) : null;
		const b = to ? cellAddress(to) : a;
		if (!a || !b) continue;
		ranges.push({
			top: Math.min(a.row, b.row),
			left: Math.min(a.column, b.column),
			bottom: Math.max(a.row, b.row),
			right: Math.max(a.column, b.column)
		});
	}
	return ranges;
}
