/**
 * Finding the stored address an import row is about, for a re-import of a corporation's updated
 * list, and what differs between the two. A corporation's unit number (VHE) is the key its own
 * systems use, so it is tried first (when both sides have one and it is unique in the register);
 * then the address key ({@link AddressIndex}); then the same street, number, letter and toevoeging
 * in the same place under another postcode (a corrected postcode is the same door, not a second one).
 */
import type { Address } from './address';
import { AddressIndex } from './address-index';
import type { AddressDraft } from './import';
import { compactText, normalizePostcode, postcodeKey, streetNumberKey } from './normalize';

/** A VHE number as compared: without whitespace, case-insensitive ("vhe 104" = "VHE104"). */
export function vheKey(value: string | null | undefined): string {
	return (value ?? '').replace(/\s+/g, '').toUpperCase();
}

/** How a row found its stored address. */
export type MatchKind = 'vhe' | 'key' | 'moved';

export type RegisterMatch =
	| { kind: MatchKind; address: Address }
	/** The row's VHE belongs to one stored address, its address to another: neither is touched. */
	| { kind: 'conflict'; byVhe: Address; byKey: Address }
	| null;

function cityKey(a: { city?: string | null }): string {
	return compactText(a.city ?? '');
}

/**
 * Whether a stored address and a row with its VHE number can be one dwelling: in the same place,
 * with the same street (renumbered, postcode corrected) or the same postcode (street renamed). A
 * VHE number on another street under another postcode is another dwelling (another corporation's
 * numbering, or a number given out again): the row is then matched by its address, or is new.
 */
function sameDwelling(stored: Address, row: AddressDraft): boolean {
	const [ca, cb] = [cityKey(stored), cityKey(row)];
	if (ca !== '' && cb !== '' && ca !== cb) return false;
	const street = compactText(stored.street) === compactText(row.street);
	const [pa, pb] = [postcodeKey(stored), postcodeKey(row)];
	return street || (pa !== '' && pa === pb);
}

export class RegisterMatcher {
	private readonly index: AddressIndex<Address>;
	/** By VHE: only VHE numbers held by exactly one stored address (null marks a shared one). */
	private readonly byVhe = new Map<string, Address | null>();
	/** By street, number, letter and toevoeging: the stored addresses that have a postcode. */
	private readonly byStreet = new Map<
		string,
		{ address: Address; postcode: string; city: string }[]
	>();

	constructor(existing: readonly Address[]) {
		this.index = new AddressIndex(existing);
		for (const a of existing) {
			const vhe = vheKey(a.unitNumber);
			if (vhe !== '') this.byVhe.set(vhe, this.byVhe.has(vhe) ? null : a);
			const street = streetNumberKey(a);
			const postcode = postcodeKey(a);
			if (street === null || postcode === '') continue;
			const entry = { address: a, postcode, city: cityKey(a) };
			const list = this.byStreet.get(street);
			if (list) list.push(entry);
			else this.byStreet.set(street, [entry]);
		}
	}

	/**
	 * The stored address with this street and number in the same place and postcode area (the same
	 * four digits) under another postcode: the only one.
	 */
	private moved(row: AddressDraft): Address | undefined {
		const street = streetNumberKey(row);
		const list = street === null ? undefined : this.byStreet.get(street);
		if (!list) return undefined;
		const postcode = postcodeKey(row);
		const city = cityKey(row);
		if (postcode === '' || city === '') return undefined;
		let found: Address | undefined;
		for (const c of list) {
			// A correction keeps the postcode's area (its four digits): a village of the same
			// municipality with the same street name is another door.
			if (c.postcode === postcode || c.city !== city) continue;
			if (c.postcode.slice(0, 4) !== postcode.slice(0, 4)) continue;
			// Several doors with this street and number in one place: none can be told apart.
			if (found) return undefined;
			found = c.address;
		}
		return found;
	}

