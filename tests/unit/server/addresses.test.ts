import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { Db } from '../../../src/lib/server/db';
import { createBoard, insertAddresses, listAddresses } from '../../../src/lib/server/boards';
import {
	BoardNotFoundError,
	MissingCoordinatesError,
	countAddresses,
	decodeImportPayload,
	parseImportPayload,
	storeImport,
	type ImportRow
} from '../../../src/lib/server/addresses';
import { migratedDb } from '../../support/db';

const BOARD = { id: 'test-board', name: 'Test', centerLon: 5.87, centerLat: 51.83, zoom: 15 };

function row(line: number, over: Record<string, unknown> = {}): unknown {
	return {
		line,
		street: 'Sweelinckstraat',
		houseNumber: line,
		houseLetter: null,
		addition: null,
		postcode: '6521CA',
		city: 'Nijmegen',
		lon: 5.867 + line / 10000,
		lat: 51.83,
		bagId: null,
		complexNumber: null,
		...over
	};
}

function valid(rows: unknown[]): ImportRow[] {
	const parsed = parseImportPayload({ rows });
	if (!parsed.ok) throw new Error(`invalid: ${JSON.stringify(parsed)}`);
	return parsed.rows;
}

describe('parseImportPayload', () => {
	it('normalises postcode, letter and spaces', () => {
		const [r] = valid([
			row(2, { postcode: '6521 ca', houseLetter: 'b', street: ' Sweelinck  straat ' })
		]);
		expect(r).toMatchObject({ postcode: '6521CA', houseLetter: 'B', street: 'Sweelinck straat' });
	});

	it('reports bad rows with their line and field, and never trusts the client', () => {
		const result = parseImportPayload({
			rows: [
				row(2),
				row(3, { postcode: '1234' }),
				row(4, { houseNumber: 0 }),
				row(5, { lat: null }),
				row(6, { extra: 'x' }),
				row(7, { lon: 500 })
			]
		});
		expect(result.ok).toBe(false);
		if (result.ok || result.reason !== 'rows') throw new Error('expected row issues');
		expect(result.count).toBe(5);
		expect(result.issues).toEqual([
			{ line: 3, field: 'postcode' },
			{ line: 4, field: 'houseNumber' },
			{ line: 5, field: 'lat' },
			{ line: 6, field: 'row' },
			{ line: 7, field: 'lon' }
		]);
	});

	it('refuses a payload that is not a list of rows', () => {
		expect(parseImportPayload(null)).toEqual({ ok: false, reason: 'payload' });
		expect(parseImportPayload({ rows: [] })).toEqual({ ok: false, reason: 'empty' });
		expect(parseImportPayload({ rows: 'x' })).toEqual({ ok: false, reason: 'payload' });
	});

	it('reads gzip and plain JSON', () => {
		const json = JSON.stringify({ rows: [row(2)] });
		expect(decodeImportPayload(gzipSync(json))).toEqual({ rows: [row(2)] });
		expect(decodeImportPayload(new TextEncoder().encode(json))).toEqual({ rows: [row(2)] });
		expect(() => decodeImportPayload(new Uint8Array([0x1f, 0x8b, 1, 2]))).toThrow();
	});
});

describe('storeImport (PGlite)', () => {
	let db: Db;
	beforeEach(async () => {
		db = await migratedDb('pglite');
		await createBoard(db, BOARD);
	});
	afterEach(async () => {
		await db.close();
	});

	it('stores new addresses and merges duplicates within the import', async () => {
		const result = await storeImport(
			db,
			BOARD.id,
			valid([row(2), row(3), row(4, { houseNumber: 2, postcode: '6521 ca', city: null })])
		);
		expect(result).toEqual({
			added: 2,
			mergedWithinImport: 1,
			mergedWithExisting: 0,
			updated: 0,
			filled: 0,
			changed: 0,
			updateChanged: false,
			conflicts: 0,
			total: 2
		});
		const stored = await listAddresses(db, BOARD.id);
		expect(stored.map((a) => a.houseNumber)).toEqual([2, 3]);
		expect(new Set(stored.map((a) => a.id)).size).toBe(2);
	});

	it('importing the same rows twice does not double them, and fills gaps of existing ones', async () => {
		await storeImport(db, BOARD.id, valid([row(2), row(3, { houseLetter: 'a' })]));
		const again = await storeImport(
			db,
			BOARD.id,
			valid([
				row(2, { complexNumber: 'C104', lon: null, lat: null }),
				row(3, { houseLetter: 'A' }),
				row(4, { houseNumber: 7 })
			])
		);
		expect(again).toMatchObject({ added: 1, mergedWithExisting: 2, updated: 1, total: 3 });
		const stored = await listAddresses(db, BOARD.id);
		expect(stored).toHaveLength(3);
		expect(stored.find((a) => a.houseNumber === 2)?.complexNumber).toBe('C104');
		expect(await countAddresses(db, BOARD.id)).toBe(3);
	});

	it('keeps what is stored when a new row lacks coordinates, or the board is unknown', async () => {
		await insertAddresses(db, BOARD.id, [
			{
				id: 'kept',
				street: 'Dunklerstraat',
				houseNumber: 1,
				houseLetter: null,
				addition: null,
				postcode: '6521CB',
				city: null,
				lon: 5.87,
				lat: 51.83,
				bagId: null,
				complexNumber: null
			}
		]);
		const attempt = storeImport(db, BOARD.id, valid([row(2), row(9, { lon: null, lat: null })]));
		await expect(attempt).rejects.toBeInstanceOf(MissingCoordinatesError);
		await expect(attempt).rejects.toMatchObject({ lines: [9] });
		expect((await listAddresses(db, BOARD.id)).map((a) => a.id)).toEqual(['kept']);
		await expect(storeImport(db, 'nope', valid([row(2)]))).rejects.toBeInstanceOf(
			BoardNotFoundError
		);
	});

	it('stores 20,000 rows in one go', async () => {
		const rows = valid(
			Array.from({ length: 20_000 }, (_, i) =>
				row(i + 2, { houseNumber: (i % 5000) + 1, postcode: `${6500 + Math.floor(i / 5000)}AB` })
			)
		);
		const started = performance.now();
		const result = await storeImport(db, BOARD.id, rows);
		expect(result.added).toBe(20_000);
		expect(await countAddresses(db, BOARD.id)).toBe(20_000);
		expect(performance.now() - started).toBeLessThan(20_000);
	});
});
