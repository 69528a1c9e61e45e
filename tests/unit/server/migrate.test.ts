import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db';
import { MIGRATIONS_DIR } from '../../../src/lib/server/db';
import { migrate, readMigrations } from '../../../src/lib/server/db/migrate';
import { DRIVERS } from '../../support/drivers';
import { emptyDb } from '../../support/db';

function migrationsDir(files: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), 'buurtbord-migrations-'));
	for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
	return dir;
}

describe.each(DRIVERS)('the migrator on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('applies the project migrations once and records them as the Supabase CLI does', async () => {
		db = await emptyDb(driver);
		const migrations = await readMigrations(MIGRATIONS_DIR);
		expect(migrations.length).toBeGreaterThan(0);
		expect(await migrate(db, migrations)).toEqual(migrations.map((m) => m.version));
		// A second start finds nothing to do.
		expect(await migrate(db, migrations)).toEqual([]);
		const recorded = await db.query<{ version: string; name: string; statements: string[] }>(
			'select version, name, statements from supabase_migrations.schema_migrations order by version'
		);
		expect(recorded.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
		expect(recorded[0]!.statements[0]).toBe(migrations[0]!.sql);
		const tables = await db.query<{ tablename: string; rowsecurity: boolean }>(
			"select tablename, rowsecurity from pg_tables where schemaname = 'public' order by tablename"
		);
		// Every table has row-level security from the migration that creates it.
		expect(tables.filter((t) => !t.rowsecurity)).toEqual([]);
		expect(tables.map((t) => t.tablename)).toEqual(
			expect.arrayContaining([
				'addresses',
				'board_members',
				'board_updates',
				'boards',
				'local_credentials',
				'login_attempts',
				'organisations',
				'profiles',
				'sessions'
			])
		);
		// initdb and every migration on PGlite: seconds on a quiet machine, half a minute under load.
	}, 120_000);

	it('leaves nothing behind from a migration that fails, and keeps what ran before', async () => {
		db = await emptyDb(driver);
		const dir = migrationsDir({
			'20260101000000_first.sql': 'create table public.first (id int);',
			'20260102000000_broken.sql':
				'create table public.half (id int);\ninsert into public.nope values (1);'
		});
		await expect(migrate(db, await readMigrations(dir))).rejects.toThrow(
			/20260102000000_broken failed: .*nope/
		);
		const tables = await db.query<{ tablename: string }>(
			"select tablename from pg_tables where schemaname = 'public' order by tablename"
		);
		expect(tables.map((t) => t.tablename)).toEqual(['first']);
		const recorded = await db.query<{ version: string }>(
			'select version from supabase_migrations.schema_migrations'
		);
		expect(recorded.map((r) => r.version)).toEqual(['20260101000000']);
	});
});

describe('reading migrations', () => {
	it('refuses a file that is not named as the Supabase CLI names them', async () => {
		const dir = migrationsDir({ 'boards.sql': 'select 1;' });
		await expect(readMigrations(dir)).rejects.toThrow(/not in Supabase CLI form: boards.sql/);
	});

	it('orders migrations by their timestamp', async () => {
		const dir = migrationsDir({
			'20260102000000_b.sql': 'select 2;',
			'20260101000000_a.sql': 'select 1;'
		});
		expect((await readMigrations(dir)).map((m) => m.name)).toEqual(['a', 'b']);
	});
});
