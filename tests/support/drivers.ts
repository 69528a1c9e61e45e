import { inject } from 'vitest';
import postgres from 'postgres';
import { tempDataDir } from './server-process';

/** The two database drivers every storage test runs against. */
export const DRIVERS = ['pglite', 'postgres'] as const;
export type Driver = (typeof DRIVERS)[number];

let counter = 0;

/** A fresh, empty database for one test: a PGlite folder, or a new database on the test PostgreSQL 15. */
export async function freshDatabase(
	driver: Driver,
	{ migrated = true }: { migrated?: boolean } = {}
): Promise<{ dataDir?: string; databaseUrl?: string }> {
	if (driver === 'pglite') {
		// Migrated: a copy of the run's migrated template (the migrations then find nothing to do).
		return { dataDir: tempDataDir({ empty: !migrated }) };
	}
	const server = inject('postgresUrl');
	const name = `t_${process.pid}_${Date.now()}_${counter++}`;
	const sql = postgres(server, { max: 1, onnotice: () => {} });
	try {
		await sql.unsafe(`create database "${name}"`);
	} finally {
		await sql.end();
	}
	return { databaseUrl: server.replace(/\/[^/]*$/, `/${name}`) };
}
