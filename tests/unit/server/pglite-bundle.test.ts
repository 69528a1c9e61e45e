import { PGlite } from '@electric-sql/pglite';
import { copyFileSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseFileBundle, type ReleasedBundle } from '../../../src/lib/server/db/pglite-bundle';

const bundleOnDisk = join(
	dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
	'pglite.data'
);

async function localTime(pg: PGlite, zone: string): Promise<string> {
	await pg.exec(`set time zone '${zone}'`);
	const { rows } = await pg.query<{ t: string }>(
		`select '2026-07-01 12:00:00+00'::timestamptz::text as t`
	);
	return rows[0]!.t;
}

// Each test starts a PGlite of its own (initdb in WebAssembly): a few seconds on a quiet machine,
// over 30 s on a busy one.
describe("PGlite's file bundle, read from disk after the start", { timeout: 90_000 }, () => {
	let pg: PGlite | undefined;
	let released: ReleasedBundle | undefined;
	let dir: string | undefined;
	afterEach(async () => {
		await pg?.close();
		released?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
		pg = released = dir = undefined;
	});

	/** A copy of pglite.data that a test may change. */
	function copyOfBundle(): string {
		dir = mkdtempSync(join(tmpdir(), 'buurtbord-bundle-'));
		const path = join(dir, 'pglite.data');
		copyFileSync(bundleOnDisk, path);
		return path;
	}

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
		released = releaseFileBundle(pg);
		expect(released.files).toBeGreaterThan(500);
		expect(released.bytes).toBeGreaterThan(5_000_000);
		expect(paths.map((path) => fs.readFile(path))).toEqual(before);

		// Files PostgreSQL opens only when a query needs them: a time zone, a text search
		// dictionary (a library and its stop words), PL/pgSQL.
		expect(await localTime(pg, 'Europe/Amsterdam')).toBe('2026-07-01 14:00:00+02');
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
		released = releaseFileBundle(pg);
		expect(releaseFileBundle(pg).files).toBe(0);
		expect(await localTime(pg, 'Asia/Tokyo')).toBe('2026-07-01 21:00:00+09');
	});

	it('keeps reading the same bytes when an upgrade replaces the file on disk', async () => {
		const path = copyOfBundle();
		pg = await PGlite.create('memory://');
		released = releaseFileBundle(pg, path);
		expect(released.files).toBeGreaterThan(500);
		// As npm does: a new file in its place, the old one unlinked.
		writeFileSync(`${path}.new`, 'another version');
		renameSync(`${path}.new`, path);
		expect(await localTime(pg, 'America/New_York')).toBe('2026-07-01 08:00:00-04');
	});

	it('fails a read with an I/O error, not wrong bytes, when the file changed in place', async () => {
		const path = copyOfBundle();
		pg = await PGlite.create('memory://');
		released = releaseFileBundle(pg, path);
		utimesSync(path, new Date(), new Date(Date.now() + 60_000));
		await expect(localTime(pg, 'Australia/Sydney')).rejects.toThrow(/TimeZone/);
		// The database itself goes on.
		const { rows } = await pg.query<{ n: number }>('select 1 as n');
		expect(rows[0]!.n).toBe(1);
	});

	it('leaves the bundle in memory when the file on disk is not the same', async () => {
		dir = mkdtempSync(join(tmpdir(), 'buurtbord-bundle-'));
		const path = join(dir, 'pglite.data');
		writeFileSync(path, 'not the bundle');
		pg = await PGlite.create('memory://');
		released = releaseFileBundle(pg, path);
		expect(released.files).toBe(0);
		expect(await localTime(pg, 'Europe/Lisbon')).toBe('2026-07-01 13:00:00+01');
	});
});
