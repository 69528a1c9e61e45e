/**
 * Coordinates written in one column: a GIS export's geometry as WKT ("POINT (187136.1 428140.2)",
 * as QGIS saves a layer to CSV) or a pair copied from a map ("51.8412, 5.8523"). Such a column gets
 * two columns beside it, one per number, so the mapping finds them by their values as it finds
 * separate x and y columns (RD metres or degrees, either order).
 */
import { coordinateKind, type SourceRow, type SourceTable } from './import';

const NUMBER = String.raw`[-+]?\d+(?:[.,]\d+)?`;
const WKT_POINT = new RegExp(
	String.raw`^POINT\s*(?:ZM?|M)?\s*\(\s*(${NUMBER})\s+(${NUMBER})(?:\s+${NUMBER}){0,2}\s*\)$`,
	'i'
);
/** Two numbers: "51.8412, 5.8523", "51,8412; 5,8523", "187136 428140" (not "51,8412" alone). */
const PAIR = [
	new RegExp(String.raw`^(${NUMBER})\s*;\s*(${NUMBER})$`),
	new RegExp(String.raw`^(${NUMBER}),\s+(${NUMBER})$`),
	new RegExp(String.raw`^([-+]?\d+\.\d+),(\s*[-+]?\d+\.\d+)$`),
	new RegExp(String.raw`^(${NUMBER})\s+(${NUMBER})$`)
];

/** The two numbers of a point cell, or null. */
export function pointParts(cell: string): [string, string] | null {
	const text = cell.trim();
	const wkt = WKT_POINT.exec(text);
	if (wkt) return [wkt[1]!, wkt[2]!];
	for (const re of PAIR) {
		const m = re.exec(text);
		if (m) return [m[1]!.trim(), m[2]!.trim()];
	}
	return null;
}

/** How many rows are looked at to decide whether a column holds points. */
const SAMPLE_ROWS = 200;

/**
 * The table with two columns added after each column whose values are all points with
 * coordinates in the Netherlands (RD metres or degrees); unchanged when there is none.
 */
export function withPointColumns(table: SourceTable): SourceTable {
	const width = table.headers.length;
	const pointColumns: number[] = [];
	for (let index = 0; index < width; index++) {
		let seen = 0;
		let points = true;
		for (const row of table.rows) {
			const cell = row.cells[index]?.trim() ?? '';
			if (cell === '') continue;
			if (pointParts(cell) === null) {
				points = false;
				break;
			}
			if (++seen >= SAMPLE_ROWS) break;
		}
		if (points && seen > 0) pointColumns.push(index);
	}
	if (pointColumns.length === 0) return table;
	const widened = withOnly(table, pointColumns);
	// Kept only where both numbers read as coordinates in the Netherlands.
	const keep = pointColumns.filter((_, i) => {
		const x = width + i * 2;
		return coordinateKind(widened, x) !== null && coordinateKind(widened, x + 1) !== null;
	});
	if (keep.length === pointColumns.length) return widened;
	return keep.length === 0 ? table : withOnly(table, keep);
}

/** The table with point columns added for exactly these columns. */
function withOnly(table: SourceTable, columns: readonly number[]): SourceTable {
	const width = table.headers.length;
	const headers = [...table.headers];
	for (const index of columns) {
		const name = table.headers[index] || `${index + 1}`;
		// WKT is x y (lon lat, or RD x y); a copied pair may be either way round: its values decide.
		const first = table.rows.find((r) => (r.cells[index] ?? '').trim() !== '');
		const wkt = first !== undefined && WKT_POINT.test(first.cells[index]!.trim());
		headers.push(...(wkt ? [`${name} x`, `${name} y`] : [`${name} (1)`, `${name} (2)`]));
	}
	const rows: SourceRow[] = table.rows.map((row) => {
		const cells = [...row.cells];
		while (cells.length < width) cells.push('');
		for (const index of columns) {
			const parts = pointParts(row.cells[index] ?? '');
			cells.push(parts?.[0] ?? '', parts?.[1] ?? '');
		}
		return { line: row.line, cells };
	});
	return { ...table, headers, rows };
}
