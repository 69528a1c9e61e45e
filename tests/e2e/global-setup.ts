import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/lib/server/db';
import { PGLITE_TEMPLATE_ENV } from '../support/server-process';

/**
 * Migrates one PGlite data folder for the run (in the run's own folder, removed with it): the
 * specs' own servers start from a copy (seedServerUsers), as migrating PGlite takes seconds.
 * Workers inherit the variable.
 */
export default async function globalSetup(): Promise<void> {
	const template = join(process.env.BUURTBORD_E2E_DIR!, 'pglite-template');
	if (!existsSync(join(template, 'PG_VERSION')))
		await (await openDb({ dataDir: template })).close();
	process.env[PGLITE_TEMPLATE_ENV] = template;
}
