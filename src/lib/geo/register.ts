/**
 * The board's address register on the wire (issue 10, "Performance"): sent from its own endpoint
 * (`/boards/<id>/adressen.json`) instead of inside the page data, as columns rather than one
 * object per address, with the repeated strings (streets, postcodes, cities, letters, additions,
 * complex numbers) once in a dictionary. Lossless: `decodeRegister(encodeRegister(a))` equals `a`.
 * At 50,000 addresses this is about a third of the page data's size before compression.
 */
import type { Address } from './address';

export const REGISTER_VERSION = 1;

export interface CompactRegister {
	v: typeof REGISTER_VERSION;
	/** Repeated strings, referred to by index from the columns below (-1: none). */
	strings: string[];
	id: string[];
	street: number[];
	houseNumber: number[];
	houseLetter: number[];
	addition: number[];
	postcode: number[];
	city: number[];
	complexNumber: number[];
	lon: number[];
	lat: number[];
	/** Unique per address: stored as they are (null when absent). */
	bagId: (string | null)[];
	unitNumber: (string | null)[];
}

const DICTIONARY_COLUMNS = [
	'street',
	'houseLetter',
	'addition',
	'postcode',
	'city',
	'complexNumber'
] as const;

export function encodeRegister(addresses: readonly Address[]): CompactRegister {
	const strings: string[] = [];
	const index = new Map<string, number>();
	const ref = (s: string | null | undefined): number => {
		if (s === null || s === undefined) return -1;
		let i = index.get(s);
		if (i === undefined) {
			i = strings.length;
			strings.push(s);
			index.set(s, i);
		}
		return i;
	};
	const out: CompactRegister = {
		v: REGISTER_VERSION,
		strings,
		id: [],
		street: [],
		houseNumber: [],
		houseLetter: [],
		addition: [],
		postcode: [],
		city: [],
		complexNumber: [],
		lon: [],
		lat: [],
		bagId: [],
		unitNumber: []
	};
	for (const a of addresses) {
		out.id.push(a.id);
		for (const c of DICTIONARY_COLUMNS) out[c].push(ref(a[c]));
		out.houseNumber.push(a.houseNumber);
		out.lon.push(a.lon);
		out.lat.push(a.lat);
		out.bagId.push(a.bagId);
		out.unitNumber.push(a.unitNumber ?? null);
	}
	return out;
}

/** The addresses of a compact register, in its order; throws on a register it cannot read. */
export function decodeRegister(r: CompactRegister): Address[] {
	if (r?.v !== REGISTER_VERSION || !Array.isArray(r.id)) throw new Error('Unknown register format');
	const s = (i: number): string | null => (i < 0 ? null : (r.strings[i] ?? null));
	const out: Address[] = new Array<Address>(r.id.length);
	for (let i = 0; i < r.id.length; i++) {
		out[i] = {
			id: r.id[i]!,
			street: s(r.street[i]!) ?? '',
			houseNumber: r.houseNumber[i]!,
			houseLetter: s(r.houseLetter[i]!),
			addition: s(r.addition[i]!),
			postcode: s(r.postcode[i]!),
			city: s(r.city[i]!),
			lon: r.lon[i]!,
			lat: r.lat[i]!,
			bagId: r.bagId[i] ?? null,
			complexNumber: s(r.complexNumber[i]!),
			unitNumber: r.unitNumber[i] ?? null
		};
	}
	return out;
}
