/**
 * Storing an address import in a board's register. The browser parses, maps and geocodes the file
 * (src/lib/geo) and shows a preview; after the user confirms it sends the rows here. Nothing from
 * the browser is trusted: every row is validated again ({@link parseImportPayload}), duplicates are
 * merged against the stored register (same postcode, number, letter and toevoeging: merged, not
 * doubled) and everything is stored in one transaction ({@link storeImport}).
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { Address } from '../geo/address';
import type { ImportedAddress } from '../geo/import';
import { mergeImport, type MergeOptions } from '../geo/merge';
import { MAX_HOUSE_NUMBER, normalizePostcode } from '../geo/normalize';
import { insertAddresses, listAddresses } from './boards';
import type { Db, Queryable, SqlParam } from './db';

import { MAX_IMPORT_ROWS, TEXT_LIMITS } from '../geo/import';
export { MAX_IMPORT_ROWS };
/** The most bytes an (unpacked) import payload may have. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/**
 * Control characters (NUL and friends) have no place in an address; Postgres refuses NUL in text,
 * which gave HTTP 500. Such a row is refused as invalid in that field.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/**
 * Half a UTF-16 surrogate pair ("\ud800" in the sent JSON) is no text either: Postgres refused it
 * (22P02), which also gave HTTP 500.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const noControl = (s: string | null) => s === null || (!CONTROL.test(s) && !LONE_SURROGATE.test(s));

const optionalText = (max: number) =>
	z
		.string()
		.max(max)
		.nullable()
		.refine(noControl, 'control character')
		.transform((v) => {
			const s = v?.replace(/\s+/g, ' ').trim() ?? '';
			return s === '' ? null : s;
		});

const coordinate = (limit: number) => z.number().finite().min(-limit).max(limit).nullable();

/** One row as the browser sends it, validated and normalised. */
export const importRowSchema = z
	.object({
		/** The line in the user's file, so errors can point at it. */
		line: z.number().int().min(1).max(10_000_000),
		street: z
			.string()
			.refine(noControl, 'control character')
			.transform((s) => s.replace(/\s+/g, ' ').trim())
			.pipe(z.string().min(1).max(TEXT_LIMITS.street)),
		houseNumber: z.number().int().min(1).max(MAX_HOUSE_NUMBER),
		houseLetter: z
			.string()
			.regex(/^[A-Za-z]$/)
			.nullable()
			.transform((v) => (v === null ? null : v.toUpperCase())),
		addition: optionalText(16),
		postcode: z
			.string()
			.nullable()
			.transform((v, ctx) => {
				if (v === null || v.trim() === '') return null;
				const pc = normalizePostcode(v);
				if (pc === null) {
					ctx.addIssue({ code: 'custom', message: 'postcode' });
					return z.NEVER;
				}
				return pc;
			}),
		city: optionalText(TEXT_LIMITS.city),
		lon: coordinate(180),
		lat: coordinate(90),
		bagId: z
			.string()
			.regex(/^\d{16}$/)
			.nullable(),
		complexNumber: optionalText(TEXT_LIMITS.complexNumber),
		/** The corporation's unit number (VHE); optional for clients that do not send it. */
		unitNumber: optionalText(TEXT_LIMITS.unitNumber)
			.optional()
			.transform((v) => v ?? null)
	})
	.strict()
	.refine((r) => (r.lon === null) === (r.lat === null), { path: ['lat'], message: 'coordinates' });

export type ImportRow = z.output<typeof importRowSchema>;

const payloadSchema = z
	.object({
		rows: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS),
		/** "Gewijzigde gegevens bijwerken": overwrite stored fields the file gives another value. */
		updateChanged: z.boolean().optional()
	})
	.strict();

/** A problem with one sent row: its line in the file and the field that is wrong. */
export interface RowIssue {
	line: number | null;
	field: string;
}

export type PayloadResult =
	| { ok: true; rows: ImportRow[]; updateChanged: boolean }
	| { ok: false; reason: 'payload' | 'too-many' | 'empty' }
	| { ok: false; reason: 'rows'; issues: RowIssue[]; count: number };

/** Validates the decoded payload `{ rows: [...] }`; reports at most `maxIssues` row issues. */
export function parseImportPayload(data: unknown, maxIssues = 50): PayloadResult {
	const payload = payloadSchema.safeParse(data);
	if (!payload.success) {
		const rows = (data as { rows?: unknown } | null)?.rows;
		if (Array.isArray(rows) && rows.length > MAX_IMPORT_ROWS) {
			return { ok: false, reason: 'too-many' };
		}
		if (Array.isArray(rows) && rows.length === 0) return { ok: false, reason: 'empty' };
		return { ok: false, reason: 'payload' };
	}
	const rows: ImportRow[] = [];
	const issues: RowIssue[] = [];
	let count = 0;
	for (const raw of payload.data.rows) {
		const parsed = importRowSchema.safeParse(raw);
		if (parsed.success) {
			rows.push(parsed.data);
			continue;
		}
		count++;
		if (issues.length >= maxIssues) continue;
		const rawLine = (raw as { line?: unknown } | null)?.line;
		const line = typeof rawLine === 'number' && Number.isInteger(rawLine) ? rawLine : null;
		const first = parsed.error.issues[0];
		const field = first && first.path.length > 0 ? String(first.path[0]) : 'row';
		issues.push({ line, field });
	}
	if (count > 0) return { ok: false, reason: 'rows', issues, count };
	return { ok: true, rows, updateChanged: payload.data.updateChanged ?? false };
}

/**
 * Unpacks the sent file: gzip (what the browser's CompressionStream makes) or plain JSON text,
 * never more than {@link MAX_IMPORT_BYTES}. Throws on anything unreadable.
 */
