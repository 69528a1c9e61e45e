import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db';
import { freshDatabase } from '../support/drivers';

/**
 * The row-level security policies, tested in the database itself: the pgTAP files in
 * supabase/tests run with pg_prove (as `supabase test db` would) against a freshly migrated
 * database on the test PostgreSQL 15. pg_prove comes with the Debian package postgresql-15-pgtap,
 * which .ci/run installs; without it this test fails rather than skips.
 */
const TESTS_DIR = join(process.cwd(), 'supabase/tests');

it('passes every pgTAP test in supabase/tests on PostgreSQL 15', { timeout: 120_000 }, async () => {
	const probe = spawnSync('pg_prove', ['--version'], { encoding: 'utf8' });
	if (probe.error || probe.status !== 0) {
		throw new Error(
			'pg_prove not found: install the Debian package postgresql-15-pgtap (.ci/run does) ' +
				`to run the pgTAP tests in supabase/tests (${probe.error?.message ?? probe.stderr})`
		);
	}

	const files = readdirSync(TESTS_DIR)
		.filter((f) => f.endsWith('.sql'))
		.sort()
		.map((f) => join(TESTS_DIR, f));
	expect(files.length).toBeGreaterThan(0);

	const { databaseUrl } = await freshDatabase('postgres');
	const db = await openDb({ databaseUrl, dataDir: '' });
	try {
		await db.exec('create extension if not exists pgtap');
	} finally {
		await db.close();
	}

	const result = spawnSync('pg_prove', ['--failures', '-d', databaseUrl!, ...files], {
		encoding: 'utf8',
		timeout: 100_000
	});
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
	expect(result.status, `pg_prove failed:\n${output}`).toBe(0);
	expect(output).toMatch(/All tests successful/);
});
