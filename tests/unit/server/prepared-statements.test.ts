import { afterEach, describe, expect, it } from 'vitest';
import { createBoard } from '../../../src/lib/server/boards';
import type { Db } from '../../../src/lib/server/db';
import { migratedDb } from '../../support/db';
import { DRIVERS } from '../../support/drivers';

const INSERT = 'insert into public.board_updates (board_id, data) values ($1, $2) returning seq';

describe.each(DRIVERS)('prepared statements on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	async function withBoards(...ids: string[]): Promise<Db> {
		db = await migratedDb(driver);
		for (const id of ids) {
			await createBoard(db, { id, name: id, centerLon: 5.87, centerLat: 51.83, zoom: 15 });
		}
		return db;
	}

	it('store bytes and return numbers, the same as a plain query, run after run', async () => {
		const db = await withBoards('a');
		const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 255);
		const seqs: number[] = [];
		for (let i = 0; i < 3; i++) {
			const [row] = await db.prepared<{ seq: number }>(INSERT, ['a', bytes.subarray(i)]);
			seqs.push(row!.seq);
		}
		expect(seqs.every((seq) => typeof seq === 'number')).toBe(true);
		expect(seqs[2]! > seqs[1]! && seqs[1]! > seqs[0]!).toBe(true);
		const rows = await db.prepared<{ seq: number; data: Uint8Array; board_id: string }>(
			'select seq, data, board_id from public.board_updates where board_id = $1 order by seq',
			['a']
		);
		expect(rows.map((r) => r.seq)).toEqual(seqs);
		rows.forEach((row, i) => expect([...row.data]).toEqual([...bytes.subarray(i)]));
		expect(rows[0]!.board_id).toBe('a');
		const plain = await db.query<{ data: Uint8Array }>(
			'select data from public.board_updates where seq = $1',
			[seqs[0]!]
		);
		expect([...plain[0]!.data]).toEqual([...bytes]);
	});

	it('fail as a query does (a board that does not exist), and work again afterwards', async () => {
		const db = await withBoards('a');
		await expect(db.prepared(INSERT, ['gone', Uint8Array.of(1)])).rejects.toThrow(/foreign key/);
		const [row] = await db.prepared<{ seq: number }>(INSERT, ['a', Uint8Array.of(2)]);
		expect(row!.seq).toBeGreaterThan(0);
		// A statement that does not parse is refused, and so is it the next time.
		await expect(db.prepared('insert into nowhere values ($1)', ['x'])).rejects.toThrow();
		await expect(db.prepared('insert into nowhere values ($1)', ['x'])).rejects.toThrow();
	});

	it('never run inside another caller’s transaction', async () => {
		const db = await withBoards('a');
		let inside!: () => void;
		const entered = new Promise<void>((resolve) => (inside = resolve));
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const rolledBack = db
			.transaction(async (tx) => {
				await tx.query(INSERT, ['a', Uint8Array.of(1)]);
				inside();
				await held;
				throw new Error('rolled back on purpose');
			})
			.catch((err: Error) => err.message);
		await entered;
		const prepared = db.prepared<{ seq: number }>(INSERT, ['a', Uint8Array.of(2)]);
		release();
		expect(await rolledBack).toBe('rolled back on purpose');
		await prepared;
		const rows = await db.query<{ data: Uint8Array }>(
			'select data from public.board_updates where board_id = $1',
			['a']
		);
		// The prepared insert ran after the rollback, not inside it: its row is there, the other not.
		expect(rows.map((r) => [...r.data])).toEqual([[2]]);
	});
});

describe('prepared statements on pglite refuse what they do not convert', () => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('a date parameter, a timestamp result', async () => {
		db = await migratedDb('pglite');
		await expect(db.prepared('select $1::timestamptz as t', [new Date()])).rejects.toThrow(/Date/);
		await expect(db.prepared('select now() as t', [])).rejects.toThrow(/type 1184/);
	});
});
