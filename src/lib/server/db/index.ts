import { resolve } from 'node:path';
import { migrate, readMigrations } from './migrate';
import type { Db } from './types';

export type { Db, Queryable, SqlParam } from './types';

/** The app runs from the project folder (npm scripts, tests); bundling would break import.meta paths. */
export const MIGRATIONS_DIR = resolve(process.cwd(), 'supabase/migrations');

export interface DbConfig {
	/** postgres://… selects PostgreSQL (or Supabase); unset selects embedded PGlite. */
	databaseUrl?: string;
	/** PGlite data folder (ignored for PostgreSQL). */
	dataDir: string;
	migrationsDir?: string;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDb(config: DbConfig): Promise<Db> {
	// Only the driver in use is loaded (each is several MB of resident memory).
	const db = config.databaseUrl
		? await (await import('./postgres')).openPostgres(config.databaseUrl)
		: await (await import('./pglite')).openPglite(config.dataDir);
	try {
		await migrate(db, await readMigrations(config.migrationsDir ?? MIGRATIONS_DIR));
	} catch (err) {
		await db.close();
		throw err;
	}
	return db;
}
