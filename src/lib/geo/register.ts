/**
 * The board's address register on the wire (issue 10, "Performance"): sent from its own endpoint
 * (`/boards/<id>/adressen.json`) instead of inside the page data, as one array per field rather
 * than one object per address. The server has the database build it (src/lib/server/register.ts:
 * one text value, ~10× faster in PGlite than reading the rows); compression takes care of the
 * repeated streets and cities, and the browser shares each repeated string once it is decoded.
 * Lossless: `decodeRegister(encodeRegister(a))` equals `a`.
 */
import type { Address } from './address';

export const REGISTER_VERSION = 1;

export interface CompactRegister {
	v: typeof REGISTER_VERSION;
	id: string[];
	street: string[];
	houseNumber: number[];
	houseLetter: (string | null)[];
	addition: (string | null)[];
	postcode: (string | null)[];
	city: (string | null)[];
	lon: number[];
	lat: number[];
	bagId: (string | null)[];
	complexNumber: (string | null)[];
	unitNumber: (string | null)[];
}

/** The columns in the order the server writes them (src/lib/server/register.ts). */
export const REGISTER_COLUMNS = [
	['id', 'id'],
	['street', 'street'],
	['houseNumber', 'house_number'],
	['houseLetter', 'house_letter'],
	['addition', 'addition'],
	['postcode', 'postcode'],
	['city', 'city'],
	['lon', 'lon'],
	['lat', 'lat'],
	['bagId', 'bag_id'],
	['complexNumber', 'complex_number'],
	['unitNumber', 'unit_number']
] as const satisfies readonly (readonly [keyof Address, string])[];

export function encodeRegister(addresses: readonly Address[]): CompactRegister {
	const nullable = (
		k: 'houseLetter' | 'addition' | 'postcode' | 'city' | 'bagId' | 'complexNumber' | 'unitNumber'
	) => addresses.map((a) => a[k] ?? null);
	return {
		v: REGISTER_VERSION,
		id: addresses.map((a) => a.id),
		street: addresses.map((a) => a.street),
		houseNumber: addresses.map((a) => a.houseNumber),
		houseLetter: nullable('houseLetter'),
		addition: nullable('addition'),
		postcode: nullable('postcode'),
		city: nullable('city'),
		lon: addresses.map((a) => a.lon),
		lat: addresses.map((a) => a.lat),
		bagId: nullable('bagId'),
		complexNumber: nullable('complexNumber'),
		unitNumber: nullable('unitNumber')
	};
}

/** The addresses of a compact register, in its order; throws on a register it cannot read. */
export function decodeRegister(r: CompactRegister): Address[] {
	if (r?.v !== REGISTER_VERSION || !Array.isArray(r.id)) throw new Error('Unknown register format');
	// Repeated values (streets, cities, postcodes …) become one shared string each.
	const seen = new Map<string, string>();
	const shared = (s: string | null | undefined): string | null => {
		if (s === null || s === undefined) return null;
		const hit = seen.get(s);
		if (hit !== undefined) return hit;
		seen.set(s, s);
		return s;
	};
	const out: Address[] = new Array<Address>(r.id.length);
	for (let i = 0; i < r.id.length; i++) {
		out[i] = {
			id: r.id[i]!,
			street: shared(r.street[i]) ?? '',
			houseNumber: r.houseNumber[i]!,
			houseLetter: shared(r.houseLetter[i]),
			addition: shared(r.addition[i]),
			postcode: shared(r.postcode[i]),
			city: shared(r.city[i]),
			lon: r.lon[i]!,
			lat: r.lat[i]!,
			bagId: r.bagId[i] ?? null,
			complexNumber: shared(r.complexNumber[i]),
			unitNumber: r.unitNumber[i] ?? null
		};
	}
	return out;
}
