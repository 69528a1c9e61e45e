/**
 * The format-independent part of the address import: a source (CSV or GeoJSON) is first read into
 * a {@link SourceTable} of text cells; {@link proposeMapping} guesses which column holds which
 * address field (the UI shows this and lets the user change it); {@link applyMapping} (or the
 * chunked {@link applyMappingAsync} with progress) turns the rows into validated address records
 * and per-line errors. Nothing here touches the board: the caller decides when to store.
 */
import type { Address } from './address';
import {
	cleanText,
	compactText,
	isPostcode,
	normalizePostcode,
	parseAddition,
	parseBagId,
	parseDecimal,
	parseHouseLetter,
	parseHouseNumber,
	splitPostcodeAndCity
} from './normalize';
import { issue, type CoordinateSystem, type Issue, type TextField } from './issues';
import { NL_BOUNDS, isInNetherlands, isInRdBounds, rdToWgs84 } from './rd';

export type { Issue, IssueCode } from './issues';

/**
 * The most rows one import may store (a complex rarely has more than a few thousand; a whole
 * corporation's region tens of thousands). The browser says so before the user confirms.
 */
export const MAX_IMPORT_ROWS = 50_000;

/** The most characters the register keeps per text field (the server refuses longer ones). */
export const TEXT_LIMITS: Readonly<Record<TextField, number>> = {
	street: 200,
	city: 200,
	complexNumber: 64,
	unitNumber: 64
};
/**
 * Rows per upload request: the server's request body limit is 512 KB, so a large import is sent
 * in parts of this many rows (a gzipped part is far below the limit, plain JSON too).
 */
export const IMPORT_PART_ROWS = 2000;

export const ADDRESS_FIELDS = [
	'street',
	'houseNumber',
	'streetAndNumber',
	'houseLetter',
	'addition',
	'postcode',
	'city',
	'postcodeAndCity',
	'lat',
	'lon',
	'rdX',
	'rdY',
	'bagId',
	'complexNumber',
	'unitNumber'
] as const;

export type AddressField = (typeof ADDRESS_FIELDS)[number];

/**
 * Fields a row cannot do without: street and house number, either as two columns or as one
 * "adres" column ("Sweelinckstraat 12a"), which is split.
 */
export const REQUIRED_FIELDS: readonly AddressField[] = ['street', 'houseNumber'];

/** Required fields the mapping does not cover (a combined adres column covers both). */
export function missingFields(mapping: ColumnMapping): AddressField[] {
	if (mapping.streetAndNumber !== undefined) return [];
	return REQUIRED_FIELDS.filter((f) => mapping[f] === undefined);
}

/** Dutch labels for the mapping preview. */
export const FIELD_LABELS: Record<AddressField, string> = {
	street: 'Straat',
	houseNumber: 'Huisnummer',
	streetAndNumber: 'Adres (straat + huisnummer)',
	houseLetter: 'Huisletter',
	addition: 'Toevoeging',
	postcode: 'Postcode',
	city: 'Woonplaats',
	postcodeAndCity: 'Postcode en woonplaats',
	lat: 'Breedtegraad (lat)',
	lon: 'Lengtegraad (lon)',
	rdX: 'RD x',
	rdY: 'RD y',
	bagId: 'BAG nummeraanduiding-id',
	complexNumber: 'Complexnummer',
	unitNumber: 'VHE-nummer (verhuureenheid)'
};

/**
 * Header synonyms, compared after {@link compactText} (case, accents, spaces, underscores and
 * punctuation ignored): "Huisnr.", "BAG id" and "nummeraanduiding_id" all match.
 */
