/**
 * Address search over the board's own register: "6521CA 12", "6521 ca 12a", "6521CA" (the whole
 * postcode) or "sweelinck 12", "Sweelinkstraat 12-2" (street, tolerant of small typos, + number).
 * Results are ranked: exact matches first, then closer street names, then by number.
 */
import type { Address } from './address';
import { compactText, normalizePostcode } from './normalize';

export type SearchableAddress = Pick<
	Address,
	'id' | 'street' | 'houseNumber' | 'houseLetter' | 'addition' | 'postcode' | 'city'
>;

export interface ParsedQuery {
	postcode: string | null;
	/** Compacted street text (lower case, no spaces or accents); null for postcode queries. */
	street: string | null;
	houseNumber: number | null;
	houseLetter: string | null;
	addition: string | null;
}

const NUMBER_TAIL = String.raw`(\d{1,5})(?:\s*-?\s*([a-z])(?![a-z0-9]))?(?:\s*[-/\s]\s*([a-z0-9]{1,4}))?`;
const POSTCODE_QUERY = new RegExp(String.raw`^([1-9]\d{3})\s*([a-z]{2})(?:\s*${NUMBER_TAIL})?$`);
const STREET_QUERY = new RegExp(String.raw`^(.*?[a-z].*?)(?:[\s,]+${NUMBER_TAIL})?$`);

/** Splits a search query into postcode or street, and number, letter, toevoeging. */
export function parseQuery(input: string): ParsedQuery | null {
	const q = input
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
	if (q === '') return null;
	const pc = POSTCODE_QUERY.exec(q);
	if (pc) {
		return {
			postcode: normalizePostcode(`${pc[1]}${pc[2]}`),
			street: null,
			houseNumber: pc[3] ? Number(pc[3]) : null,
			houseLetter: pc[4] ? pc[4].toUpperCase() : null,
			addition: pc[5] ?? null
		};
	}
	const st = STREET_QUERY.exec(q);
	if (!st) return null;
	const street = compactText(st[1]!.replace(/\bstr\.?$/, 'straat'));
	if (street === '') return null;
	return {
		postcode: null,
		street,
		houseNumber: st[2] ? Number(st[2]) : null,
		houseLetter: st[3] ? st[3].toUpperCase() : null,
		addition: st[4] ?? null
	};
}

/**
 * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring):
 * insertions, deletions, substitutions and transpositions of neighbours cost 1. Stops early and
 * returns `max + 1` once the distance must exceed `max`.
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
	if (a === b) return 0;
	if (Math.abs(a.length - b.length) > max) return max + 1;
	if (a.length === 0) return b.length;
	if (b.length === 0) return a.length;
	const n = b.length;
	let prevPrev = new Array<number>(n + 1).fill(0);
	let prev = Array.from({ length: n + 1 }, (_, j) => j);
	let cur = new Array<number>(n + 1).fill(0);
	for (let i = 1; i <= a.length; i++) {
		cur[0] = i;
		let rowMin = i;
		for (let j = 1; j <= n; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d = Math.min(d, prevPrev[j - 2]! + 1);
			}
			cur[j] = d;
			if (d < rowMin) rowMin = d;
		}
		if (rowMin > max) return max + 1;
		[prevPrev, prev, cur] = [prev, cur, prevPrev];
	}
	return prev[n]!;
}

/** Typos allowed for a query of this length: none for very short text, then 1 per 4 letters, at most 3. */
export function allowedTypos(length: number): number {
	if (length < 4) return 0;
	return Math.min(3, Math.floor(length / 4));
}

/**
 * How far the typed street is from a street name (both compacted): 0 for an exact match, 0.5 for a
 * prefix ("sweelinck" of "sweelinckstraat"), otherwise 0.5 + the typo distance to the name or to
 * one of its prefixes ("sweelnck" -> "sweelinck..."); null when too far.
 */
