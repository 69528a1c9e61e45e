import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, SqlParam } from './types';

/** Opens (or creates) an embedded PGlite database in `dataDir`; `memory://` keeps it in memory. */
export async function openPglite(dataDir: string): Promise<Db> {
	if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
	const pg = await PGlite.create(dataDir, {
		// PGlite's own bytea codec converts byte by byte in JS: ~120 ms to read a 2 MB Yjs state.
		// Node's hex codec does the same in ~10 ms.
		parsers: { [types.BYTEA]: (hex: string) => new Uint8Array(Buffer.from(hex.slice(2), 'hex')) },
		serializers: {
			[types.BYTEA]: (bytes: Uint8Array) =>
				`\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
		}
	});
	const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
		async query<T extends object>(sql: string, params: SqlParam[] = []) {
			const result = await q.query<T>(sql, params);
			return result.rows;
		},
		async exec(sql) {
			await q.exec(sql);
		}
	});
	return {
		driver: 'pglite',
		...wrap(pg),
		transaction(fn) {
			return pg.transaction((tx) => fn(wrap(tx)));
		},
		async close() {
			if (!pg.closed) await pg.close();
		}
	};
}