export const HEADER_SYNONYMS: Record<AddressField, readonly string[]> = {
	street: ['straat', 'straatnaam', 'openbareruimte', 'openbareruimtenaam', 'street', 'streetname'],
	houseNumber: ['huisnummer', 'huisnr', 'nr', 'nummer', 'hnr', 'housenumber', 'number'],
	streetAndNumber: [
		'adres',
		'straatenhuisnummer',
		'straathuisnummer',
		'straatnaamhuisnummer',
		'straatnaamenhuisnummer',
		'address',
		'adresregel',
		'adresregel1'
	],
	houseLetter: ['huisletter', 'letter', 'houseletter'],
	addition: [
		'toevoeging',
		'huisnummertoevoeging',
		'huisnrtoevoeging',
		'toev',
		'hnrtoev',
		'huisnrtoev',
		'huisnummertoev',
		'addition'
	],
	postcode: ['postcode', 'pc', 'postalcode', 'zipcode', 'zip'],
	city: ['woonplaats', 'plaats', 'woonplaatsnaam', 'plaatsnaam', 'city', 'town'],
	postcodeAndCity: [
		'postcodeenplaats',
		'postcodeplaats',
		'postcodewoonplaats',
		'postcodeenwoonplaats',
		'pcplaats',
		'pcwoonplaats',
		'pcenplaats',
		'postcodeandcity',
		'postcodecity'
	],
	lat: ['lat', 'latitude', 'breedtegraad', 'breedte', 'wgs84lat'],
	lon: ['lon', 'lng', 'long', 'longitude', 'lengtegraad', 'lengte', 'wgs84lon'],
	rdX: [
		'x',
		'rdx',
		'xrd',
		'xcoord',
		'xcoordinaat',
		'rdxcoordinaat',
		'coordx',
		'xcoordrd',
		'xcoordinaatrd',
		'rdxcoord',
		'coordinaatx'
	],
	rdY: [
		'y',
		'rdy',
		'yrd',
		'ycoord',
		'ycoordinaat',
		'rdycoordinaat',
		'coordy',
		'ycoordrd',
		'ycoordinaatrd',
		'rdycoord',
		'coordinaaty'
	],
	bagId: [
		'bagid',
		'nummeraanduidingid',
		'nummeraanduiding',
		'nummeraanduidingidentificatie',
		'bagnummeraanduidingid',
		'bagnummeraanduiding',
		'bagnummeraanduidingsid'
	],
	complexNumber: ['complexnummer', 'complexnr', 'complex', 'complexno', 'complexid'],
	// The corporation's unit number (verhuureenheid), the key its own systems use.
	unitNumber: [
		'vhe',
		'vhenummer',
		'vhenr',
		'vheno',
		'vheid',
		'vhecode',
		'verhuureenheid',
		'verhuureenheidnummer',
		'verhuureenheidnr',
		'eenheidnummer',
		'eenheidsnummer',
		'eenheidnr',
		'eenheidsnr',
		'verhuureenheidsnummer',
		'verhuureenheidsnr',
		'eenheid',
		'unitnumber',
		'unitnr',
		'unit'
	]
};

/** One data row of a source, with the line (CSV) or feature number (GeoJSON) it came from. */
export interface SourceRow {
	line: number;
	cells: readonly string[];
}

/** A source read into text cells, before any address interpretation. */
export interface SourceTable {
	headers: readonly string[];
	rows: readonly SourceRow[];
	/** Problems found while reading (e.g. an unclosed quote), with their line. */
	errors: readonly ImportIssue[];
	/** Rows the reader took but had to interpret (e.g. a building outline placed at its centre). */
	warnings?: readonly ImportIssue[];
	/** Mapping the reader already knows (e.g. GeoJSON geometry columns). */
	presetMapping?: ColumnMapping;
}

/** Address field -> column index. */
export type ColumnMapping = { [F in AddressField]?: number };

export interface ColumnProposal {
	index: number;
	header: string;
	field: AddressField | null;
	/**
	 * How the field was found: a header synonym, the cell contents (postcodes; coordinates by
	 * their ranges), or the reader itself.
	 */
	reason: 'header' | 'content' | 'source' | null;
	/** Up to three non-empty example values, for the preview. */
	samples: string[];
}

export interface MappingProposal {
	mapping: ColumnMapping;
	columns: ColumnProposal[];
	/** Required fields without a column: the import cannot start until the user maps them. */
	missing: AddressField[];
	/** Whether coordinates will come from the file (else every row needs geocoding). */
	hasCoordinates: boolean;
}

/**
 * One problem on one line. `line` is the line in the file as a spreadsheet shows it (header =
 * line 1); the feature number for GeoJSON.
 */
export type ImportIssue = Issue & { line: number };

/** A line that is not imported, with every reason. */
export interface RowError {
	/** As in {@link ImportIssue}. */
	line: number;
	issues: Issue[];
}

/** An imported address: like {@link Address} but without an id and possibly without coordinates. */
export type AddressDraft = Omit<Address, 'id' | 'lon' | 'lat'> & {
	lon: number | null;
	lat: number | null;
};

export interface ImportedAddress extends AddressDraft {
	line: number;
	/** No usable coordinates in the file: to be geocoded (e.g. PDOK) before it can be placed. */
	needsGeocoding: boolean;
}

export interface ImportResult {
	rows: ImportedAddress[];
	/** One entry per rejected line (and per problem found while reading the file). */
	errors: RowError[];
	/** Accepted but suspicious (swapped coordinates, outside the Netherlands, lost BAG id, ...). */
	warnings: ImportIssue[];
	/** Number of rows that need geocoding. */
	needsGeocoding: number;
	/** Number of data rows looked at (empty rows excluded). */
	total: number;
}