export function decodeImportPayload(bytes: Uint8Array): unknown {
	const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
	const raw = gzip ? gunzipSync(bytes, { maxOutputLength: MAX_IMPORT_BYTES }) : bytes;
	if (raw.byteLength > MAX_IMPORT_BYTES) throw new Error('payload too large');
	return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as unknown;
}

export class BoardNotFoundError extends Error {}

/** Rows that would become new addresses but have no coordinates (they must be geocoded first). */
export class MissingCoordinatesError extends Error {
	constructor(readonly lines: number[]) {
		super(`rows without coordinates: ${lines.join(', ')}`);
	}
}

export interface StoreResult {
	/** New addresses stored. */
	added: number;
	/** Rows merged into an earlier row of the same import. */
	mergedWithinImport: number;
	/** Rows that matched an address already in the register. */
	mergedWithExisting: number;
	/** Existing addresses written: a missing field filled in, or (with updateChanged) a field changed. */
	updated: number;
	/** Of those, the addresses that got a missing field filled in. */
	filled: number;
	/** Existing addresses the file gives another value in a filled field (whether written or not). */
	changed: number;
	/** Whether those changes were written. */
	updateChanged: boolean;
	/** Rows set aside: a VHE number twice in the file, or pointing at another stored address. */
	conflicts: number;
	/** Addresses in the register afterwards. */
	total: number;
}

const WRITTEN_COLUMNS = [
	['street', 'street', 'text'],
	['house_number', 'houseNumber', 'integer'],
	['house_letter', 'houseLetter', 'text'],
	['addition', 'addition', 'text'],
	['postcode', 'postcode', 'text'],
	['city', 'city', 'text'],
	['lon', 'lon', 'double precision'],
	['lat', 'lat', 'double precision'],
	['bag_id', 'bagId', 'text'],
	['complex_number', 'complexNumber', 'text'],
	['unit_number', 'unitNumber', 'text']
] as const satisfies readonly (readonly [string, keyof Address, string])[];

/** Writes updated addresses back (in place: the id stays), 500 addresses per statement. */
async function updateAddresses(tx: Queryable, boardId: string, addresses: Address[]) {
	for (let start = 0; start < addresses.length; start += 500) {
		const batch = addresses.slice(start, start + 500);
		const params: SqlParam[] = [boardId];
		const values = batch.map((a) => {
			const cells = [a.id, ...WRITTEN_COLUMNS.map(([, key]) => a[key] ?? null)] as SqlParam[];
			const base = params.length;
			params.push(...cells);
			const types = ['text', ...WRITTEN_COLUMNS.map(([, , type]) => type)];
			return `(${cells.map((_, j) => `$${base + j + 1}::${types[j]}`).join(', ')})`;
		});
		const names = ['id', ...WRITTEN_COLUMNS.map(([column]) => column)];
		await tx.query(
			`update public.addresses as a set ${WRITTEN_COLUMNS.map(([c]) => `${c} = v.${c}`).join(', ')}
			 from (values ${values.join(', ')}) as v(${names.join(', ')})
			 where a.board_id = $1 and a.id = v.id`,
			params
		);
	}
}

export function newAddressId(): string {
	return `a-${randomUUID()}`;
}

/**
 * Merges validated rows into the board's register and stores the result in one transaction: new
 * addresses are inserted, existing ones get their empty fields filled and, with `updateChanged`,
 * the fields the file gives another value (in place: an address keeps its id, so the gesprekken
 * and initiatieven that refer to it stay with it). Nothing is removed. Imports into one board
 * are serialised (the board row is locked), so two imports of the same list cannot double it.
 * Throws {@link BoardNotFoundError} or {@link MissingCoordinatesError}; then nothing is changed.
 */
export async function storeImport(
	db: Db,
	boardId: string,
	rows: readonly ImportRow[],
	{ updateChanged = false }: MergeOptions = {}
): Promise<StoreResult> {
	return db.transaction(async (tx) => {
		const [board] = await tx.query<{ id: string }>(
			'select id from public.boards where id = $1 for update',
			[boardId]
		);
		if (!board) throw new BoardNotFoundError(boardId);
		const existing = await listAddresses(tx, boardId);
		const imported: ImportedAddress[] = rows.map((r) => ({
			...r,
			needsGeocoding: r.lon === null || r.lat === null
		}));
		const merge = mergeImport(existing, imported, { updateChanged });
		const missing = merge.added.filter((r) => r.lon === null || r.lat === null);
		if (missing.length > 0) throw new MissingCoordinatesError(missing.map((r) => r.line));
		const added: Address[] = merge.added.map((r) => ({
			id: newAddressId(),
			street: r.street,
			houseNumber: r.houseNumber,
			houseLetter: r.houseLetter,
			addition: r.addition,
			postcode: r.postcode,
			city: r.city,
			lon: r.lon!,
			lat: r.lat!,
			bagId: r.bagId,
			complexNumber: r.complexNumber,
			unitNumber: r.unitNumber
		}));
		await insertAddresses(tx, boardId, added);
		await updateAddresses(
			tx,
			boardId,
			merge.updated.map((u) => u.address)
		);
		return {
			added: added.length,
			mergedWithinImport: merge.mergedWithinImport,
			mergedWithExisting: merge.mergedWithExisting,
			updated: merge.updated.length,
			filled: merge.updated.filter((u) => u.filled.length > 0).length,
			changed: merge.changed.length,
			updateChanged,
			conflicts: merge.conflicts.length,
			total: existing.length + added.length
		};
	});
}

/** How many addresses a board's register holds. */
export async function countAddresses(db: Queryable, boardId: string): Promise<number> {
	const [row] = await db.query<{ n: number | string }>(
		'select count(*)::int as n from public.addresses where board_id = $1',
		[boardId]
	);
	return Number(row?.n ?? 0);
}
