/**
 * Address import from GeoJSON: a FeatureCollection of Points whose properties carry the address
 * (as exported by QGIS, the BAG or PDOK). The features become a {@link SourceTable} with one column
 * per property plus two columns for the point geometry, so the same mapping preview, validation
 * and merging apply as for CSV. "Line" numbers in issues are feature numbers (first feature = 1).
 *
 * GeoJSON (RFC 7946) is WGS84 lon/lat; older exports in RD New declare
 * `"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}`, and those
 * coordinates are converted (so are Web Mercator's, EPSG:3857; another named system is refused).
 * Without a crs member, coordinates in the RD range are taken as RD too.
 */
import { z } from 'zod';
import { decodeBytes } from './text-file';
import {
	applyMappingAsync,
	proposeMapping,
	type ApplyOptions,
	type ColumnMapping,
	type ImportIssue,
	type ImportResult,
	type MappingProposal,
	type SourceRow,
	type SourceTable
} from './import';
import { ImportFileError, issue, type Issue } from './issues';
import { isInRdBounds } from './rd';

const position = z.array(z.number()).min(2);

const featureSchema = z.object({
	type: z.literal('Feature'),
	geometry: z.object({ type: z.string(), coordinates: z.unknown().optional() }).nullable(),
	properties: z.record(z.string(), z.unknown()).nullable().optional()
});

const collectionSchema = z.object({
	type: z.literal('FeatureCollection'),
	crs: z
		.object({ properties: z.object({ name: z.string() }).partial().optional() })
		.partial()
		.optional()
		.nullable(),
	features: z.array(z.unknown())
});

/** Column headers for the geometry, so the preview shows where coordinates come from. */
export const GEOMETRY_COLUMNS = {
	wgs84: ['geometrie lon', 'geometrie lat'],
	rd: ['geometrie x (RD)', 'geometrie y (RD)']
} as const;

/** The file as a whole is not a GeoJSON FeatureCollection; `issue` says why, for the UI. */
export class GeoJsonImportError extends ImportFileError {
	constructor(problem: Issue) {
		super(problem);
		this.name = 'GeoJsonImportError';
	}
}

function propertyText(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return JSON.stringify(v);
}

/**
 * Properties with nested objects unpacked into dotted names (`adres.straat`), so an address kept
 * in an object becomes columns to map; lists stay one cell (their JSON text).
 */
function flatten(
	props: Record<string, unknown>,
	prefix = '',
	out: Record<string, unknown> = {}
): Record<string, unknown> {
	for (const [k, v] of Object.entries(props)) {
		const name = prefix + k;
		if (v !== null && typeof v === 'object' && !Array.isArray(v) && prefix.split('.').length < 4) {
			flatten(v as Record<string, unknown>, `${name}.`, out);
		} else out[name] = v;
	}
	return out;
}

const positions = z.array(position).min(1);

/**
 * The point to place a feature at: a Point's own, a MultiPoint's (the middle of its points), a
 * Polygon's or MultiPolygon's (the middle of its outer ring's corners: a building outline, as
 * BAG "pand" exports have). Null when the coordinates are malformed.
 */
function placeOf(type: string, coordinates: unknown): [number, number] | null {
	const centre = (ring: number[][]): [number, number] => {
		// A closed ring repeats its first corner at the end: counted once.
		const first = ring[0]!;
		const last = ring[ring.length - 1]!;
		const closed = ring.length > 1 && first[0] === last[0] && first[1] === last[1];
		const corners = closed ? ring.slice(0, -1) : ring;
		let x = 0;
		let y = 0;
		for (const c of corners) {
			x += c[0]!;
			y += c[1]!;
		}
		return [x / corners.length, y / corners.length];
	};
	if (type === 'Point') {
		const c = position.safeParse(coordinates);
		return c.success ? [c.data[0]!, c.data[1]!] : null;
	}
	if (type === 'MultiPoint') {
		const c = positions.safeParse(coordinates);
		return c.success ? centre(c.data) : null;
	}
	if (type === 'Polygon') {
		const c = z.array(positions).min(1).safeParse(coordinates);
		return c.success ? centre(c.data[0]!) : null;
	}
	if (type === 'MultiPolygon') {
		const c = z.array(z.array(positions).min(1)).min(1).safeParse(coordinates);
		return c.success ? centre(c.data.map((polygon) => centre(polygon[0]!))) : null;
	}
	return null;
}

const PLACEABLE = new Set(['Point', 'MultiPoint', 'Polygon', 'MultiPolygon']);

/**
 * What a named crs member says: RD New (EPSG:28992), Web Mercator (EPSG:3857, as web maps and
 * some GIS exports write it; converted), or degrees (WGS84, CRS84, ETRS89). Null without a name;
 * any other system is refused by name, as its numbers would land far from the board.
 */