export interface ImportProgress {
	done: number;
	total: number;
}

export interface ApplyOptions {
	/** Called after every chunk (and once at the end). */
	onProgress?: (progress: ImportProgress) => void;
	/** Rows per chunk; the event loop gets a turn between chunks. Default 2000. */
	chunkSize?: number;
	signal?: AbortSignal;
}

/** The field a column header names (synonyms, case-insensitive), or null. */
export function headerField(header: string): AddressField | null {
	const key = compactText(header);
	if (key === '') return null;
	for (const field of ADDRESS_FIELDS) {
		if (HEADER_SYNONYMS[field].includes(key)) return field;
	}
	// A nested GeoJSON property ("adres.straat") by its own name.
	const dot = header.lastIndexOf('.');
	return dot > 0 && dot < header.length - 1 ? headerField(header.slice(dot + 1)) : null;
}

/** The most characters of one example value the preview shows. */
const SAMPLE_LENGTH = 80;

const shorten = (v: string) => (v.length > SAMPLE_LENGTH ? `${v.slice(0, SAMPLE_LENGTH - 1)}…` : v);

function samplesOf(table: SourceTable, index: number, max = 3): string[] {
	const out: string[] = [];
	for (const row of table.rows) {
		const v = row.cells[index]?.trim();
		// A cell of megabytes (a broken export, a pasted blob) would freeze the preview table.
		if (v) out.push(shorten(v));
		if (out.length >= max) break;
	}
	return out;
}

/**
 * Proposes which column holds which field: first what the reader knows (GeoJSON geometry), then
 * header synonyms, then (for the postcode only) columns whose values look like postcodes.
 */
export function proposeMapping(table: SourceTable): MappingProposal {
	const mapping: ColumnMapping = {};
	const columns: ColumnProposal[] = table.headers.map((header, index) => ({
		index,
		header: shorten(header),
		field: null,
		reason: null,
		samples: samplesOf(table, index)
	}));
	const assign = (field: AddressField, index: number, reason: ColumnProposal['reason']) => {
		const col = columns[index];
		if (!col || col.field !== null || mapping[field] !== undefined) return;
		mapping[field] = index;
		col.field = field;
		col.reason = reason;
	};
	for (const field of ADDRESS_FIELDS) {
		const index = table.presetMapping?.[field];
		if (index !== undefined) assign(field, index, 'source');
	}
	for (const col of columns) {
		const field = headerField(table.headers[col.index]!);
		if (field) assign(field, col.index, 'header');
	}
	if (mapping.postcode === undefined) {
		const guess = columns.find(
			(c) => c.field === null && c.samples.length > 0 && c.samples.every(isPostcode)
		);
		if (guess) assign('postcode', guess.index, 'content');
	}
	if (mapping.postcode === undefined && mapping.postcodeAndCity === undefined) {
		const guess = columns.find(
			(c) =>
				c.field === null &&
				c.samples.length > 0 &&
				c.samples.every((s) => splitPostcodeAndCity(s) !== null)
		);
		if (guess) assign('postcodeAndCity', guess.index, 'content');
	}
	proposeCoordinates(table, columns, mapping);
	return {
		mapping,
		columns,
		missing: missingFields(mapping),
		hasCoordinates: hasCoordinateColumns(mapping)
	};
}

type CoordinateField = 'lat' | 'lon' | 'rdX' | 'rdY';

/** How many data rows {@link coordinateKind} looks at per column. */
const COORDINATE_SAMPLE_ROWS = 200;

/**
 * What a column's values say it holds: RD New x (0–300,000 m) or y (300,000–625,000 m), or WGS84
 * longitude or latitude within the Netherlands (with at least three decimals, so small counts
 * such as "4" rooms are not taken for degrees). Null when the values are not all numbers in one of
 * those ranges, or the column is empty. RD x must be at least 10,000 (all of the Netherlands is; house
 * numbers and building years are not).
 */
