/**
 * Duplicate merging for the address register. Two records are the same address when postcode,
 * house number, letter and toevoeging agree (normalised, case-insensitive; see
 * {@link addressKey}), or, where one has no postcode, street, number, letter and toevoeging in
 * the same place ({@link AddressIndex}). Duplicates are merged, not doubled: the earlier record
 * stays and later non-empty fields only fill its gaps (an existing register entry is always
 * "earlier").
 */
import type { Address } from './address';
import { AddressIndex } from './address-index';
import type { AddressDraft, ImportedAddress } from './import';

const FILLABLE = [
	'street',
	'houseLetter',
	'addition',
	'postcode',
	'city',
	'bagId',
	'complexNumber',
	'unitNumber'
] as const satisfies readonly (keyof AddressDraft)[];

type Fillable = (typeof FILLABLE)[number];

function isEmpty(v: string | null | undefined): boolean {
	return v === null || v === undefined || v.trim() === '';
}

/** Fills the empty fields of `target` from `source`; returns the names of the fields filled. */
function fillGaps<T extends AddressDraft | Address>(target: T, source: AddressDraft): Fillable[] {
	const filled: Fillable[] = [];
	for (const f of FILLABLE) {
		if (isEmpty(target[f]) && !isEmpty(source[f])) {
			(target as Record<Fillable, string | null>)[f] = source[f] ?? null;
			filled.push(f);
		}
	}
	return filled;
}

function fillCoordinates(target: ImportedAddress, source: AddressDraft): boolean {
	if (target.lon !== null && target.lat !== null) return false;
	if (source.lon === null || source.lat === null) return false;
	target.lon = source.lon;
	target.lat = source.lat;
	target.needsGeocoding = false;
	return true;
}

export interface DedupeResult {
	rows: ImportedAddress[];
	/** How many rows were folded into an earlier row of the same import. */
	merged: number;
	/** For each kept row (by its line), the lines that were merged into it. */
	mergedLines: Map<number, number[]>;
	/** The rows folded into an earlier one, as they were in the file. */
	duplicates: ImportedAddress[];
}

/** Merges duplicates within one import; the first occurrence keeps its place and line. */
export function dedupeImport(rows: readonly ImportedAddress[]): DedupeResult {
	const index = new AddressIndex<ImportedAddress>();
	const out: ImportedAddress[] = [];
	const mergedLines = new Map<number, number[]>();
	const duplicates: ImportedAddress[] = [];
	let merged = 0;
	for (const row of rows) {
		const first = index.find(row);
		if (!first) {
			const copy = { ...row };
			index.add(copy);
			out.push(copy);
			continue;
		}
		merged++;
		duplicates.push(row);
		fillGaps(first, row);
		fillCoordinates(first, row);
		const lines = mergedLines.get(first.line) ?? [];
		lines.push(row.line);
		mergedLines.set(first.line, lines);
	}
	return { rows: out, merged, mergedLines, duplicates };
}

/**
 * What the browser sends to store an import: the rows ready to store (one per address, first
 * occurrence, geocoded where needed) followed by their duplicates in the file, so the server
 * merges — and counts — exactly what the preview merged (`mergeImport(register, rowsToSend(…))`
 * gives the preview's numbers). Duplicates of rows not ready (still to geocode, not found) wait
 * with them.
 */
export function rowsToSend(
	ready: readonly ImportedAddress[],
	duplicates: readonly ImportedAddress[]
): ImportedAddress[] {
	if (duplicates.length === 0) return [...ready];
	const index = new AddressIndex(ready);
	return [...ready, ...duplicates.filter((d) => index.has(d))];
}

export interface RegisterUpdate {
	/** The existing address with gaps filled (a new object; the input is not mutated). */
	address: Address;
	/** The fields that got a value. */
	filled: Fillable[];
}

export interface MergeResult {
	/** New addresses (deduplicated), to be given ids; those with `needsGeocoding` still lack coordinates. */
	added: ImportedAddress[];
	/** Existing addresses that an import row completed (only changed ones are listed). */
	updated: RegisterUpdate[];
	/** Rows merged into an earlier row of the same import. */
	mergedWithinImport: number;
	/** Rows that matched an address already in the register (whether or not they filled a gap). */
	mergedWithExisting: number;
	/** Total rows merged: mergedWithinImport + mergedWithExisting. */
	merged: number;
}

/**
 * Merges import rows into an existing register: first duplicates within the import, then each
 * remaining row either completes the matching register address or is added.
 */
export function mergeImport(
	existing: readonly Address[],
	rows: readonly ImportedAddress[]
): MergeResult {
	const within = dedupeImport(rows);
	const register = new AddressIndex(existing);
	const updates = new Map<string, RegisterUpdate>();
	const added: ImportedAddress[] = [];
	let mergedWithExisting = 0;
	for (const row of within.rows) {
		const current = register.find(row);
		if (!current) {
			added.push(row);
			continue;
		}
		mergedWithExisting++;
		const update = updates.get(current.id) ?? { address: { ...current }, filled: [] };
		const filled = fillGaps(update.address, row);
		if (filled.length > 0) {
			update.filled.push(...filled);
			updates.set(current.id, update);
		}
	}
	return {
		added,
		updated: [...updates.values()],
		mergedWithinImport: within.merged,
		mergedWithExisting,
		merged: within.merged + mergedWithExisting
	};
}