	/** The stored address `row` is about (see the module comment), or why it cannot be told. */
	find(row: AddressDraft): RegisterMatch {
		const vhe = vheKey(row.unitNumber);
		const byVhe = vhe === '' ? undefined : (this.byVhe.get(vhe) ?? undefined);
		const exact = this.index.find(row);
		const byKey = exact ?? this.moved(row);
		if (byVhe && byKey && byVhe !== byKey) return { kind: 'conflict', byVhe, byKey };
		if (byVhe && sameDwelling(byVhe, row)) return { kind: 'vhe', address: byVhe };
		if (byKey) return { kind: exact ? 'key' : 'moved', address: byKey };
		return null;
	}
}

/** A field of an address that a re-import can change; `location` is the coordinates. */
export type ChangeField =
	| 'postcode'
	| 'street'
	| 'houseNumber'
	| 'houseLetter'
	| 'addition'
	| 'city'
	| 'location'
	| 'complexNumber'
	| 'unitNumber'
	| 'bagId';

export interface FieldChange {
	field: ChangeField;
	/** As stored and as in the file, written out ("6521CA", "51.830000, 5.860000"). */
	from: string;
	to: string;
}

/** Coordinates closer than this (metres) are the same place: a conversion's rounding is no move. */
export const MOVE_THRESHOLD_M = 1;

function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const dy = (a.lat - b.lat) * 111_320;
	const dx = (a.lon - b.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot(dx, dy);
}

const TEXT_FIELDS = [
	['postcode', (s: string) => normalizePostcode(s) ?? compactText(s)],
	['street', compactText],
	['city', compactText],
	['complexNumber', (s: string) => s.trim()],
	['unitNumber', vheKey],
	['bagId', (s: string) => s.trim()]
] as const;

const present = (v: string | null | undefined): v is string => v != null && v.trim() !== '';

/**
 * The fields in which `row` says something else than the stored address: both have a value and
 * they differ (an empty field in the file is a gap, never a change). Letter and toevoeging count
 * as one ("12A" = "12-A"), as in duplicate merging.
 */
export function fieldChanges(stored: Address, row: AddressDraft): FieldChange[] {
	const out: FieldChange[] = [];
	for (const [field, norm] of TEXT_FIELDS.slice(0, 2)) {
		const [a, b] = [stored[field], row[field]];
		if (present(a) && present(b) && a !== b && norm(a) !== norm(b)) {
			out.push({ field, from: a, to: b });
		}
	}
	if (stored.houseNumber !== row.houseNumber) {
		out.push({
			field: 'houseNumber',
			from: String(stored.houseNumber),
			to: String(row.houseNumber)
		});
	}
	const suffix = (x: { houseLetter: string | null; addition: string | null }) =>
		compactText(`${x.houseLetter ?? ''}${x.addition ?? ''}`);
	if (suffix(stored) !== suffix(row)) {
		for (const field of ['houseLetter', 'addition'] as const) {
			const [a, b] = [stored[field] ?? '', row[field] ?? ''];
			if (compactText(a) !== compactText(b)) out.push({ field, from: a, to: b });
		}
	}
	for (const [field, norm] of TEXT_FIELDS.slice(2)) {
		const [a, b] = [stored[field], row[field]];
		if (present(a) && present(b) && a !== b && norm(a) !== norm(b)) {
			out.push({ field, from: a, to: b });
		}
	}
	if (row.lon !== null && row.lat !== null) {
		const to = { lon: row.lon, lat: row.lat };
		if (metres(stored, to) >= MOVE_THRESHOLD_M) {
			const text = (p: { lon: number; lat: number }) => `${p.lat.toFixed(6)}, ${p.lon.toFixed(6)}`;
			out.push({ field: 'location', from: text(stored), to: text(to) });
		}
	}
	return out;
}

/** Writes the file's values of `changes` into `target` (a copy of the stored address). */
export function applyChanges(target: Address, row: AddressDraft, changes: FieldChange[]): void {
	for (const { field } of changes) {
		if (field === 'location') {
			target.lon = row.lon!;
			target.lat = row.lat!;
		} else if (field === 'houseNumber') target.houseNumber = row.houseNumber;
		else if (field === 'houseLetter' || field === 'addition') {
			target.houseLetter = row.houseLetter;
			target.addition = row.addition;
		} else if (field === 'street') target.street = row.street;
		else target[field] = row[field] ?? null;
	}
}
