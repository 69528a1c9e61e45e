import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './types';

export interface Migration {
	version: string;
	name: string;
	sql: string;
}

/** Supabase CLI file names: `<14-digit timestamp>_<name>.sql`. */
const FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export async function readMigrations(dir: string): Promise<Migration[]> {
	const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
	const migrations: Migration[] = [];
	for (const file of files) {
		const match = FILE.exec(file);
		if (!match) throw new Error(`Migration file name not in Supabase CLI form: ${file}`);
		migrations.push({
			version: match[1]!,
			name: match[2]!,
			sql: await readFile(join(dir, file), 'utf8')
		});
	}
	return migrations;
}

/**
 * Applies the migrations that have not run yet, each in its own transaction, and records them
 * in the same table the Supabase CLI uses (`supabase_migrations.schema_migrations`), so that
 * `supabase db push --db-url` and this migrator agree on what has been applied.
 * Returns the versions it applied.
 */
export async function migrate(db: Db, migrations: Migration[]): Promise<string[]> {
	await db.exec(`
		create schema if not exists supabase_migrations;
		create table if not exists supabase_migrations.schema_migrations (
			version text primary key,
			statements text[],
			name text
		);
	`);
	const applied = new Set(
		(
			await db.query<{ version: string }>(
				'select version from supabase_migrations.schema_migrations'
			)
		).map((r) => r.version)
	);
	const ran: string[] = [];
	for (const m of migrations) {
		if (applied.has(m.version)) continue;
		// A migration and its record commit together or not at all.
		try {
			await db.transaction(async (tx) => {
				await tx.exec(m.sql);
				await tx.query(
					'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
					[m.version, m.name, [m.sql]]
				);
			});
		} catch (err) {
			throw new Error(`Migration ${m.version}_${m.name} failed: ${(err as Error).message}`, {
				cause: err
			});
		}
		ran.push(m.version);
	}
	return ran;
}