export function streetDistance(query: string, street: string): number | null {
	if (street === query) return 0;
	if (street.startsWith(query)) return 0.5;
	const max = allowedTypos(query.length);
	if (max === 0) return null;
	let best = damerauLevenshtein(query, street, max);
	const from = Math.max(1, query.length - max);
	const to = Math.min(street.length - 1, query.length + max);
	for (let len = from; len <= to && best > 0; len++) {
		// A prefix with typos ranks just below a whole name with as many typos.
		const d = damerauLevenshtein(query, street.slice(0, len), max) + 0.25;
		if (d < best) best = d;
	}
	return best <= max + 0.25 ? best + 0.5 : null;
}

export interface SearchHit<A extends SearchableAddress = SearchableAddress> {
	address: A;
	/** Lower is better; 0 is an exact match. */
	score: number;
}

interface StreetGroup<A> {
	compact: string;
	addresses: A[];
}

export interface AddressIndex<A extends SearchableAddress = SearchableAddress> {
	readonly size: number;
	search(query: string, options?: { limit?: number }): SearchHit<A>[];
}

function numberPenalty(a: SearchableAddress, q: ParsedQuery): number | null {
	if (q.houseNumber === null) return 0;
	if (a.houseNumber !== q.houseNumber) return null;
	let p = 0;
	const letter = a.houseLetter?.toUpperCase() ?? null;
	if (q.houseLetter !== null) {
		if (letter !== q.houseLetter) return null;
	} else if (letter !== null) p += 0.1;
	const addition = a.addition ? compactText(a.addition) : null;
	if (q.addition !== null) {
		if (addition !== compactText(q.addition)) return null;
	} else if (addition !== null) p += 0.1;
	return p;
}

function compareHits<A extends SearchableAddress>(x: SearchHit<A>, y: SearchHit<A>): number {
	return (
		x.score - y.score ||
		x.address.street.localeCompare(y.address.street, 'nl') ||
		x.address.houseNumber - y.address.houseNumber ||
		(x.address.houseLetter ?? '').localeCompare(y.address.houseLetter ?? '') ||
		(x.address.addition ?? '').localeCompare(y.address.addition ?? '', 'nl', { numeric: true })
	);
}

/**
 * Builds a search index over the register. Street names are compared once per distinct street, so
 * a register of 10,000 addresses on a few hundred streets searches in well under a millisecond.
 */
export function createAddressIndex<A extends SearchableAddress>(
	addresses: readonly A[]
): AddressIndex<A> {
	const byPostcode = new Map<string, A[]>();
	const streets = new Map<string, StreetGroup<A>>();
	for (const a of addresses) {
		const pc = a.postcode ? normalizePostcode(a.postcode) : null;
		if (pc) {
			const list = byPostcode.get(pc);
			if (list) list.push(a);
			else byPostcode.set(pc, [a]);
		}
		const compact = compactText(a.street);
		const group = streets.get(compact);
		if (group) group.addresses.push(a);
		else streets.set(compact, { compact, addresses: [a] });
	}

	return {
		size: addresses.length,
		search(query, options = {}) {
			const limit = options.limit ?? 10;
			const q = parseQuery(query);
			if (!q) return [];
			const hits: SearchHit<A>[] = [];
			if (q.postcode !== null) {
				for (const a of byPostcode.get(q.postcode) ?? []) {
					const p = numberPenalty(a, q);
					if (p !== null) hits.push({ address: a, score: p });
				}
			} else if (q.street !== null) {
				for (const group of streets.values()) {
					const d = streetDistance(q.street, group.compact);
					if (d === null) continue;
					for (const a of group.addresses) {
						const p = numberPenalty(a, q);
						if (p !== null) hits.push({ address: a, score: d + p });
					}
				}
			}
			hits.sort(compareHits);
			return hits.slice(0, limit);
		}
	};
}

/** One-off search without keeping an index. */
export function searchAddresses<A extends SearchableAddress>(
	addresses: readonly A[],
	query: string,
	options?: { limit?: number }
): SearchHit<A>[] {
	return createAddressIndex(addresses).search(query, options);
}
