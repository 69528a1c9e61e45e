/**
 * Exports as Dutch Excel opens them (CSV: UTF-8 with BOM, semicolons, CRLF) and as GeoJSON.
 * Cells that a spreadsheet would run as a formula (starting with = + - @, also after leading
 * whitespace, or with a tab or line break) get a leading apostrophe. The anonymised export has only per-street aggregates,
 * protected as the public resident pages protect theirs (the board's k, complementary
 * suppression; see streetRows), never free text.
 */
import { effectiveK, protectThemeCount } from '../../privacy/suppress';
import type { Coverage, StreetCoverage } from './coverage';
import { withdrawnHouseholds, type AAddress, type AGesprek, type AThema } from './types';

/** The public minimum group size: no count of fewer households is shown in anonymised output. */
export const MIN_GROUP_SIZE = 5;

export type Cell = string | number | boolean | null | undefined;

/**
 * Text a spreadsheet may run as a formula: starting with = + - @ (also after spaces or line
 * breaks, which Excel and LibreOffice can trim on import), or with a tab or line break.
 */
const FORMULA_LIKE = /^(?:[\s\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])/;

/** One CSV cell: quoted when needed, formula-like text made harmless. */
export function csvCell(value: Cell): string {
	if (value === null || value === undefined) return '';
	let s = typeof value === 'number' ? String(value).replace('.', ',') : String(value);
	if (typeof value === 'string' && FORMULA_LIKE.test(s)) s = `'${s}`;
	if (/[";\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
	return s;
}

/** A whole CSV file: BOM, header row, semicolons, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
	const lines = [header, ...rows].map((r) => r.map(csvCell).join(';'));
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function addressLabel(a: AAddress | undefined): string {
	if (!a) return '';
	return `${a.street} ${a.houseNumber}${a.houseLetter ?? ''}${a.addition ? `-${a.addition}` : ''}`;
}

function themeNames(ids: readonly string[], themas: ReadonlyMap<string, AThema>): string {
	return ids.map((id) => themas.get(id)?.name ?? id).join(', ');
}

export interface GesprekExportOptions {
	/** Include the shared notes (professionals with access only; confidential notes never). */
	notes: boolean;
}

export const GESPREK_COLUMNS = [
	'id',
	'adres',
	'straat',
	'postcode',
	'complex',
	'vhe',
	'datum',
	'ronde',
	'gevoerd_door',
	'uitkomst',
	'themas',
	'talenten',
	'wensen',
	'zorgen',
	'toestemming'
] as const;

/** The `toestemming` column: withdrawn (by the household, on any gesprek), given, or not recorded. */
export const CONSENT_WITHDRAWN = 'ingetrokken';
export const CONSENT_GIVEN = 'gegeven';

function consentCell(g: AGesprek, withdrawn: ReadonlySet<string>): string {
	if (withdrawn.has(g.addressId)) return CONSENT_WITHDRAWN;
	return g.consent?.recordedBy || g.consent?.date ? CONSENT_GIVEN : '';
}

/**
 * What a gesprek's row says about what the household said: themes, talents, wishes, worries and
 * shared notes; all empty when the household withdrew consent. The row itself stays (address,
 * date, round, who, outcome: the door was visited), so coverage counts stay right.
 */
function heard(g: AGesprek, withdrawn: ReadonlySet<string>) {
	if (withdrawn.has(g.addressId))
		return { themeIds: [], talents: [], wishes: [], worries: [], notes: '' };
	return {
		themeIds: g.themeIds,
		talents: g.talents,
		wishes: g.wishes,
		worries: g.worries,
		// Confidential notes are never in the shared document; a confidential gesprek exports none.
		notes: g.confidential ? '' : (g.notes ?? '')
	};
}

/**
 * Gesprekken as CSV rows (header first); with `notes`, a last column of shared notes. A household
 * that withdrew consent keeps its rows, marked `ingetrokken`, without what it said.
 */
export function gesprekkenCsv(
	gesprekken: readonly AGesprek[],
	addressById: ReadonlyMap<string, AAddress>,
	themas: ReadonlyMap<string, AThema>,
	options: GesprekExportOptions
): string {
	const header = options.notes ? [...GESPREK_COLUMNS, 'notities'] : [...GESPREK_COLUMNS];
	const withdrawn = withdrawnHouseholds(gesprekken);
	const rows = gesprekken.map((g) => {
		const a = addressById.get(g.addressId);
		const h = heard(g, withdrawn);
		const row: Cell[] = [
			g.id,
			addressLabel(a),
			a?.street,
			a?.postcode,
			a?.complexNumber,
			a?.unitNumber,
			g.date,
			g.round,
			g.heldBy,
			g.outcome,
			themeNames(h.themeIds, themas),
			h.talents.join(', '),
			h.wishes.join(', '),
			h.worries.join(', '),
			consentCell(g, withdrawn)
		];
		if (options.notes) row.push(h.notes);
		return row;
	});
	return toCsv(header, rows);
}

/** Gesprekken as GeoJSON points at their address (same fields as the CSV). */
export function gesprekkenGeoJson(
	gesprekken: readonly AGesprek[],
	addressById: ReadonlyMap<string, AAddress>,
	themas: ReadonlyMap<string, AThema>,
	options: GesprekExportOptions
): GeoJSON.FeatureCollection {
	const withdrawn = withdrawnHouseholds(gesprekken);
	const features: GeoJSON.Feature[] = [];
	for (const g of gesprekken) {
		const a = addressById.get(g.addressId);
		if (!a) continue;
		const h = heard(g, withdrawn);
		features.push({
			type: 'Feature',
			id: g.id,
			geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
			properties: {
				id: g.id,
				adres: addressLabel(a),
				complex: a.complexNumber ?? null,
				vhe: a.unitNumber ?? null,
				datum: g.date,
				ronde: g.round,
				gevoerd_door: g.heldBy,
				uitkomst: g.outcome,
				themas: h.themeIds.map((id) => themas.get(id)?.name ?? id),
				talenten: [...h.talents],
				wensen: [...h.wishes],
				zorgen: [...h.worries],
				toestemming: consentCell(g, withdrawn),
				...(options.notes ? { notities: h.notes } : {})
			}
		});
	}
	return { type: 'FeatureCollection', features };
}

/** A count the anonymised export leaves out: what the public pages say, in one value. */
export const SUPPRESSED = 'niet getoond';

export interface AggregateOptions {
	anonymised: boolean;
	/** The public minimum group size (the board's k, never below {@link MIN_GROUP_SIZE}). */
	k?: number;
}

/**
 * Outcome counts that add up to a known total (the doors): those of 1 to k-1 households are left
 * out, and then the smallest others as well until the left-out ones hold k households or more, so
 * that no left-out count can be worked out from the doors and the rest.
 */
export function protectParts(parts: readonly number[], k: number): (number | null)[] {
	const hidden = parts.map((n) => n > 0 && n < k);
	const hiddenSum = () => parts.reduce((sum, n, i) => sum + (hidden[i] ? n : 0), 0);
	while (hidden.some(Boolean) && hiddenSum() < k && hidden.some((h) => !h)) {
		let smallest = -1;
		parts.forEach((n, i) => {
			if (!hidden[i] && (smallest < 0 || n < parts[smallest]!)) smallest = i;
		});
		hidden[smallest] = true;
	}
	return parts.map((n, i) => (hidden[i] ? null : n));
}

interface StreetRow {
	street: string;
	doors: number;
	outcomes: [Cell, Cell, Cell, Cell];
	themes: Cell[];
}

/**
 * The streets as an export shows them. Anonymised, as the public pages do (src/lib/privacy): no
 * street of fewer than k doors; outcome counts protected together ({@link protectParts}); theme
 * counts only where k or more households were spoken, and each only when both the households that
 * mentioned it and those that did not are k or more. Every left-out count is {@link SUPPRESSED}.
 */
function streetRows(
	streets: readonly StreetCoverage[],
	themas: readonly AThema[],
	{ anonymised, k: chosenK }: AggregateOptions
): StreetRow[] {
	if (!anonymised) {
		return streets.map((s) => ({
			street: s.street,
			doors: s.doors,
			outcomes: [s.spoken, s.noContact, s.declined, s.open],
			themes: themas.map((t) => s.themes.get(t.id) ?? 0)
		}));
	}
	const k = effectiveK(chosenK);
	return streets
		.filter((s) => s.doors >= k)
		.map((s) => {
			const outcomes = protectParts([s.spoken, s.noContact, s.declined, s.open], k).map(
				(n) => n ?? SUPPRESSED
			) as StreetRow['outcomes'];
			const themes = themas.map((t) => {
				if (s.spoken < k) return SUPPRESSED;
				const n = protectThemeCount(s.themes.get(t.id) ?? 0, s.spoken, k);
				return n.shown === 'count' ? n.count : SUPPRESSED;
			});
			return { street: s.street, doors: s.doors, outcomes, themes };
		});
}

/**
 * Per-street aggregates: doors and outcomes, and households per theme. With `anonymised`, as the
 * public pages protect them (see streetRows).
 */
export function streetAggregatesCsv(
	streets: readonly StreetCoverage[],
	themas: readonly AThema[],
	options: AggregateOptions
): string {
	const header = [
		'straat',
		'deuren',
		'gesproken',
		'geen_contact',
		'geweigerd',
		'open',
		...themas.map((t) => `thema_${t.name}`)
	];
	const rows = streetRows(streets, themas, options).map((r) => [
		r.street,
		r.doors,
		...r.outcomes,
		...r.themes
	]);
	return toCsv(header, rows);
}

/** Per-street aggregates as GeoJSON: one point per street (the mean of its addresses). */
export function streetAggregatesGeoJson(
	streets: readonly StreetCoverage[],
	addresses: readonly AAddress[],
	themas: readonly AThema[],
	options: AggregateOptions
): GeoJSON.FeatureCollection {
	const sums = new Map<string, { lon: number; lat: number; n: number }>();
	for (const a of addresses) {
		const s = sums.get(a.street) ?? { lon: 0, lat: 0, n: 0 };
		s.lon += a.lon;
		s.lat += a.lat;
		s.n++;
		sums.set(a.street, s);
	}
	const features: GeoJSON.Feature[] = [];
	for (const r of streetRows(streets, themas, options)) {
		const c = sums.get(r.street);
		if (!c) continue;
		const themes: Record<string, Cell> = {};
		themas.forEach((t, i) => (themes[t.name] = r.themes[i]));
		const [gesproken, geen_contact, geweigerd, open] = r.outcomes;
		features.push({
			type: 'Feature',
			geometry: {
				type: 'Point',
				coordinates: [Math.round((c.lon / c.n) * 1e6) / 1e6, Math.round((c.lat / c.n) * 1e6) / 1e6]
			},
			properties: {
				straat: r.street,
				deuren: r.doors,
				gesproken,
				geen_contact,
				geweigerd,
				open,
				themas: themes
			}
		});
	}
	return { type: 'FeatureCollection', features };
}

/** Initiatieven (public ones unless `internal`), as CSV. */
export interface AInitiatief {
	id: string;
	title: string;
	description: string;
	status: string;
	themeIds: readonly string[];
	place: { addressId: string } | { lon: number; lat: number };
	startDate: string | null;
	internal: boolean;
}

export function initiatiefPoint(
	i: AInitiatief,
	addressById: ReadonlyMap<string, AAddress>
): [number, number] | null {
	if ('lon' in i.place) return [i.place.lon, i.place.lat];
	const a = addressById.get(i.place.addressId);
	return a ? [a.lon, a.lat] : null;
}

export function initiatievenCsv(
	list: readonly AInitiatief[],
	addressById: ReadonlyMap<string, AAddress>,
	themas: ReadonlyMap<string, AThema>
): string {
	return toCsv(
		['id', 'titel', 'omschrijving', 'status', 'themas', 'adres', 'lon', 'lat', 'start', 'intern'],
		list.map((i) => {
			const at = initiatiefPoint(i, addressById);
			return [
				i.id,
				i.title,
				i.description,
				i.status,
				themeNames(i.themeIds, themas),
				'addressId' in i.place ? addressLabel(addressById.get(i.place.addressId)) : '',
				at?.[0],
				at?.[1],
				i.startDate,
				i.internal ? 'ja' : 'nee'
			];
		})
	);
}

export function initiatievenGeoJson(
	list: readonly AInitiatief[],
	addressById: ReadonlyMap<string, AAddress>,
	themas: ReadonlyMap<string, AThema>
): GeoJSON.FeatureCollection {
	const features: GeoJSON.Feature[] = [];
	for (const i of list) {
		const at = initiatiefPoint(i, addressById);
		if (!at) continue;
		features.push({
			type: 'Feature',
			id: i.id,
			geometry: { type: 'Point', coordinates: at },
			properties: {
				id: i.id,
				titel: i.title,
				omschrijving: i.description,
				status: i.status,
				themas: i.themeIds.map((id) => themas.get(id)?.name ?? id),
				start: i.startDate,
				intern: i.internal
			}
		});
	}
	return { type: 'FeatureCollection', features };
}

export type { Coverage };
