import { createBoard } from '../../src/lib/server/boards';
import { openDb, type Db } from '../../src/lib/server/db';
import { openPglite } from '../../src/lib/server/db/pglite';
import { openPostgres } from '../../src/lib/server/db/postgres';
import { freshDatabase, type Driver } from './drivers';

/** A migrated, empty database on the given driver; close it after the test. */
export async function migratedDb(driver: Driver): Promise<Db> {
	const target = await freshDatabase(driver);
	return openDb({ databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' });
}

/** An empty database without any migration applied. */
export async function emptyDb(driver: Driver): Promise<Db> {
	const target = await freshDatabase(driver, { migrated: false });
	return target.databaseUrl ? openPostgres(target.databaseUrl) : openPglite(target.dataDir!);
}

/** A migrated database holding one empty board, "complex" (a corporation's complex 104). */
export async function complexBoardDb(driver: Driver): Promise<Db> {
	const db = await migratedDb(driver);
	await createBoard(db, {
		id: 'complex',
		name: 'Complex 104',
		centerLon: 5.86,
		centerLat: 51.83,
		zoom: 16
	});
	return db;
}