export function coordinateKind(table: SourceTable, index: number): CoordinateField | null {
	const values: number[] = [];
	let precise = 0;
	for (const row of table.rows) {
		if (values.length >= COORDINATE_SAMPLE_ROWS) break;
		const text = row.cells[index]?.trim() ?? '';
		if (text === '') continue;
		const parsed = parseDecimal(text);
		if (!parsed.ok || parsed.value === null) return null;
		values.push(parsed.value);
		if (/[.,]\d{3,}$/.test(text)) precise++;
	}
	if (values.length === 0) return null;
	const all = (min: number, max: number) => values.every((v) => v >= min && v <= max);
	if (precise === values.length) {
		if (all(NL_BOUNDS.minLon, NL_BOUNDS.maxLon)) return 'lon';
		if (all(NL_BOUNDS.minLat, NL_BOUNDS.maxLat)) return 'lat';
	}
	if (all(10_000, 300_000)) return 'rdX';
	if (all(300_000, 625_000)) return 'rdY';
	return null;
}

/** Whether a header hints at an x (lon, RD x) or y (lat, RD y) coordinate. */
function axisHint(header: string): 'x' | 'y' | null {
	const words = header
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.split(/[^a-z]+/)
		.filter(Boolean);
	const x = words.some((w) =>
		['x', 'rdx', 'xcoord', 'xcoordinaat', 'lon', 'lng', 'oost', 'east', 'easting'].includes(w)
	);
	const y = words.some((w) =>
		['y', 'rdy', 'ycoord', 'ycoordinaat', 'lat', 'noord', 'north', 'northing'].includes(w)
	);
	return x === y ? null : x ? 'x' : 'y';
}

/**
 * Coordinate columns by their values as well as their names. A column named as RD whose values
 * are degrees is re-labelled ("X-coördinaat" holding 5.87… is a longitude); without a complete pair by name, unmapped numeric columns whose
 * values are RD x and y (or longitude and latitude) are proposed, preferring headers that say x
 * or y, then neighbouring columns.
 */
function proposeCoordinates(
	table: SourceTable,
	columns: ColumnProposal[],
	mapping: ColumnMapping
): void {
	const kinds = new Map<number, CoordinateField | null>();
	const kindOf = (index: number) => {
		if (!kinds.has(index)) kinds.set(index, coordinateKind(table, index));
		return kinds.get(index)!;
	};
	const clear = (field: CoordinateField) => {
		const index = mapping[field];
		if (index === undefined) return;
		delete mapping[field];
		const col = columns[index]!;
		col.field = null;
		col.reason = null;
	};
	const set = (field: CoordinateField, index: number) => {
		clear(field);
		mapping[field] = index;
		columns[index]!.field = field;
		columns[index]!.reason = 'content';
	};
	// Columns named as RD whose values are degrees (RD metres under a lat/lon header are converted
	// row by row, with a warning, in convertRowCoordinates).
	const named = (['rdX', 'rdY'] as const).filter(
		(f) => mapping[f] !== undefined && columns[mapping[f]!]!.reason === 'header'
	);
	const relabel = new Map<number, CoordinateField>();
	for (const f of named) {
		const kind = kindOf(mapping[f]!);
		// Degrees are told apart by their ranges, so an "X" column of latitudes is the latitude.
		if (kind === 'lon' || kind === 'lat') relabel.set(mapping[f]!, kind);
	}
	if (relabel.size > 0) {
		for (const f of named) if (relabel.has(mapping[f]!)) clear(f);
		for (const [index, kind] of relabel) if (mapping[kind] === undefined) set(kind, index);
	}
	if (hasCoordinateColumns(mapping)) return;

	for (const [xField, yField] of [
		['rdX', 'rdY'],
		['lon', 'lat']
	] as const) {
		const free = (field: CoordinateField) =>
			columns.filter((c) => (c.field === null || c.field === field) && kindOf(c.index) === field);
		const xs = mapping[xField] !== undefined ? [columns[mapping[xField]!]!] : free(xField);
		const ys = mapping[yField] !== undefined ? [columns[mapping[yField]!]!] : free(yField);
		if (xs.length === 0 || ys.length === 0) continue;
		const score = (x: ColumnProposal, y: ColumnProposal) =>
			(axisHint(x.header) === 'x' ? 2 : 0) +
			(axisHint(y.header) === 'y' ? 2 : 0) +
			(Math.abs(x.index - y.index) === 1 ? 1 : 0);
		const system: CoordinateSystem = xField === 'rdX' ? 'rd' : 'wgs84';
		const byName = mapping[xField] !== undefined || mapping[yField] !== undefined;
		let best: [ColumnProposal, ColumnProposal] | null = null;
		for (const x of xs)
			for (const y of ys)
				if (
					x.index !== y.index &&
					(!best || score(x, y) > score(...best)) &&
					(byName || plausiblePair(table, x, y, system))
				)
					best = [x, y];
		if (!best) continue;
		if (mapping[xField] === undefined) set(xField, best[0].index);
		if (mapping[yField] === undefined) set(yField, best[1].index);
		return;
	}
}

