import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, SqlParam } from './types';

/**
 * PostgreSQL's buffer cache inside PGlite's WebAssembly memory. PostgreSQL's default (128 MB) is
 * most of the server's resident memory once touched; a board is a few rows of at most some MB, so
 * 16 MB serves them (measured: a reopened data folder at ~340 MB RSS instead of ~450 MB with
 * 32 MB; 16 MB takes another ~20 MB off the server under the bench's load, docs/benchmarks.md).
 * BUURTBORD_PGLITE_SHARED_BUFFERS (e.g. "128MB") sets another size.
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** Opens (or creates) an embedded PGlite database in `dataDir`; `memory://` keeps it in memory. */
export async function openPglite(
	dataDir: string,
	sharedBuffers: string = process.env.BUURTBORD_PGLITE_SHARED_BUFFERS || PGLITE_SHARED_BUFFERS
): Promise<Db> {
	if (!/^\d+(kB|MB|GB)$/.test(sharedBuffers)) {
		throw new Error(
			`BUURTBORD_PGLITE_SHARED_BUFFERS must be a size such as 32MB, not ${sharedBuffers}`
		);
	}
	if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
	const defaults = PGlite.defaultStartParams;
	const pg = await PGlite.create(dataDir, {
		startParams: [...defaults, '-c', `shared_buffers=${sharedBuffers}`],
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
