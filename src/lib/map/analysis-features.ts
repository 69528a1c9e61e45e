/**
 * Map features for the analysis layers: one point per address with its state, theme colours and
 * its "spoken" and per-theme 0/1 counts packed three to a number (`c0`, `c1` …, 17 bits each),
 * summed per cluster by MapLibre's clusterProperties: every cluster property is evaluated for
 * every point at every zoom level while clustering, so 8 themes cost 3 sums instead of 9.
 * Features are cached per address: an address whose summary did not change keeps its feature
 * object, so the source diff (diff.ts) sends only what changed.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { ExpressionSpecification } from 'maplibre-gl';
import type { AAddress, AddressState, AddressSummary, AThema } from '$lib/board/analysis';

/**
 * The analysis layers (AnalysisMap.svelte) whose features are single addresses (property `id`):
 * the board map's clicks and the end-to-end tests find addresses through them (BoardMap's
 * `addressLayers`).
 */
export const ANALYSIS_POINT_LAYERS = ['analysis-cluster-points', 'analysis-addresses'];

export const STATE_COLOURS: Record<AddressState, { fill: string; stroke: string }> = {
	open: { fill: '#ffffff', stroke: '#737373' },
	'no-contact': { fill: '#fde68a', stroke: '#92400e' },
	declined: { fill: '#3f3f46', stroke: '#ffffff' },
	spoken: { fill: '#1f6f5c', stroke: '#ffffff' }
};

export interface AnalysisProperties {
	id: string;
	state: AddressState;
	/** Fill: the dominant theme's colour when spoken, else the state's colour. */
	fill: string;
	/** Ring: the second theme's colour when there is one, else the state's stroke. */
	ring: string;
	/** How many themes were heard (the point grows with it). */
	themes: number;
	/** 1 when the address passes the filter (others are dimmed). */
	match: 0 | 1;
	spoken: 0 | 1;
	/** Packed counts (see `packedCount`): slot 0 is "spoken", slot 1 + i the i-th theme. */
	[packed: `c${number}`]: number;
}

/** Counts per packed number, and the bits of each (sums up to 131,071 addresses stay exact). */
const PER_NUMBER = 3;
const BASE = 2 ** 17;

/** The packed property and its place for a slot (0: spoken; 1 + i: the i-th theme). */
function slotOf(slot: number): { key: `c${number}`; scale: number } {
	return { key: `c${Math.floor(slot / PER_NUMBER)}`, scale: BASE ** (slot % PER_NUMBER) };
}

/** The packed property keys for this many themes. */
function packedKeys(themeCount: number): `c${number}`[] {
	const n = Math.ceil((themeCount + 1) / PER_NUMBER);
	return Array.from({ length: n }, (_, i) => `c${i}` as const);
}

/** A count read from a point's or cluster's packed properties, as a map expression. */
export function packedCount(slot: number): ExpressionSpecification {
	const { key, scale } = slotOf(slot);
	const shifted: ExpressionSpecification =
		scale === 1 ? ['get', key] : ['floor', ['/', ['get', key], scale]];
	return ['%', shifted, BASE];
}

/** The same count read in JavaScript (the cluster popup). */
export function readPackedCount(properties: Record<string, unknown>, slot: number): number {
	const { key, scale } = slotOf(slot);
	return Math.floor(Number(properties[key] ?? 0) / scale) % BASE;
}

/** The slot of a theme (its place in the board's theme list, after "spoken"). */
export const themeSlot = (themas: readonly AThema[], id: string) =>
	1 + themas.findIndex((t) => t.id === id);

interface Cached {
	key: string;
	feature: Feature<Point, AnalysisProperties>;
	/** What it was made from: the same objects make the same feature (no key to compare). */
	address: AAddress;
	summary: AddressSummary;
	match: 0 | 1;
}

export class AnalysisFeatures {
	#cache = new Map<string, Cached>();
	#order = '';

