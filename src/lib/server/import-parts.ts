/**
 * A large address import arrives in parts: the server's request body limit (512 KB) cannot hold a
 * whole complex of tens of thousands of rows, so the browser sends {@link IMPORT_PART_ROWS} rows
 * per request, numbered `index/total` under one import id. Each part is validated as it arrives
 * and held in memory; only the last part stores everything, in one transaction, so an import is
 * still all or nothing. Parts are per user and board; an unfinished import is dropped after
 * {@link PART_TTL_MS} or when a part is refused.
 */
import { IMPORT_PART_ROWS } from '../geo/import';
import { MAX_IMPORT_ROWS, type ImportRow } from './addresses';

export { IMPORT_PART_ROWS };
/** The most parts of one import: enough for {@link MAX_IMPORT_ROWS}. */
export const MAX_IMPORT_PARTS = Math.ceil(MAX_IMPORT_ROWS / IMPORT_PART_ROWS);
/** An import whose next part does not come within this time is dropped. */
export const PART_TTL_MS = 10 * 60 * 1000;
/** Unfinished imports one user may have at once (all boards). */
const MAX_OPEN_PER_USER = 2;

interface Pending {
	userId: string;
	rows: ImportRow[];
	next: number;
	total: number;
	touched: number;
}

const pending = new Map<string, Pending>();

export type PartResult =
	| { done: false; received: number }
	| { done: true; rows: ImportRow[] }
	| { error: 'part' | 'too-many' | 'busy' };

function sweep(now: number): void {
	for (const [key, p] of pending) if (now - p.touched > PART_TTL_MS) pending.delete(key);
}

/** Parses an `index/total` part header ("0/25"); null when malformed. */
export function parsePartHeader(value: string | null): { index: number; total: number } | null {
	const match = value ? /^(\d{1,4})\/(\d{1,4})$/.exec(value) : null;
	if (!match) return null;
	const index = Number(match[1]);
	const total = Number(match[2]);
	if (total < 1 || total > MAX_IMPORT_PARTS || index >= total) return null;
	return { index, total };
}

/**
 * Adds one validated part. Parts must come in order (the browser sends them one after another);
 * anything else drops the import. Returns all rows once the last part is in.
 */
export function addImportPart(
	key: { userId: string; boardId: string; importId: string },
	part: { index: number; total: number },
	rows: ImportRow[],
	now = Date.now()
): PartResult {
	sweep(now);
	const id = `${key.userId}\u0000${key.boardId}\u0000${key.importId}`;
	let entry = pending.get(id);
	if (part.index === 0) {
		if (entry) pending.delete(id);
		let open = 0;
		for (const p of pending.values()) if (p.userId === key.userId) open++;
		if (open >= MAX_OPEN_PER_USER) return { error: 'busy' };
		entry = { userId: key.userId, rows: [], next: 0, total: part.total, touched: now };
		if (part.total > 1) pending.set(id, entry);
	}
	if (!entry || entry.next !== part.index || entry.total !== part.total) {
		pending.delete(id);
		return { error: 'part' };
	}
	if (entry.rows.length + rows.length > MAX_IMPORT_ROWS) {
		pending.delete(id);
		return { error: 'too-many' };
	}
	for (const row of rows) entry.rows.push(row);
	entry.next++;
	entry.touched = now;
	if (entry.next < entry.total) return { done: false, received: entry.rows.length };
	pending.delete(id);
	return { done: true, rows: entry.rows };
}

/** Drops an unfinished import (after a refused part). */
export function dropImport(key: { userId: string; boardId: string; importId: string }): void {
	pending.delete(`${key.userId}\u0000${key.boardId}\u0000${key.importId}`);
}
