import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { openDb } from '../../src/lib/server/db';
import { PGLITE_TEMPLATE_ENV } from './server-process';
import { startPostgres } from './postgres';

/**
 * Vitest global setup: one real PostgreSQL 15 for the whole run; each test file creates its own
 * database on it (see `createDatabase`), so files stay isolated and can run in parallel.
 */
export default async function setup(project: TestProject) {
	const pg = await startPostgres();
	project.provide('postgresUrl', pg.url);
	// A PGlite data folder migrated once: each test's folder starts as a copy of it (migrating
	// PGlite takes seconds, copying a fraction of one); the servers' own migration then finds
	// nothing to do. The test workers inherit the variable.
	const template = mkdtempSync(join(tmpdir(), 'buurtbord-pglite-template-'));
	await (await openDb({ dataDir: template })).close();
	process.env[PGLITE_TEMPLATE_ENV] = template;
	return async () => {
		await pg.stop();
		rmSync(template, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		postgresUrl: string;
	}
}
