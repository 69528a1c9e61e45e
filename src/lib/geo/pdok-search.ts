/**
 * PDOK suggest as the second source of the address search: which queries are worth sending, and
 * which suggestions to show (addresses with a point that are not already in the board's register,
 * compared as duplicate merging compares them, see {@link AddressIndex}).
 */
import { AddressIndex } from './address-index';
import { addressKey, type AddressKeyParts } from './normalize';
import type { PdokDoc } from './pdok';
import { parseQuery } from './search';

/** A PDOK address the search box can offer: it has a point to fly to. */
export interface PdokSuggestion {
	id: string;
	label: string;
	lon: number;
	lat: number;
	postcode: string | null;
}

/** Whether a query is worth asking PDOK about: a few characters that parse as an address query. */
export function looksLikeAddress(query: string): boolean {
	const q = query.trim();
	return q.length >= 3 && parseQuery(q) !== null;
}

/** The register, to find PDOK's addresses in. */
export function registerIndex(
	addresses: readonly AddressKeyParts[]
): AddressIndex<AddressKeyParts> {
	return new AddressIndex(addresses);
}

/**
 * The suggestions to show: type "adres" with coordinates and a house number, not in the register
 * (by key), each once, at most `limit`.
 */
export function pdokExtras(
	docs: readonly PdokDoc[],
	register: AddressIndex<AddressKeyParts>,
	limit = 5
): PdokSuggestion[] {
	const out: PdokSuggestion[] = [];
	const seen = new Set<string>();
	for (const d of docs) {
		if (out.length >= limit) break;
		if (d.type !== 'adres' || d.lon === null || d.lat === null || d.houseNumber === null) continue;
		const parts = {
			postcode: d.postcode,
			houseNumber: d.houseNumber,
			houseLetter: d.houseLetter,
			addition: d.addition,
			street: d.street,
			city: d.city
		};
		const key = addressKey(parts);
		if (register.has(parts) || seen.has(key)) continue;
		seen.add(key);
		out.push({ id: d.id, label: d.displayName, lon: d.lon, lat: d.lat, postcode: d.postcode });
	}
	return out;
}