function declaredCrs(crsName: string | undefined): 'rd' | 'mercator' | 'degrees' | null {
	const name = crsName?.trim();
	if (!name) return null;
	if (/(?:^|[^0-9])28992$/.test(name)) return 'rd';
	if (/(?:^|[^0-9])(?:3857|900913|3785|102100)$/.test(name)) return 'mercator';
	if (/(?:^|[^0-9])(?:4326|4258)$/.test(name) || /CRS:?84$/i.test(name)) return 'degrees';
	throw new GeoJsonImportError(issue('geojson-unsupported-crs', { name: name.slice(0, 80) }));
}

const EARTH_RADIUS = 6378137;

/** Web Mercator metres -> WGS84 longitude and latitude. */
function fromMercator([x, y]: [number, number]): [number, number] {
	const lon = (x / EARTH_RADIUS) * (180 / Math.PI);
	const lat = (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) * (180 / Math.PI);
	return [lon, lat];
}

/**
 * Reads a GeoJSON FeatureCollection (bytes, text or parsed object) into a table. Throws
 * {@link GeoJsonImportError} when the input is not a FeatureCollection at all; problems with
 * single features (not a Point, no geometry) are per-feature issues.
 */
export function readGeoJson(input: Uint8Array | string | unknown): SourceTable {
	let data: unknown = input;
	// UTF-8 as RFC 7946 says; a file saved as Windows-1252 anyway keeps its "ä" (decodeBytes).
	if (input instanceof Uint8Array) data = decodeBytes(input).text;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data.replace(/^\uFEFF/, ''));
		} catch (e) {
			throw new GeoJsonImportError(issue('geojson-invalid-json', { detail: (e as Error).message }));
		}
	}
	// One Feature, or a bare list of them (as some tools and APIs write it): a collection of those.
	if (Array.isArray(data) && data.some((f) => featureSchema.safeParse(f).success)) {
		data = { type: 'FeatureCollection', features: data };
	} else if (featureSchema.safeParse(data).success) {
		data = { type: 'FeatureCollection', features: [data] };
	}
	const collection = collectionSchema.safeParse(data);
	if (!collection.success) {
		throw new GeoJsonImportError(issue('geojson-not-collection', {}));
	}

	const crs = declaredCrs(collection.data.crs?.properties?.name);
	const features = collection.data.features;
	const errors: ImportIssue[] = [];
	const warnings: ImportIssue[] = [];
	const points: {
		line: number;
		coords: [number, number] | null;
		props: Record<string, unknown>;
	}[] = [];
	const keys: string[] = [];
	const keySet = new Set<string>();

	features.forEach((raw, i) => {
		const line = i + 1;
		const f = featureSchema.safeParse(raw);
		if (!f.success) {
			errors.push({ ...issue('geojson-not-feature', {}), line });
			return;
		}
		const props = flatten(f.data.properties ?? {});
		for (const k of Object.keys(props)) {
			if (!keySet.has(k)) {
				keySet.add(k);
				keys.push(k);
			}
		}
		const g = f.data.geometry;
		let coords: [number, number] | null = null;
		if (g && PLACEABLE.has(g.type)) {
			coords = placeOf(g.type, g.coordinates);
			if (!coords || !coords.every(Number.isFinite)) {
				errors.push({ ...issue('geojson-bad-coordinates', {}), line });
				return;
			}
			if (g.type !== 'Point') warnings.push({ ...issue('geojson-centre', { type: g.type }), line });
		} else if (g) {
			errors.push({ ...issue('geojson-not-point', { type: g.type }), line });
			return;
		}
		if (coords && crs === 'mercator') coords = fromMercator(coords);
		points.push({ line, coords, props });
	});

	const rd =
		crs === 'rd' ||
		(crs === null &&
			points.some((p) => p.coords) &&
			points.every((p) => !p.coords || isInRdBounds(p.coords[0], p.coords[1])));
	const headers = [...(rd ? GEOMETRY_COLUMNS.rd : GEOMETRY_COLUMNS.wgs84), ...keys];
	const rows: SourceRow[] = points.map((p) => ({
		line: p.line,
		cells: [
			p.coords ? String(p.coords[0]) : '',
			p.coords ? String(p.coords[1]) : '',
			...keys.map((k) => propertyText(p.props[k]))
		]
	}));
	const presetMapping: ColumnMapping = rd ? { rdX: 0, rdY: 1 } : { lon: 0, lat: 1 };
	return { headers, rows, errors, warnings, presetMapping };
}

export function previewGeoJson(input: Uint8Array | string | unknown): {
	table: SourceTable;
	proposal: MappingProposal;
} {
	const table = readGeoJson(input);
	return { table, proposal: proposeMapping(table) };
}

/** One-shot import with the proposed (or a given) mapping. */
export async function importGeoJson(
	input: Uint8Array | string | unknown,
	options: ApplyOptions & { mapping?: ColumnMapping } = {}
): Promise<ImportResult> {
	const { table, proposal } = previewGeoJson(input);
	return applyMappingAsync(table, options.mapping ?? proposal.mapping, options);
}
