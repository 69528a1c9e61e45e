import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/**
 * Backup and restore of the embedded PGlite database: PGlite's own dump of its data folder (a
 * gzipped tarball of a cleanly opened database, so it is consistent), which `restore` loads into a
 * new data folder. The caller holds the data folder's lock (no server runs on it meanwhile).
 * For PostgreSQL and Supabase use pg_dump / pg_restore (README).
 */
export async function backupPglite(dataDir: string, file: string): Promise<number> {
	if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) {
		throw new Error(`There is no database in ${dataDir}.`);
	}
	const pg = await PGlite.create(dataDir);
	try {
		// A checkpoint first: everything written so far is in the data files the dump copies.
		await pg.exec('checkpoint');
		const dump = await pg.dumpDataDir('gzip');
		const bytes = Buffer.from(await dump.arrayBuffer());
		writeFileSync(`${file}.tmp`, bytes, { mode: 0o600 });
		renameSync(`${file}.tmp`, file);
		return bytes.byteLength;
	} finally {
		await pg.close();
	}
}

/**
 * Turns a backup into the data folder `dataDir`. An existing folder is moved aside first (to
 * `<dataDir>.before-restore-<time>`, returned) and moved back when the backup cannot be opened.
 * Returns the number of boards in the restored database.
 */
export async function restorePglite(
	dataDir: string,
	file: string
): Promise<{ boards: number; previous: string | null }> {
	const dump = new Blob([readFileSync(file)]);
	let previous: string | null = null;
	if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
		previous = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		renameSync(dataDir, previous);
	} else {
		rmSync(dataDir, { recursive: true, force: true });
	}
	try {
		const pg = await PGlite.create(dataDir, { loadDataDir: dump });
		try {
			const { rows } = await pg.query<{ n: number }>(
				'select count(*)::int as n from public.boards'
			);
			return { boards: rows[0]?.n ?? 0, previous };
		} finally {
			await pg.close();
		}
	} catch (err) {
		rmSync(dataDir, { recursive: true, force: true });
		if (previous) renameSync(previous, dataDir);
		throw new Error(`${file} is not a Buurtbord backup that opens: ${(err as Error).message}`, {
			cause: err
		});
	}
}