/**
 * Whether two columns found by their values alone can be a board's coordinates: their points lie
 * together (within 60 km, or a degree), and RD metres either have decimals or headers that say x
 * and y. Two number columns in the RD ranges are otherwise as likely to be contract or relation
 * numbers, which would scatter a street over the province.
 */
function plausiblePair(
	table: SourceTable,
	x: ColumnProposal,
	y: ColumnProposal,
	system: CoordinateSystem
): boolean {
	const sample = (index: number) => {
		const values: number[] = [];
		let fractions = false;
		for (const row of table.rows) {
			if (values.length >= COORDINATE_SAMPLE_ROWS) break;
			const text = row.cells[index]?.trim() ?? '';
			const parsed = parseDecimal(text);
			if (!parsed.ok || parsed.value === null) continue;
			values.push(parsed.value);
			if (/[.,]\d+$/.test(text) && parsed.value % 1 !== 0) fractions = true;
		}
		let min = Infinity;
		let max = -Infinity;
		for (const v of values) {
			if (v < min) min = v;
			if (v > max) max = v;
		}
		return { spread: values.length > 0 ? max - min : 0, fractions };
	};
	const [sx, sy] = [sample(x.index), sample(y.index)];
	const limit = system === 'rd' ? 60_000 : 1;
	if (sx.spread > limit || sy.spread > limit) return false;
	if (system === 'wgs84') return true; // degrees carry three decimals already (coordinateKind)
	const named = axisHint(x.header) === 'x' && axisHint(y.header) === 'y';
	return named || sx.fractions || sy.fractions;
}

function hasCoordinateColumns(mapping: ColumnMapping): boolean {
	return (
		(mapping.lat !== undefined && mapping.lon !== undefined) ||
		(mapping.rdX !== undefined && mapping.rdY !== undefined)
	);
}

/** Checks a (user-edited) mapping: required fields present, no column used twice. */
export function validateMapping(mapping: ColumnMapping, columnCount: number): string[] {
	const problems: string[] = [];
	for (const f of missingFields(mapping)) {
		problems.push(`Kies een kolom voor ${FIELD_LABELS[f]}.`);
	}
	const used = new Map<number, AddressField>();
	for (const f of ADDRESS_FIELDS) {
		const i = mapping[f];
		if (i === undefined) continue;
		if (!Number.isInteger(i) || i < 0 || i >= columnCount) {
			problems.push(`${FIELD_LABELS[f]}: kolom ${i} bestaat niet.`);
			continue;
		}
		const other = used.get(i);
		if (other) {
			problems.push(
				`Kolom ${i + 1} is zowel ${FIELD_LABELS[other]} als ${FIELD_LABELS[f]} gekozen.`
			);
		}
		used.set(i, f);
	}
	if ((mapping.lat === undefined) !== (mapping.lon === undefined)) {
		problems.push('Kies zowel een kolom voor de breedtegraad als voor de lengtegraad.');
	}
	if ((mapping.rdX === undefined) !== (mapping.rdY === undefined)) {
		problems.push('Kies zowel een kolom voor RD x als voor RD y.');
	}
	return problems;
}

type RowOutcome =
	| { kind: 'row'; row: ImportedAddress; warnings: Issue[] }
	| { kind: 'error'; issues: Issue[] }
	| { kind: 'empty' }
	| { kind: 'summary'; value: string };

/** A cell that starts a totals line of an export: "Totaal: 150", "Aantal eenheden 150". */
const SUMMARY = /^(?:sub|eind)?(?:totaal|total|aantal|som)\b/i;

interface Coordinates {
	lon: number;
	lat: number;
}

