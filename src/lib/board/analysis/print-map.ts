import type { AAddress, AddressState } from './types';
import type { AddressSummary } from './summary';

/**
 * The print view's map (issue 10, "Print"): the board's (or one street's) doors as an SVG drawing
 * made on the server, so that it prints the same in every browser, needs no WebGL canvas and
 * reads in black and white (the state of a door is a shape, not a colour). Streets are sketched
 * as a line between their two farthest doors with the street's name, as the offline map does.
 * Beyond `maxPoints` doors the drawing shows a grid of cells instead, shaded by the share spoken.
 */
export interface PrintPoint {
	x: number;
	y: number;
	state: AddressState;
}

export interface PrintCell {
	x: number;
	y: number;
	size: number;
	doors: number;
	spoken: number;
}

export interface PrintStreet {
	name: string;
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export interface PrintMap {
	width: number;
	height: number;
	streets: PrintStreet[];
	/** One symbol per door, or null when the doors are drawn as cells. */
	points: PrintPoint[] | null;
	cells: PrintCell[] | null;
	doors: number;
}

export interface PrintMapOptions {
	width?: number;
	height?: number;
	/** Margin inside the drawing, in its units. */
	padding?: number;
	maxPoints?: number;
	/** Cell size (drawing units) when doors are binned. */
	cell?: number;
}

/** Web Mercator, unscaled: x grows east, y grows south. */
function project(lon: number, lat: number): [number, number] {
	const x = (lon + 180) / 360;
	const s = Math.sin((lat * Math.PI) / 180);
	const y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
	return [x, y];
}

export function printMap(
	addresses: readonly AAddress[],
	summaries: ReadonlyMap<string, Pick<AddressSummary, 'state'>>,
	{ width = 1000, height = 560, padding = 24, maxPoints = 4000, cell = 12 }: PrintMapOptions = {}
): PrintMap {
	const empty: PrintMap = { width, height, streets: [], points: [], cells: null, doors: 0 };
	if (addresses.length === 0) return empty;
	const xy = addresses.map((a) => project(a.lon, a.lat));
	let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [x, y] of xy) {
		minX = Math.min(minX, x);
		maxX = Math.max(maxX, x);
		minY = Math.min(minY, y);
		maxY = Math.max(maxY, y);
	}
	// One door (or one spot): a small square around it.
	const spanX = Math.max(maxX - minX, 1e-7);
	const spanY = Math.max(maxY - minY, 1e-7);
	const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
	const offX = (width - spanX * scale) / 2;
	const offY = (height - spanY * scale) / 2;
	const at = (i: number): [number, number] => [
		round(offX + (xy[i]![0] - minX) * scale),
		round(offY + (xy[i]![1] - minY) * scale)
	];

	// Streets: the two doors farthest apart (in drawing units, where distances are true to scale).
	const byStreet = new Map<string, number[]>();
	addresses.forEach((a, i) => {
		const list = byStreet.get(a.street);
		if (list) list.push(i);
		else byStreet.set(a.street, [i]);
	});
	const streets: PrintStreet[] = [];
	for (const [name, list] of byStreet) {
		if (list.length < 2) continue;
		// Farthest pair, approximated in two sweeps (exact for doors along a line).
		const far = (from: number) => {
			let best = from;
			let bestD = -1;
			for (const j of list) {
				const d = (xy[j]![0] - xy[from]![0]) ** 2 + (xy[j]![1] - xy[from]![1]) ** 2;
				if (d > bestD) [best, bestD] = [j, d];
			}
			return best;
		};
		const a = far(list[0]!);
		const b = far(a);
		const [x1, y1] = at(a);
		const [x2, y2] = at(b);
		// Left to right, so the name reads upright.
		streets.push(x1 <= x2 ? { name, x1, y1, x2, y2 } : { name, x1: x2, y1: y2, x2: x1, y2: y1 });
	}

	const stateOf = (a: AAddress): AddressState => summaries.get(a.id)?.state ?? 'open';
	if (addresses.length <= maxPoints) {
		const points = addresses.map((a, i) => {
			const [x, y] = at(i);
			return { x, y, state: stateOf(a) };
		});
		return { width, height, streets, points, cells: null, doors: addresses.length };
	}
	const cells = new Map<string, PrintCell>();
	addresses.forEach((a, i) => {
		const [x, y] = at(i);
		const cx = Math.floor(x / cell) * cell;
		const cy = Math.floor(y / cell) * cell;
		const key = `${cx},${cy}`;
		let c = cells.get(key);
		if (!c) cells.set(key, (c = { x: cx, y: cy, size: cell, doors: 0, spoken: 0 }));
		c.doors++;
		if (stateOf(a) === 'spoken') c.spoken++;
	});
	return {
		width,
		height,
		streets,
		points: null,
		cells: [...cells.values()],
		doors: addresses.length
	};
}

const round = (n: number) => Math.round(n * 10) / 10;