	build(
		addresses: readonly AAddress[],
		summaries: ReadonlyMap<string, AddressSummary>,
		themas: readonly AThema[],
		matches: (address: AAddress, summary: AddressSummary) => boolean
	): FeatureCollection<Point, AnalysisProperties> {
		const colour = new Map(themas.map((t) => [t.id, t.colour]));
		// Packing follows the theme list's order: another order is another packing; and a theme
		// given another colour colours its points anew.
		const order = themas.map((t) => `${t.id}:${t.colour}`).join(',');
		if (order !== this.#order) this.#cache.clear();
		this.#order = order;
		const keys = packedKeys(themas.length);
		const features: Feature<Point, AnalysisProperties>[] = [];
		const seen = new Set<string>();
		for (const a of addresses) {
			const s = summaries.get(a.id);
			if (!s) continue;
			seen.add(a.id);
			const match = matches(a, s) ? 1 : 0;
			const hit = this.#cache.get(a.id);
			if (hit && hit.summary === s && hit.address === a && hit.match === match) {
				features.push(hit.feature);
				continue;
			}
			const heard = s.themes.map(([t]) => t).filter((t) => colour.has(t));
			const key = `${a.lon},${a.lat}|${s.state}|${heard.join(',')}|${match}`;
			if (hit && hit.key === key) {
				this.#cache.set(a.id, { ...hit, address: a, summary: s });
				features.push(hit.feature);
				continue;
			}
			const state = STATE_COLOURS[s.state];
			const properties: AnalysisProperties = {
				id: a.id,
				state: s.state,
				fill: s.state === 'spoken' && heard[0] ? colour.get(heard[0])! : state.fill,
				ring: s.state === 'spoken' && heard[1] ? colour.get(heard[1])! : state.stroke,
				themes: heard.length,
				match,
				spoken: s.state === 'spoken' ? 1 : 0
			};
			for (const k of keys) properties[k] = 0;
			const add = (slot: number) => {
				const { key, scale } = slotOf(slot);
				properties[key] = (properties[key] ?? 0) + scale;
			};
			if (properties.spoken) add(0);
			themas.forEach((t, i) => {
				if (heard.includes(t.id)) add(1 + i);
			});
			const feature: Feature<Point, AnalysisProperties> = {
				type: 'Feature',
				id: a.id,
				geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
				properties
			};
			this.#cache.set(a.id, { key, feature, address: a, summary: s, match });
			features.push(feature);
		}
		for (const id of this.#cache.keys()) if (!seen.has(id)) this.#cache.delete(id);
		return { type: 'FeatureCollection', features };
	}
}

/** Sums for clusters (MapLibre clusterProperties): the packed spoken and theme counts. */
export function clusterProperties(
	themas: readonly AThema[]
): Record<string, ExpressionSpecification> {
	return Object.fromEntries(packedKeys(themas.length).map((k) => [k, ['+', ['get', k]]]));
}

/** A cluster's colour: its most heard theme's (grey when none was heard). */
export function dominantClusterColour(themas: readonly AThema[]): ExpressionSpecification {
	if (themas.length === 0) return ['literal', '#a3a3a3'] as unknown as ExpressionSpecification;
	// Each theme's count is unpacked once (`let`), then compared with the others'.
	const name = (i: number) => `n${i}`;
	const cases: unknown[] = ['case'];
	themas.forEach((t, i) => {
		const mine = ['var', name(i)];
		const beatsAll = [
			'all',
			['>', mine, 0],
			...themas.flatMap((_, j) => (j === i ? [] : [['>=', mine, ['var', name(j)]]]))
		];
		cases.push(beatsAll, t.colour);
	});
	cases.push('#a3a3a3');
	const bindings = themas.flatMap((_, i) => [name(i), packedCount(1 + i)]);
	return ['let', ...bindings, cases] as unknown as ExpressionSpecification;
}
