import { mkdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { PGlite, types } from '@electric-sql/pglite';
import { releaseFileBundle } from './pglite-bundle';
import { byteaFromHex, PglitePrepared } from './pglite-prepared';
import type { Db, Queryable, SqlParam } from './types';

/**
 * PostgreSQL's buffer cache inside PGlite's WebAssembly memory. PostgreSQL's default (128 MB) is
 * most of the server's resident memory once touched; a board is a few rows of at most some MB, so
 * 16 MB serves them (measured: a reopened data folder at ~340 MB RSS instead of ~450 MB with
 * 32 MB; 16 MB takes another ~20 MB off the server under the bench's load, docs/benchmarks.md).
 * PGlite touches all of it at start: 2 MB (256 pages) takes ~6 MB more off than 8 MB, with the
 * same CPU per edit on the bench's 500 connections over 50 boards (a board's document is held by
 * the sync server once loaded; a buffer PostgreSQL evicts is read again from the operating
 * system's file cache). BUURTBORD_PGLITE_SHARED_BUFFERS (e.g. "128MB") sets another size.
 */
export const PGLITE_SHARED_BUFFERS = '2MB';

/**
 * PGlite is one single-user backend: PostgreSQL's 100 connection slots (process entries, lock
 * tables) are shared memory that no other connection ever uses; 5 keeps 2 above the 3 reserved
 * for superusers.
 */
const PGLITE_MAX_CONNECTIONS = 5;

/**
 * V8 runs PGlite's WebAssembly on its baseline compiler (Liftoff) only. By default V8 recompiles
 * hot functions with its optimizing compiler (TurboFan), and one of them is PostgreSQL's SQL
 * parser (raw_parser, 105 kB of WebAssembly, run for every query): compiling it takes ~0.9 s and
 * ~600 MB of compiler memory, which made the server's peak resident memory ~730 MB within seconds
 * of its start or its first queries, and left ~50 MB more resident afterwards. Measured on the
 * bench (bench/cpu.ts, docs/benchmarks.md): peak 730 → 190 MB, steady 240 → 190 MB, CPU per
 * edit no worse. Set before PGlite compiles its module; it applies to every WebAssembly module
 * of the process (PGlite's is the only one of the server). BUURTBORD_PGLITE_WASM_OPTIMIZE=1 keeps
 * V8's default.
 */
function useBaselineWasmCompiler(): void {
	if (process.env.BUURTBORD_PGLITE_WASM_OPTIMIZE === '1') return;
	setFlagsFromString('--no-wasm-dynamic-tiering');
	setFlagsFromString('--no-wasm-tier-up');
}

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
	useBaselineWasmCompiler();
	const defaults = PGlite.defaultStartParams;
	const pg = await PGlite.create(dataDir, {
		startParams: [
			...defaults,
			'-c',
			`shared_buffers=${sharedBuffers}`,
			'-c',
			`max_connections=${PGLITE_MAX_CONNECTIONS}`
		],
		parsers: { [types.BYTEA]: byteaFromHex },
		serializers: {
			[types.BYTEA]: (bytes: Uint8Array) =>
				`\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
		}
	});
	const bundle = releaseFileBundle(pg);
	const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
		async query<T extends object>(sql: string, params: SqlParam[] = []) {
			const result = await q.query<T>(sql, params);
			return result.rows;
		},
		async exec(sql) {
			await q.exec(sql);
		}
	});
	const prepared = new PglitePrepared(pg);
	return {
		driver: 'pglite',
		...wrap(pg),
		prepared: (sql, params) => prepared.query(sql, params),
		transaction(fn) {
			return pg.transaction((tx) => fn(wrap(tx)));
		},
		async close() {
			if (!pg.closed) await pg.close();
			bundle.close();
		}
	};
}