function convertRowCoordinates(
	cell: (f: AddressField) => string,
	mapping: ColumnMapping,
	errors: Issue[],
	warnings: Issue[]
): Coordinates | null {
	const pair = (
		a: AddressField,
		b: AddressField,
		system: CoordinateSystem
	): [number, number] | null => {
		if (mapping[a] === undefined || mapping[b] === undefined) return null;
		const parse = system === 'rd' ? parseMetres : parseDecimal;
		const pa = parse(cell(a));
		const pb = parse(cell(b));
		if (!pa.ok || !pb.ok) {
			for (const [p, field] of [
				[pa, a],
				[pb, b]
			] as const) {
				if (!p.ok)
					errors.push(issue('coordinate-not-a-number', { system, value: cell(field).trim() }));
			}
			return null;
		}
		if (pa.value === null && pb.value === null) return null;
		// 0;0 is what many systems write for "no coordinates": the row is geocoded instead.
		if (pa.value === 0 && pb.value === 0) return null;
		if (pa.value === null || pb.value === null) {
			errors.push(issue('coordinate-incomplete', { system }));
			return null;
		}
		return [pa.value, pb.value];
	};

	const errorsBefore = errors.length;
	const wgs = pair('lat', 'lon', 'wgs84');
	if (wgs) {
		let [lat, lon] = wgs;
		if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
			// Metres in the degree columns: RD x/y under the wrong header.
			const rdPoint = isInRdBounds(lon, lat)
				? [lon, lat]
				: isInRdBounds(lat, lon)
					? [lat, lon]
					: null;
			if (rdPoint) {
				warnings.push(issue('rd-in-latlon', {}));
				return rdToWgs84(rdPoint[0]!, rdPoint[1]!);
			}
			errors.push(issue('latlon-invalid', { lat, lon }));
			return null;
		}
		if (!isInNetherlands(lon, lat) && isInNetherlands(lat, lon)) {
			[lat, lon] = [lon, lat];
			warnings.push(issue('latlon-swapped', {}));
		}
		if (!isInNetherlands(lon, lat)) warnings.push(issue('outside-nl', {}));
		return { lon, lat };
	}
	if (errors.length > errorsBefore) return null;

	const rd = pair('rdX', 'rdY', 'rd');
	if (rd) {
		let [x, y] = rd;
		if (!isInRdBounds(x, y) && isInRdBounds(y, x)) {
			[x, y] = [y, x];
			warnings.push(issue('rd-swapped', {}));
		}
		if (!isInRdBounds(x, y)) {
			errors.push(issue('rd-outside-nl', { x: rd[0], y: rd[1] }));
			return null;
		}
		// The RD grid reaches into Belgium and Germany: said, as for degrees.
		const point = rdToWgs84(x, y);
		if (!isInNetherlands(point.lon, point.lat)) warnings.push(issue('outside-nl', {}));
		return point;
	}
	return null;
}

/**
 * RD metres as a cell holds them; also with Excel's thousands dots and no decimals ("187.123" is
 * 187123: no place in the Netherlands has an RD coordinate below 1,000 m).
 */
function parseMetres(text: string): ReturnType<typeof parseDecimal> {
	const t = text.trim();
	if (/^\d{1,3}(?:\.\d{3})+$/.test(t)) return { ok: true, value: Number(t.replace(/\./g, '')) };
	return parseDecimal(text);
}

/**
 * Whether what is left before a house number can be a street name: it has a letter, and it does
 * not end in what belongs to a house number ("Dorpsstraat 12 A" of "Dorpsstraat 12 A 2", a dash,
 * "t/m"). A year may end it ("Plein 1944", "Plein 1940-1945").
 */
function plausibleStreet(street: string): boolean {
	if (!/\p{L}/u.test(street)) return false;
	const last = street.slice(street.lastIndexOf(' ') + 1);
	if (/^\d{4}(?:-\d{4})?$/.test(last)) return true;
	if (/^\d/.test(last) || /^\p{L}$/u.test(last) || last.includes('/')) return false;
	return /\p{L}/u.test(last);
}

/**
 * Splits "Sweelinckstraat 12a-2" into street and number part: at the last space before a digit
 * where the rest reads as a house number and the part before as a street, so numbered streets
 * survive ("43e Straat 12 A" -> "43e Straat" + "12 A") and so do letters and toevoegingen with
 * spaces ("Dorpsstraat 12 A 2" -> "Dorpsstraat" + "12 A 2"). Null when no split reads well.
 */
export function splitStreetAndNumber(text: string): { street: string; number: string } | null {
	const s = text.trim().replace(/\s+/g, ' ');
	const starts: number[] = [];
	for (const m of s.matchAll(/ (?=\d)/g)) starts.push(m.index);
	for (let i = starts.length - 1; i >= 0; i--) {
		const street = s.slice(0, starts[i]);
		const number = s.slice(starts[i]! + 1);
		if (parseHouseNumber(number).ok && plausibleStreet(street)) return { street, number };
	}
	return null;
}

/** Month names as Excel writes them when it takes "12-2" for a date ("12-feb", "1-mrt"). */
const MONTH = /^(?:jan|feb|mrt|mar|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)$/i;

/**
 * Characters no one sees (zero-width space and joiners, word joiner, BOM, soft hyphen) that text
 * copied from a web page or a mail brings along: "\u200b12" is house number 12.
 */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

