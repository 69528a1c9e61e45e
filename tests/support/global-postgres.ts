import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

/**
 * Vitest global setup: one real PostgreSQL 15 for the whole run; each test file creates its own
 * database on it (see `createDatabase`), so files stay isolated and can run in parallel.
 */
export default async function setup(project: TestProject) {
	const pg = await startPostgres();
	project.provide('postgresUrl', pg.url);
	return async () => {
		await pg.stop();
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		postgresUrl: string;
	}
}
