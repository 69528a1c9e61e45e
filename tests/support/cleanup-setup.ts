import { afterAll } from 'vitest';
import { removeTempDataDirs } from './server-process';

/**
 * Vitest setup file: after each test file (its own afterAll hooks, which stop its servers and
 * close its databases, run before this one), the PGlite data folders it made are removed. The
 * run's folder is removed at the end anyway (temp-run-setup.ts); this keeps it small while the
 * run goes on, instead of gigabytes to remove at the end.
 */
afterAll(() => {
	removeTempDataDirs();
});
