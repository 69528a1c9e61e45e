import type { PGlite } from '@electric-sql/pglite';
import type { SqlParam } from './types';

/**
 * Statements that PGlite keeps prepared: parsed and planned once, then run by name with the
 * PostgreSQL wire protocol (Bind, Describe, Execute, Sync) instead of `PGlite.query`, which
 * parses and plans the text again every time and sends bytes as hex text. PGlite's WebAssembly
 * runs on V8's baseline compiler (pglite.ts), so this is most of a small statement's cost: an
 * insert into a board's update log took ~540 µs of CPU through `query` and ~160–230 µs prepared
 * (docs/benchmarks.md, session 26). The sync server stores every board's log this way.
 *
 * Each run holds PGlite's two locks, as its own `query` does (its transaction lock and its query
 * lock): it never runs between the statements of another caller's transaction. Parameters: text, numbers, booleans, bytes and null. Result
 * columns: integers (as numbers), text, booleans and bytea; other types are refused, so that a
 * new use fails at once instead of returning them as text.
 */
export class PglitePrepared {
	/** Statement text → the name it is prepared under. */
	readonly #names = new Map<string, string>();

	constructor(private readonly pg: PGlite) {}

	async query<T extends object>(sql: string, params: SqlParam[]): Promise<T[]> {
		// Encoded before the lock: a parameter of a type this path does not send fails on its own.
		const values = params.map(encodeParam);
		// The same two locks as PGlite's own `query`: never between the statements of a transaction.
		return this.pg._runExclusiveTransaction(() =>
			this.pg._runExclusiveQuery(async () => {
				const name = this.#names.get(sql) ?? (await this.#prepare(sql));
				const bind = message('B', [
					cstring(''),
					cstring(name),
					int16(values.length),
					...values.map((v) => int16(v.binary ? 1 : 0)),
					int16(values.length),
					...values.flatMap((v) => (v.bytes ? [int32(v.bytes.byteLength), v.bytes] : [int32(-1)])),
					// Every result column as text.
					int16(0)
				]);
				const describe = message('D', [Uint8Array.of(0x50), cstring('')]);
				const execute = message('E', [cstring(''), int32(0)]);
				// Throws the statement's error (a DatabaseError, as `query` does); Sync ends it either way.
				const { messages } = await this.pg.execProtocol(concat([bind, describe, execute, SYNC]));
				return rowsOf<T>(messages);
			})
		);
	}

	/** Parses the statement under a new name (on its own: a later error leaves it prepared). */
	async #prepare(sql: string): Promise<string> {
		const name = `buurtbord_${this.#names.size + 1}`;
		// No parameter types: PostgreSQL infers them from the statement, as for `query`.
		const parse = message('P', [cstring(name), cstring(sql), int16(0)]);
		await this.pg.execProtocol(concat([parse, SYNC]));
		this.#names.set(sql, name);
		return name;
	}
}

interface Encoded {
	binary: boolean;
	bytes: Uint8Array | null;
}

const utf8 = new TextEncoder();

function encodeParam(value: SqlParam): Encoded {
	if (value === null) return { binary: false, bytes: null };
	if (value instanceof Uint8Array) return { binary: true, bytes: value };
	if (typeof value === 'string') return { binary: false, bytes: utf8.encode(value) };
	if (typeof value === 'number' || typeof value === 'bigint') {
		return { binary: false, bytes: utf8.encode(String(value)) };
	}
	if (typeof value === 'boolean') return { binary: false, bytes: utf8.encode(value ? 't' : 'f') };
	throw new TypeError(`a prepared statement takes no ${Array.isArray(value) ? 'array' : 'Date'}`);
}

/**
 * A bytea in PostgreSQL's text format (`\x` and hex). PGlite's own codec converts byte by byte in
 * JS (~120 ms for a 2 MB Yjs state); Node's hex codec does the same in ~10 ms.
 */
export function byteaFromHex(text: string): Uint8Array {
	return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
}

/** How a result column arrives in text format, by PostgreSQL's type id. */
const READ = new Map<number, (text: string) => unknown>([
	[20, Number], // int8: sequence numbers stay far below 2^53
	[21, Number],
	[23, Number],
	[16, (text) => text === 't'],
	[17, byteaFromHex],
	[19, String],
	[25, String],
	[1043, String]
]);

interface Field {
	name: string;
	dataTypeID: number;
}

function rowsOf<T>(messages: unknown[]): T[] {
	let fields: Field[] = [];
	const rows: T[] = [];
	for (const m of messages as { name: string; fields?: unknown[] }[]) {
		if (m.name === 'rowDescription') {
			fields = m.fields as Field[];
			const other = fields.find((f) => !READ.has(f.dataTypeID));
			if (other) {
				throw new TypeError(
					`a prepared statement returns no type ${other.dataTypeID} (${other.name})`
				);
			}
		} else if (m.name === 'dataRow') {
			const row: Record<string, unknown> = {};
			(m.fields as (string | null)[]).forEach((text, i) => {
				const { name, dataTypeID } = fields[i]!;
				row[name] = text === null ? null : READ.get(dataTypeID)!(text);
			});
			rows.push(row as T);
		}
	}
	return rows;
}

/** One frontend message: its type byte, its length (itself included) and its body. */
function message(type: string, body: Uint8Array[]): Uint8Array {
	const rest = concat(body);
	const out = new Uint8Array(5 + rest.byteLength);
	out[0] = type.charCodeAt(0);
	new DataView(out.buffer).setInt32(1, 4 + rest.byteLength);
	out.set(rest, 5);
	return out;
}

const SYNC = message('S', []);

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.byteLength;
	}
	return out;
}

function cstring(text: string): Uint8Array {
	const bytes = utf8.encode(text);
	const out = new Uint8Array(bytes.byteLength + 1);
	out.set(bytes);
	return out;
}

function int16(n: number): Uint8Array {
	const out = new Uint8Array(2);
	new DataView(out.buffer).setInt16(0, n);
	return out;
}

function int32(n: number): Uint8Array {
	const out = new Uint8Array(4);
	new DataView(out.buffer).setInt32(0, n);
	return out;
}