function interpretRow(row: SourceRow, mapping: ColumnMapping): RowOutcome {
	if (row.cells.every((c) => c.trim() === '')) return { kind: 'empty' };
	const cell = (f: AddressField): string => {
		const i = mapping[f];
		return i === undefined ? '' : (row.cells[i] ?? '').replace(INVISIBLE, '');
	};
	const errors: Issue[] = [];
	const warnings: Issue[] = [];

	// A totals line at the end of an export: a cell that says "Totaal", no street (or "Totaal" in the
	// street column, without a postcode) and at most a count in the number column ("Totaal;4").
	const streetCell = cleanText(cell('street')) ?? cleanText(cell('streetAndNumber'));
	if (
		/^\d*$/.test(cell('houseNumber').trim()) &&
		(streetCell === null ||
			(SUMMARY.test(streetCell) &&
				cell('postcode').trim() === '' &&
				cell('postcodeAndCity').trim() === ''))
	) {
		const summary = row.cells.find((c) => SUMMARY.test(c.trim()));
		if (summary !== undefined) return { kind: 'summary', value: summary.trim().slice(0, 80) };
	}

	let street = cleanText(cell('street'));
	let numberText = cell('houseNumber');
	const combined = cleanText(cell('streetAndNumber'));
	if (combined !== null && (street === null || numberText.trim() === '')) {
		const split = splitStreetAndNumber(combined);
		if (split) {
			street ??= split.street;
			if (numberText.trim() === '') numberText = split.number;
		} else if (numberText.trim() !== '') {
			// Only the street in the adres column, the number in its own column.
			street ??= combined;
		} else if (/\d/.test(combined)) {
			errors.push(issue('address-split-unclear', { value: combined }));
		} else {
			errors.push(issue('address-without-number', { value: combined }));
		}
	}
	if (!street) errors.push(issue('street-missing', {}));

	const number = parseHouseNumber(numberText);
	let houseNumber = 0;
	let houseLetter: string | null = null;
	let addition: string | null = null;
	if (number.ok) {
		({ houseNumber, houseLetter, addition } = number.value);
	} else {
		errors.push(number.issue);
	}

	const letter = parseHouseLetter(cell('houseLetter'));
	if (!letter.ok) errors.push(letter.issue);
	else if (letter.value !== null) {
		if (houseLetter !== null && houseLetter !== letter.value) {
			errors.push(issue('letter-conflict', { inNumber: houseLetter, inColumn: letter.value }));
		}
		houseLetter = letter.value;
	}

	const add = parseAddition(cell('addition'));
	if (!add.ok) errors.push(add.issue);
	else if (add.value !== null) {
		if (addition !== null && addition.toLowerCase() !== add.value.toLowerCase()) {
			errors.push(issue('addition-conflict', { inNumber: addition, inColumn: add.value }));
		}
		addition = add.value;
	}
	// A lone letter in the toevoeging column is the huisletter ("12" + "A"): how many
	// corporation systems export 12A.
	if (houseLetter === null && addition !== null && /^[A-Za-z]$/.test(addition)) {
		houseLetter = addition.toUpperCase();
		addition = null;
	}
	if (addition !== null && MONTH.test(addition)) {
		errors.push(
			issue('house-number-date', {
				value: `${numberText.trim()} ${cell('addition').trim()}`.trim()
			})
		);
	}

	let postcode: string | null = null;
	let city = cleanText(cell('city'));
	const rawPostcode = cell('postcode').trim();
	if (rawPostcode !== '') {
		postcode = normalizePostcode(rawPostcode);
		if (postcode === null) errors.push(issue('postcode-invalid', { value: rawPostcode }));
	}
	const rawPostcodeAndCity = cell('postcodeAndCity').trim();
	if (rawPostcodeAndCity !== '' && (rawPostcode === '' || city === null)) {
		const split = splitPostcodeAndCity(rawPostcodeAndCity);
		if (split) {
			if (rawPostcode === '') postcode = split.postcode;
			city ??= cleanText(split.city);
		} else if (rawPostcode === '') {
			errors.push(issue('postcode-invalid', { value: rawPostcodeAndCity }));
		}
	}

	let bagId: string | null = null;
	const bag = parseBagId(cell('bagId'));
	if (bag.ok) bagId = bag.value;
	else warnings.push(bag.issue);

	const coords = convertRowCoordinates(cell, mapping, errors, warnings);

	const texts = {
		street,
		city,
		complexNumber: cleanText(cell('complexNumber')),
		unitNumber: cleanText(cell('unitNumber'))
	};
	for (const value of [texts.complexNumber, texts.unitNumber]) {
		if (value && /^\d+(?:[.,]\d+)?E\+?\d+$/i.test(value)) {
			warnings.push(issue('excel-scientific', { value }));
		}
	}
	for (const field of Object.keys(TEXT_LIMITS) as TextField[]) {
		const max = TEXT_LIMITS[field];
		if ((texts[field]?.length ?? 0) > max) errors.push(issue('text-too-long', { field, max }));
	}

	if (errors.length > 0) return { kind: 'error', issues: errors };
	return {
		kind: 'row',
		warnings,
		row: {
			line: row.line,
			street: street!,
			houseNumber,
			houseLetter,
			addition,
			postcode,
			city: texts.city,
			lon: coords?.lon ?? null,
			lat: coords?.lat ?? null,
			bagId,
			complexNumber: texts.complexNumber,
			unitNumber: texts.unitNumber,
			needsGeocoding: coords === null
		}
	};
}

