/**
 * Normalisation and validation of the parts of a Dutch address, shared by the CSV and GeoJSON
 * import, duplicate merging and search. Problems are reported as {@link Issue} codes; the UI words
 * them in the user's language.
 */
import { issue, type Issue } from './issues';

export type Parsed<T> = { ok: true; value: T } | { ok: false; issue: Issue };

const fail = (problem: Issue): { ok: false; issue: Issue } => ({ ok: false, issue: problem });

const POSTCODE_RE = /^(?:NL\s*-?\s*)?([1-9][0-9]{3})\s*-?\s*([A-Za-z]{2})$/i;

/** "6521 ca", "6521-CA", "NL-6521CA" -> "6521CA"; null when it is not a Dutch postcode. */
export function normalizePostcode(input: string): string | null {
	const m = POSTCODE_RE.exec(input.trim());
	if (!m) return null;
	return `${m[1]}${m[2]!.toUpperCase()}`;
}

export function isPostcode(input: string): boolean {
	return normalizePostcode(input) !== null;
}

const POSTCODE_AND_CITY_RE =
	/^(?:NL\s*-?\s*)?([1-9][0-9]{3}\s*-?\s*[A-Za-z]{2})(?:\s+|\s*,\s*)(\S.*)$/i;

/**
 * A postcode and place in one cell, as address labels and many exports write them:
 * "6521 AB  NIJMEGEN", "6521AB, Nijmegen". Null when it does not start with a Dutch postcode
 * followed by a place.
 */
export function splitPostcodeAndCity(input: string): { postcode: string; city: string } | null {
	const m = POSTCODE_AND_CITY_RE.exec(input.trim());
	if (!m) return null;
	const postcode = normalizePostcode(m[1]!);
	const city = m[2]!.replace(/\s+/g, ' ').trim();
	return postcode && city ? { postcode, city } : null;
}

/** The highest house number the BAG allows. */
export const MAX_HOUSE_NUMBER = 99999;

export interface HouseNumberParts {
	houseNumber: number;
	houseLetter: string | null;
	addition: string | null;
}

const HOUSE_NUMBER_PATTERNS: readonly RegExp[] = [
	// 12 | 12A | 12 a | 12-a
	/^(\d+)(?:\s*-?\s*([A-Za-z]))?$/,
	// 12A-2 | 12-2 | 12 bis | 12/3 | 12 A 1
	/^(\d+)(?:\s*([A-Za-z]))?\s*[-/\s]\s*([A-Za-z0-9]{1,4})$/,
	// 12bis | 12hs
	/^(\d+)()([A-Za-z]{2,4})$/
];

/**
 * Parses a house number cell. "12a" splits into 12 + letter A, "12A-2" into 12 + A + toevoeging 2.
 * Only positive integers up to 99999 (the BAG range) are accepted.
 */
export function parseHouseNumber(input: string): Parsed<HouseNumberParts> {
	// "12.0" or "12,0": a whole number that a spreadsheet or script wrote as a decimal; also one a
	// workbook formula left a floating-point trace on ("4.0000000000000009", "3.9999999999999996").
	let s = input.trim().replace(/^(\d+)[.,]0+$/, '$1');
	if (/^\d+\.\d{9,}$/.test(s) && Math.abs(Number(s) - Math.round(Number(s))) < 1e-6) {
		s = String(Math.round(Number(s)));
	}
	if (s === '') return fail(issue('house-number-missing', {}));
	for (const re of HOUSE_NUMBER_PATTERNS) {
		const m = re.exec(s);
		if (!m) continue;
		const n = Number(m[1]);
		if (!Number.isSafeInteger(n) || n < 1 || n > MAX_HOUSE_NUMBER) {
			return fail(issue('house-number-out-of-range', { value: s }));
		}
		const letter = m[2] ? m[2].toUpperCase() : null;
		const addition = m[3] ? m[3] : null;
		return { ok: true, value: { houseNumber: n, houseLetter: letter, addition } };
	}
	return fail(issue('house-number-invalid', { value: s }));
}

/** A BAG huisletter: one letter, upper case. Empty -> null. */
export function parseHouseLetter(input: string): Parsed<string | null> {
	const s = input.trim();
	if (s === '') return { ok: true, value: null };
	if (/^[A-Za-z]$/.test(s)) return { ok: true, value: s.toUpperCase() };
	return fail(issue('letter-invalid', { value: s }));
}

/**
 * A BAG huisnummertoevoeging: up to 4 letters or digits ("2", "bis", "II", "hs"). A leading dash
 * or slash, as in "12-2" written into the toevoeging column as "-2", is dropped.
 */
export function parseAddition(input: string): Parsed<string | null> {
	const s = input.trim().replace(/^[-/]\s*/, '');
	if (s === '') return { ok: true, value: null };
	if (/^[A-Za-z0-9]{1,4}$/.test(s)) return { ok: true, value: s };
	return fail(issue('addition-invalid', { value: input.trim() }));
}

