import postgres from 'postgres';
import type { Db, Queryable, SqlParam } from './types';

type Sql = postgres.Sql | postgres.TransactionSql;

/** postgres.js wants Buffers for bytea; PGlite and Yjs hand us plain Uint8Arrays. */
function toWire(params: SqlParam[]): postgres.ParameterOrJSON<never>[] {
	return params.map((p) =>
		p instanceof Uint8Array && !Buffer.isBuffer(p)
			? Buffer.from(p.buffer, p.byteOffset, p.byteLength)
			: p
	) as postgres.ParameterOrJSON<never>[];
}

/** Connects to PostgreSQL (also a Supabase project's database) with a small pool. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
	const sql = postgres(url, {
		max: options.max ?? 10,
		onnotice: () => {},
		// bigint columns (e.g. sequence numbers) come back as JS numbers: they stay far below 2^53.
		types: {
			bigint: {
				to: 20,
				from: [20],
				parse: (x: string) => Number(x),
				serialize: (x: number) => String(x)
			}
		}
	});
	await sql`select 1`;
	const wrap = (s: Sql): Queryable => ({
		async query<T extends object>(text: string, params: SqlParam[] = []) {
			const rows = await s.unsafe(text, toWire(params));
			return rows as unknown as T[];
		},
		async exec(text) {
			// Without parameters postgres.js uses the simple protocol, which allows several statements.
			await s.unsafe(text).simple();
		}
	});
	const pool = wrap(sql);
	return {
		driver: 'postgres',
		...pool,
		// postgres.js prepares every statement on each connection of its pool already.
		prepared: pool.query,
		transaction<T>(fn: (tx: Queryable) => Promise<T>) {
			return sql.begin((tx) => fn(wrap(tx))) as Promise<T>;
		},
		async close() {
			await sql.end({ timeout: 5 });
		}
	};
}
