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
import { compactText } from './normalize';
import {
	RegisterMatcher,
	applyChanges,
	fieldChanges,
	vheKey,
	type FieldChange,
	type MatchKind
} from './register-match';

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

/**
 * The fields that say which door an address is (its key). A street or place spelt otherwise
 * ("Sweelinckstr.") is the same door; another postcode or number may not be.
 */
const IDENTITY: ReadonlySet<FieldChange['field']> = new Set([
	'postcode',
	'houseNumber',
	'houseLetter',
	'addition'
]);

function isEmpty(v: string | null | undefined): boolean {
	return v === null || v === undefined || v.trim() === '';
}

/** Fills the empty fields of `target` from `source`; returns the names of the fields filled. */
function fillGaps<T extends AddressDraft | Address>(target: T, source: AddressDraft): Fillable[] {
	const filled: Fillable[] = [];
	// "12A" and "12-A" are one door: the letter is not added as a toevoeging too ("12A-A").
	const suffix = (x: AddressDraft | Address) =>
		compactText(`${x.houseLetter ?? ''}${x.addition ?? ''}`);
	const sameSuffix = suffix(target) === suffix(source);
	for (const f of FILLABLE) {
		if (sameSuffix && (f === 'houseLetter' || f === 'addition')) continue;
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
	/** The existing address as it will be stored (a new object; the input is not mutated). */
	address: Address;
	/** The fields that got a value. */
	filled: Fillable[];
}

/** A stored address about which the file says something else (see {@link fieldChanges}). */
export interface ChangedAddress {
	/** The address as stored now. */
	address: Address;
	/** The file's line that says so. */
	line: number;
	/** How the line found it: its VHE number, its address, or its street and number (new postcode). */
	match: MatchKind;
	changes: FieldChange[];
}

/** An import row that is set aside: stored nothing, changed nothing. */
export type ImportConflict =
	/** Its VHE number is also on another line of the file, at another address. */
	| { kind: 'vhe-twice'; line: number; vhe: string; lines: number[] }
	/** Its VHE number belongs to one stored address, its address is another stored one. */
	| { kind: 'vhe-elsewhere'; line: number; vhe: string; byVhe: Address; byKey: Address };

export interface MergeOptions {
	/**
	 * Whether stored fields that the file gives another value are overwritten. Off (the default),
	 * a re-import only adds new addresses and fills empty fields; the differences are reported.
	 */
	updateChanged?: boolean;
}

export interface MergeResult {
	/** New addresses (deduplicated), to be given ids; those with `needsGeocoding` still lack coordinates. */
	added: ImportedAddress[];
	/** Existing addresses that will be written (a gap filled, or with `updateChanged` a field changed). */
	updated: RegisterUpdate[];
	/** Existing addresses that the file gives another value in a filled field (applied or not). */
	changed: ChangedAddress[];
	/** Rows set aside (see {@link ImportConflict}). */
	conflicts: ImportConflict[];
	/** Rows merged into an earlier row of the same import. */
	mergedWithinImport: number;
	/** Rows that matched an address already in the register (whether or not they filled a gap). */
	mergedWithExisting: number;
	/** Total rows merged: mergedWithinImport + mergedWithExisting. */
	merged: number;
}

/** Rows whose VHE number is given to more than one address in the file (by line). */
function vheTwice(rows: readonly ImportedAddress[]): Map<number, { vhe: string; lines: number[] }> {
	const byVhe = new Map<string, ImportedAddress[]>();
	for (const row of rows) {
		const vhe = vheKey(row.unitNumber);
		if (vhe === '') continue;
		const list = byVhe.get(vhe);
		if (list) list.push(row);
		else byVhe.set(vhe, [row]);
	}
	const out = new Map<number, { vhe: string; lines: number[] }>();
	for (const list of byVhe.values()) {
		if (list.length < 2) continue;
		const lines = list.map((r) => r.line);
		for (const r of list)
			out.set(r.line, { vhe: r.unitNumber!, lines: lines.filter((l) => l !== r.line) });
	}
	return out;
}

/**
 * Merges import rows into an existing register: first duplicates within the import, then each
 * remaining row is matched to a stored address ({@link RegisterMatcher}: VHE number, address, or
 * street and number under a corrected postcode) and completes it, or is added. What differs is
 * listed in `changed` and only written with `updateChanged`. A stored address is never removed and
 * keeps its id (gesprekken and initiatieven refer to it), whatever its postcode or number becomes.
 */
export function mergeImport(
	existing: readonly Address[],
	rows: readonly ImportedAddress[],
	{ updateChanged = false }: MergeOptions = {}
): MergeResult {
	const within = dedupeImport(rows);
	const twice = vheTwice(within.rows);
	const register = new RegisterMatcher(existing);
	const updates = new Map<string, RegisterUpdate>();
	const changed = new Map<string, ChangedAddress>();
	const conflicts: ImportConflict[] = [];
	const added: ImportedAddress[] = [];
	let mergedWithExisting = 0;
	const matches = within.rows.map((row) => register.find(row));
	// A stored address that several lines are about is no corrected postcode: those lines that
	// found it only by street and number are new doors.
	const claims = new Map<string, number>();
	for (const match of matches) {
		if (match && match.kind !== 'conflict') {
			claims.set(match.address.id, (claims.get(match.address.id) ?? 0) + 1);
		}
	}
	within.rows.forEach((row, i) => {
		const found = matches[i]!;
		const match = found?.kind === 'moved' && claims.get(found.address.id)! > 1 ? null : found;
		const dup = twice.get(row.line);
		if (dup) {
			conflicts.push({ kind: 'vhe-twice', line: row.line, ...dup });
			return;
		}
		if (match === null) {
			added.push(row);
			return;
		}
		if (match.kind === 'conflict') {
			const { byVhe, byKey } = match;
			conflicts.push({ kind: 'vhe-elsewhere', line: row.line, vhe: row.unitNumber!, byVhe, byKey });
			return;
		}
		mergedWithExisting++;
		const current = match.address;
		const update = updates.get(current.id) ?? { address: { ...current }, filled: [] };
		// A second line about the same stored address only fills gaps: the first one says what changes.
		const changes = changed.has(current.id) ? [] : fieldChanges(current, row);
		if (changes.length > 0) {
			changed.set(current.id, { address: current, line: row.line, match: match.kind, changes });
			if (updateChanged) applyChanges(update.address, row, changes);
		}
		// A line that names the address differently (another number or postcode) fills nothing into
		// it unless the user chose to take the file's version: its BAG id or letter belong elsewhere.
		const renamed = changes.some((c) => IDENTITY.has(c.field));
		const filled = renamed && !updateChanged ? [] : fillGaps(update.address, row);
		update.filled.push(...filled);
		if (filled.length > 0 || (updateChanged && changes.length > 0)) updates.set(current.id, update);
	});
	return {
		added,
		updated: [...updates.values()],
		changed: [...changed.values()],
		conflicts,
		mergedWithinImport: within.merged,
		mergedWithExisting,
		merged: within.merged + mergedWithExisting
	};
}
