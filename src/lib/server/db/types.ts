/** A value that can be bound as a query parameter on both drivers. */
export type SqlParam = string | number | bigint | boolean | null | Uint8Array | Date | string[];

/** Something that runs parameterised SQL: a database or an open transaction. */
export interface Queryable {
	query<T extends object>(sql: string, params?: SqlParam[]): Promise<T[]>;
	/** Runs a script of several statements without parameters (migrations). */
	exec(sql: string): Promise<void>;
}

/**
 * One query interface over PGlite (embedded) and postgres.js (PostgreSQL / Supabase).
 * All SQL in the app is written once against this interface.
 */
export interface Db extends Queryable {
	readonly driver: 'pglite' | 'postgres';
	/**
	 * Runs one statement that the app runs often with the same text, kept prepared: parsed and
	 * planned once (PGlite: pglite-prepared.ts; postgres.js prepares every statement already).
	 * Parameters: text, numbers, booleans, bytes, null; results: integers, text, booleans, bytes.
	 */
	prepared<T extends object>(sql: string, params: SqlParam[]): Promise<T[]>;
	/** Runs `fn` in one transaction; it is rolled back if `fn` throws. */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}
