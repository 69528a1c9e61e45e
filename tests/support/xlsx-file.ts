/**
 * Real .xlsx workbooks with what write-excel-file cannot make: hidden sheets, merged cells at any
 * place, and a ZIP bomb (a sheet that unpacks to hundreds of megabytes). The archive is a plain
 * ZIP (stored or deflated entries, CRC-32, central directory), as Excel and LibreOffice open it.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
	name: string;
	data: Uint8Array | string;
	/** Deflate the entry (default: stored). */
	deflate?: boolean;
}

/** A ZIP archive of the given entries. */
export function zipArchive(files: readonly ZipInput[]): Uint8Array {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const file of files) {
		const raw = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
		const body = file.deflate ? deflateRawSync(raw) : Buffer.from(raw);
		const name = Buffer.from(file.name, 'utf8');
		const method = file.deflate ? 8 : 0;
		const crc = crc32(raw);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6);
		local.writeUInt16LE(method, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(raw.length, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(method, 10);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(body.length, 20);
		central.writeUInt32LE(raw.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, body);
		centrals.push(central, name);
		offset += local.length + name.length + body.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

export type CellValue = string | number | null;

export interface SheetSpec {
	name: string;
	rows: readonly (readonly CellValue[])[];
	hidden?: boolean;
	/** Merged areas as Excel writes them: "A2:A4". */
	merges?: readonly string[];
	/** Spaces written into the cell data: the sheet unpacks to this many more bytes. */
	padding?: number;
	/** A chart sheet (a chart filling the tab, no cells): rows are ignored. */
	chart?: boolean;
}

const part = (s: SheetSpec, i: number) =>
	s.chart ? `chartsheets/sheet${i + 1}.xml` : `worksheets/sheet${i + 1}.xml`;

const escape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function columnName(index: number): string {
	let name = '';
	for (let i = index + 1; i > 0; i = Math.floor((i - 1) / 26)) {
		name = String.fromCharCode(65 + ((i - 1) % 26)) + name;
	}
	return name;
}

function sheetXml(sheet: SheetSpec): Uint8Array {
	const rows = sheet.rows.map((cells, r) => {
		const xml = cells.map((value, c) => {
			const ref = `${columnName(c)}${r + 1}`;
			if (value === null) return '';
			if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
			return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escape(value)}</t></is></c>`;
		});
		return `<row r="${r + 1}">${xml.join('')}</row>`;
	});
	const merges = sheet.merges?.length
		? `<mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`
		: '';
	const head = Buffer.from(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
			'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
			rows.join('')
	);
	const tail = Buffer.from(`</sheetData>${merges}</worksheet>`);
	const padding = Buffer.alloc(sheet.padding ?? 0, 0x20);
	return new Uint8Array(Buffer.concat([head, padding, tail]));
}

/** An .xlsx workbook of the given sheets (in this order; hidden ones marked so). */
export function xlsxWorkbook(sheets: readonly SheetSpec[]): Uint8Array {
	const overrides = sheets
		.map(
			(s, i) =>
				`<Override PartName="/xl/${part(s, i)}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.${s.chart ? 'chartsheet' : 'worksheet'}+xml"/>`
		)
		.join('');
	const files: ZipInput[] = [
		{
			name: '[Content_Types].xml',
			data:
				'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
				'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
				'<Default Extension="xml" ContentType="application/xml"/>' +
				'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
				`${overrides}</Types>`
		},
		{
			name: '_rels/.rels',
			data:
				'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
				'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
		},
		{
			name: 'xl/workbook.xml',
			data:
				'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
				sheets
					.map(
						(s, i) =>
							`<sheet name="${escape(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`
					)
					.join('') +
				'</sheets></workbook>'
		},
		{
			name: 'xl/_rels/workbook.xml.rels',
			data:
				'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
				sheets
					.map(
						(s, i) =>
							`<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${s.chart ? 'chartsheet' : 'worksheet'}" Target="${part(s, i)}"/>`
					)
					.join('') +
				'</Relationships>'
		},
		...sheets.map((s, i) => ({
			name: `xl/${part(s, i)}`,
			data: s.chart
				? '<?xml version="1.0" encoding="UTF-8"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>'
				: sheetXml(s),
			deflate: true
		}))
	];
	return zipArchive(files);
}