/**
 * A decimal number as Dutch spreadsheets write it: "51,8321" and "51.8321" are both 51.8321;
 * "187.136,056" (Dutch thousands separator) and "187,136.056" are 187136.056. Empty -> null.
 */
export function parseDecimal(input: string): Parsed<number | null> {
	const s = input.trim().replace(/\s+/g, '');
	if (s === '') return { ok: true, value: null };
	let normal: string | null = null;
	if (/^[-+]?\d+(?:[.,]\d+)?$/.test(s)) normal = s.replace(',', '.');
	else if (/^[-+]?\d{1,3}(?:\.\d{3})+,\d+$/.test(s))
		normal = s.replace(/\./g, '').replace(',', '.');
	else if (/^[-+]?\d{1,3}(?:,\d{3})+\.\d+$/.test(s)) normal = s.replace(/,/g, '');
	const n = normal === null ? NaN : Number(normal);
	if (!Number.isFinite(n)) return fail(issue('not-a-number', { value: input.trim() }));
	return { ok: true, value: n };
}

/**
 * A BAG nummeraanduiding id: 16 digits (4-digit gemeentecode, "20", 10-digit number). Excel drops
 * the leading zero of gemeentecodes like 0268, so 15 digits get it back; numbers Excel already
 * turned into "2,68E+14" are lost and rejected.
 */
export function parseBagId(input: string): Parsed<string | null> {
	const s = input.trim();
	if (s === '') return { ok: true, value: null };
	const digits = s.replace(/^NL\.IMBAG\.Nummeraanduiding\./i, '');
	if (/^\d{16}$/.test(digits)) return { ok: true, value: digits };
	if (/^\d{15}$/.test(digits)) return { ok: true, value: `0${digits}` };
	return fail(issue('bag-id-invalid', { value: s }));
}

/** Lower case, accents removed, only letters and digits: for comparing street names and headers. */
export function compactText(input: string): string {
	return input
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

/** Half a UTF-16 surrogate pair: no character, and no text the database accepts. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Trimmed, with runs of whitespace and control characters (NUL and friends) collapsed and half
 * surrogate pairs (a GeoJSON "\ud800", a workbook's "&#xD800;") replaced by U+FFFD; empty -> null.
 */
export function cleanText(input: string | null | undefined): string | null {
	if (input === null || input === undefined) return null;
	const s = input
		.replace(LONE_SURROGATE, '\ufffd')
		// eslint-disable-next-line no-control-regex
		.replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
		.trim();
	return s === '' ? null : s;
}

export interface AddressKeyParts {
	postcode: string | null;
	houseNumber: number;
	houseLetter: string | null;
	addition: string | null;
	street?: string | null;
	city?: string | null;
}

/** A postcode as keys compare it ("6521 ca" → "6521CA"); empty without one. */
export function postcodeKey(a: AddressKeyParts): string {
	return a.postcode ? (normalizePostcode(a.postcode) ?? compactText(a.postcode)) : '';
}

/**
 * Letter and toevoeging as one ("12 A" and "12-A" are the same door): many corporation systems
 * export the huisletter in their toevoeging column, and the same address then comes with its
 * letter in one file and as a toevoeging in another.
 */
function suffixKey(a: AddressKeyParts): string {
	return compactText(`${a.houseLetter ?? ''}${a.addition ?? ''}`);
}

/**
 * The identity of an address for duplicate merging: postcode + number + letter and toevoeging,
 * normalised and case-insensitive ("6521 ca", "12", "a", "-Bis" equals "6521CA", "12", "A", "bis").
 * Without a postcode the street and place stand in for it (see {@link streetNumberKey} for
 * matching such an address with one that has a postcode).
 */
export function addressKey(a: AddressKeyParts): string {
	const area = postcodeKey(a) || `~${compactText(a.street ?? '')}|${compactText(a.city ?? '')}`;
	return `${area}|${a.houseNumber}|${suffixKey(a)}`;
}

/** Street + number + letter and toevoeging, without postcode or place; null without a street. */
export function streetNumberKey(a: AddressKeyParts): string | null {
	const street = compactText(a.street ?? '');
	if (street === '') return null;
	return `${street}|${a.houseNumber}|${suffixKey(a)}`;
}

/**
 * Whether two addresses with the same street, number, letter and toevoeging are the same address:
 * their postcodes agree where both have one, and so do their places.
 */
export function sameArea(a: AddressKeyParts, b: AddressKeyParts): boolean {
	const city = (x: AddressKeyParts) => compactText(x.city ?? '');
	const [pa, pb, ca, cb] = [postcodeKey(a), postcodeKey(b), city(a), city(b)];
	if (pa !== '' && pb !== '' && pa !== pb) return false;
	if (ca !== '' && cb !== '' && ca !== cb) return false;
	return true;
}
