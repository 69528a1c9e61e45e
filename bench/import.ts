/**
 * Address import of 20,000 rows (issue 3): the browser-side parse and mapping (src/lib/geo, the
 * same code the import page runs), the server-side validation of the sent rows, and storing them
 * in the register (merge + one transaction) per driver. Baseline: papaparse alone on the same text.
 */
import { performance } from 'node:perf_hooks';
import Papa from 'papaparse';
import writeExcelFile from 'write-excel-file/node';
import { importCsv } from '../src/lib/geo/csv-import';
import { applyMappingAsync } from '../src/lib/geo/import';
import { previewXlsx } from '../src/lib/geo/xlsx-import';
import { openDb } from '../src/lib/server/db';
import { parseImportPayload, storeImport } from '../src/lib/server/addresses';
import { ensureDemoBoard, DEMO_BOARD } from '../src/lib/server/demo';
import { median } from './lib/util';

export const IMPORT_ROWS = 20_000;

export interface ImportRow {
	driver: 'pglite' | 'postgres' | 'browser-side';
	step: string;
	medianMs: number;
	runsMs: number[];
}

/**
 * A corporation's list as Dutch Excel writes it: semicolons, Windows-1252 (é in street names),
 * Dutch headers, RD coordinates with decimal commas, letters and toevoegingen, some duplicates.
 */
export function makeCsv(rows = IMPORT_ROWS): Uint8Array {
	const lines = [
		'straatnaam;huisnummer;huisletter;toevoeging;postcode;woonplaats;x;y;complexnummer'
	];
	for (let i = 0; i < rows; i++) {
		// Every 50th row repeats the previous address: duplicates to merge.
		const n = i % 50 === 49 ? i - 1 : i;
		const street = `Straat ${Math.floor(n / 200)}${n % 7 === 0 ? ' Café' : ''}`;
		const x = (187000 + (n % 200) * 3.5).toFixed(3).replace('.', ',');
		const y = (428000 + Math.floor(n / 200) * 12.25).toFixed(3).replace('.', ',');
		const letter = n % 9 === 0 ? 'A' : '';
		const addition = n % 13 === 0 ? '2' : '';
		const pc = `65${String(Math.floor(n / 200) % 100).padStart(2, '0')}AB`;
		lines.push(
			`${street};${(n % 200) + 1};${letter};${addition};${pc};Nijmegen;${x};${y};C-${n % 40}`
		);
	}
	const text = lines.join('\r\n') + '\r\n';
	// Windows-1252: every character here is below 256 and has its Latin-1 code (é is 0xE9).
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
	return bytes;
}

export async function benchImport(
	targets: { driver: 'pglite' | 'postgres'; databaseUrl?: string; dataDir: string }[],
	runs: number,
	log: (m: string) => void
): Promise<{ rows: ImportRow[]; stored: Record<string, number>; parsedRows: number }> {
	const csv = makeCsv();
	const text = new TextDecoder('windows-1252').decode(csv);
	const rows: ImportRow[] = [];
	const time = async <T>(fn: () => Promise<T> | T): Promise<[number, T]> => {
		const t0 = performance.now();
		const value = await fn();
		return [performance.now() - t0, value];
	};

	log(`import: papaparse baseline and parse+map of ${IMPORT_ROWS} rows`);
	const papa: number[] = [];
	const parse: number[] = [];
	let parsed = await importCsv(csv);
	for (let i = 0; i < runs; i++) {
		papa.push((await time(() => Papa.parse(text, { delimiter: ';', skipEmptyLines: true })))[0]);
		const [ms, result] = await time(() => importCsv(csv));
		parse.push(ms);
		parsed = result;
	}
	if (parsed.errors.length > 0) throw new Error(`import bench: ${parsed.errors.length} row errors`);
	rows.push({
		driver: 'browser-side',
		step: 'papaparse only (baseline)',
		medianMs: median(papa),
		runsMs: papa
	});
	rows.push({
		driver: 'browser-side',
		step: 'decode + parse + map + RD→WGS84',
		medianMs: median(parse),
		runsMs: parse
	});

	// The same list as an Excel workbook (numbers in number cells), read as the import page does.
	const cells = text
		.trim()
		.split('\r\n')
		.map((line, i) =>
			line.split(';').map((cell) => {
				const number = cell.replace(',', '.');
				return i > 0 && cell !== '' && /^\d+(\.\d+)?$/.test(number) ? Number(number) : cell || null;
			})
		);
	const workbook = new Uint8Array(await writeExcelFile(cells).toBuffer());
	const xlsx: number[] = [];
	for (let i = 0; i < runs; i++) {
		const [ms, result] = await time(async () => {
			const { table, proposal } = await previewXlsx(workbook);
			return applyMappingAsync(table, proposal.mapping);
		});
		if (result.rows.length !== parsed.rows.length)
			throw new Error(`import bench: the workbook gave ${result.rows.length} rows`);
		xlsx.push(ms);
	}
	rows.push({
		driver: 'browser-side',
		step: `read .xlsx (${Math.round(workbook.length / 1024)} KiB) + map + RD→WGS84`,
		medianMs: median(xlsx),
		runsMs: xlsx
	});

	// What the import page sends: the row fields without the client-side geocoding flag.
	const payload = JSON.parse(
		JSON.stringify({
			rows: parsed.rows.map((row) => {
				const sent: Partial<typeof row> = { ...row };
				delete sent.needsGeocoding;
				return sent;
			})
		})
	) as unknown;
	const validate: number[] = [];
	let valid = parseImportPayload(payload);
	for (let i = 0; i < runs; i++) {
		const [ms, result] = await time(() => parseImportPayload(payload));
		validate.push(ms);
		valid = result;
	}
	if (!valid.ok) throw new Error(`import bench: server refused the rows (${valid.reason})`);
	rows.push({
		driver: 'browser-side',
		step: 'server-side validation (zod)',
		medianMs: median(validate),
		runsMs: validate
	});

	const stored: Record<string, number> = {};
	for (const target of targets) {
		log(`import: storing into ${target.driver}`);
		const store: number[] = [];
		for (let i = 0; i < runs; i++) {
			// A fresh board each run (deleting it removes its addresses): the 150 demo addresses, then the import.
			const db = await openDb({
				databaseUrl: target.databaseUrl,
				dataDir: target.dataDir
			});
			try {
				await db.query('delete from public.boards where id = $1', [DEMO_BOARD.id]);
				await ensureDemoBoard(db);
				const [ms, result] = await time(() =>
					storeImport(db, DEMO_BOARD.id, valid.ok ? valid.rows : [])
				);
				store.push(ms);
				stored[target.driver] = result.total;
			} finally {
				await db.close();
			}
		}
		rows.push({
			driver: target.driver,
			step: 'merge + store (one transaction)',
			medianMs: median(store),
			runsMs: store
		});
	}
	return { rows, stored, parsedRows: parsed.rows.length };
}