/**
 * The reading problems of data rows, by line: such a row (a stray quote that may have shifted its
 * cells) is rejected with them, as the preview says of every listed row, not stored as well.
 */
function readingIssues(table: SourceTable): Map<number, Issue[]> {
	const byLine = new Map<number, Issue[]>();
	if (table.errors.length === 0) return byLine;
	const rowLines = new Set(table.rows.map((r) => r.line));
	for (const e of table.errors) {
		if (!rowLines.has(e.line)) continue;
		const list = byLine.get(e.line) ?? [];
		list.push({ code: e.code, params: e.params } as Issue);
		byLine.set(e.line, list);
	}
	return byLine;
}

function emptyResult(table: SourceTable, byLine: ReadonlyMap<number, Issue[]>): ImportResult {
	return {
		rows: [],
		// Problems outside the data rows (before the header, after the last row) stand alone.
		errors: table.errors
			.filter((e) => !byLine.has(e.line))
			.map((e) => ({
				line: e.line,
				issues: [{ code: e.code, params: e.params } as Issue]
			})),
		warnings: [...(table.warnings ?? [])],
		needsGeocoding: 0,
		total: 0
	};
}

function processRange(
	table: SourceTable,
	mapping: ColumnMapping,
	from: number,
	to: number,
	result: ImportResult,
	byLine: ReadonlyMap<number, Issue[]>
): void {
	for (let i = from; i < to; i++) {
		const source = table.rows[i]!;
		const reading = byLine.get(source.line);
		if (reading) {
			result.total++;
			result.errors.push({ line: source.line, issues: reading });
			continue;
		}
		const outcome = interpretRow(source, mapping);
		if (outcome.kind === 'empty') continue;
		if (outcome.kind === 'summary') {
			result.warnings.push({
				...issue('summary-row-skipped', { value: outcome.value }),
				line: source.line
			});
			continue;
		}
		result.total++;
		if (outcome.kind === 'error') {
			result.errors.push({ line: source.line, issues: outcome.issues });
			continue;
		}
		for (const warning of outcome.warnings) result.warnings.push({ ...warning, line: source.line });
		if (outcome.row.needsGeocoding) result.needsGeocoding++;
		result.rows.push(outcome.row);
	}
}

function finish(result: ImportResult): ImportResult {
	result.errors.sort((a, b) => a.line - b.line);
	result.warnings.sort((a, b) => a.line - b.line);
	return result;
}

/** Applies a mapping to every row at once (fine in a worker or for small files). */
export function applyMapping(table: SourceTable, mapping: ColumnMapping): ImportResult {
	const byLine = readingIssues(table);
	const result = emptyResult(table, byLine);
	processRange(table, mapping, 0, table.rows.length, result, byLine);
	return finish(result);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Applies a mapping in chunks, yielding to the event loop between chunks so a page stays
 * responsive, and reporting progress after each chunk. Rejects with the signal's reason when
 * aborted.
 */
export async function applyMappingAsync(
	table: SourceTable,
	mapping: ColumnMapping,
	options: ApplyOptions = {}
): Promise<ImportResult> {
	const chunkSize = Math.max(1, options.chunkSize ?? 2000);
	const total = table.rows.length;
	const byLine = readingIssues(table);
	const result = emptyResult(table, byLine);
	for (let from = 0; from < total; from += chunkSize) {
		options.signal?.throwIfAborted();
		const to = Math.min(total, from + chunkSize);
		processRange(table, mapping, from, to, result, byLine);
		options.onProgress?.({ done: to, total });
		if (to < total) await nextTurn();
	}
	if (total === 0) options.onProgress?.({ done: 0, total: 0 });
	return finish(result);
}
