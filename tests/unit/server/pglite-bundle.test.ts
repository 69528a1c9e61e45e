import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseFileBundle } from '../../../src/lib/server/db/pglite-bundle';

describe("PGlite's file bundle, read from disk after the start", () => {
	let pg: PGlite | undefined;
	afterEach(async () => {
		await pg?.close();
	});

	it('releases the bundle, and PostgreSQL still reads the files it needs later', async () => {
		pg = await PGlite.create('memory://');
		const fs = (pg as unknown as { Module: { FS: { readFile(path: string): Uint8Array } } }).Module
			.FS;
		const paths = [
			'/pglite/share/postgresql/postgres.bki',
			'/pglite/share/postgresql/timezone/Europe/Amsterdam',
			'/pglite/lib/postgresql/plpgsql.so'
		];
		const before = paths.map((path) => fs.readFile(path).slice());
		const released = releaseFileBundle(pg);
		expect(released.files).toBeGreaterThan(500);
		expect(released.bytes).toBeGreaterThan(5_000_000);
		expect(paths.map((path) => fs.readFile(path))).toEqual(before);

		// Files PostgreSQL opens only when a query needs them: a time zone, a text search
		// dictionary (a library and its stop words), PL/pgSQL.
		await pg.exec(`set time zone 'Europe/Amsterdam'`);
		const { rows: time } = await pg.query<{ t: string }>(
			`select '2026-07-01 12:00:00+00'::timestamptz::text as t`
		);
		expect(time[0]!.t).toBe('2026-07-01 14:00:00+02');
		const { rows: words } = await pg.query<{ v: string }>(
			`select to_tsvector('dutch', 'de fietsen van de buren')::text as v`
		);
		expect(words[0]!.v).toBe(`'bur':5 'fiets':2`);
		await pg.exec(`create function twice(n int) returns int language plpgsql as $$
			begin return n * 2; end $$`);
		const { rows: plpgsql } = await pg.query<{ n: number }>(`select twice(21) as n`);
		expect(plpgsql[0]!.n).toBe(42);
	});

	it('leaves a second call without effect', async () => {
		pg = await PGlite.create('memory://');
		releaseFileBundle(pg);
		expect(releaseFileBundle(pg)).toEqual({ files: 0, bytes: 0 });
		const { rows } = await pg.query<{ n: number }>('select 1 as n');
		expect(rows[0]!.n).toBe(1);
	});
});
