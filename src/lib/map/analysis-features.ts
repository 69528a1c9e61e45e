/**
 * Map features for the analysis layers: one point per address with its state, theme colours and
 * a 0/1 property per theme (`t_<theme id>`, summed per cluster by MapLibre's clusterProperties).
 * Features are cached per address: an address whose summary did not change keeps its feature
 * object, so the source diff (diff.ts) sends only what changed.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { ExpressionSpecification } from 'maplibre-gl';
import type { AAddress, AddressState, AddressSummary, AThema } from '$lib/board/analysis';

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
	[theme: `t_${string}`]: 0 | 1;
}

export const themeKey = (id: string) => `t_${id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;

export class AnalysisFeatures {
	#cache = new Map<string, { key: string; feature: Feature<Point, AnalysisProperties> }>();

	build(
		addresses: readonly AAddress[],
		summaries: ReadonlyMap<string, AddressSummary>,
		themas: readonly AThema[],
		matches: (address: AAddress, summary: AddressSummary) => boolean
	): FeatureCollection<Point, AnalysisProperties> {
		const colour = new Map(themas.map((t) => [t.id, t.colour]));
		const features: Feature<Point, AnalysisProperties>[] = [];
		const seen = new Set<string>();
		for (const a of addresses) {
			const s = summaries.get(a.id);
			if (!s) continue;
			seen.add(a.id);
			const match = matches(a, s) ? 1 : 0;
			const heard = s.themes.map(([t]) => t).filter((t) => colour.has(t));
			const key = `${a.lon},${a.lat}|${s.state}|${heard.join(',')}|${match}`;
			const hit = this.#cache.get(a.id);
			if (hit && hit.key === key) {
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
			for (const t of themas)
				properties[themeKey(t.id) as `t_${string}`] = heard.includes(t.id) ? 1 : 0;
			const feature: Feature<Point, AnalysisProperties> = {
				type: 'Feature',
				id: a.id,
				geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
				properties
			};
			this.#cache.set(a.id, { key, feature });
			features.push(feature);
		}
		for (const id of this.#cache.keys()) if (!seen.has(id)) this.#cache.delete(id);
		return { type: 'FeatureCollection', features };
	}
}

/** Per-theme sums for clusters (MapLibre clusterProperties). */
export function clusterProperties(
	themas: readonly AThema[]
): Record<string, ExpressionSpecification> {
	const out: Record<string, ExpressionSpecification> = {
		spoken: ['+', ['get', 'spoken']],
		match: ['+', ['get', 'match']]
	};
	for (const t of themas) out[themeKey(t.id)] = ['+', ['get', themeKey(t.id)]];
	return out;
}

/** A cluster's colour: its most heard theme's (grey when none was heard). */
export function dominantClusterColour(themas: readonly AThema[]): ExpressionSpecification {
	if (themas.length === 0) return ['literal', '#a3a3a3'] as unknown as ExpressionSpecification;
	const cases: unknown[] = ['case'];
	for (const t of themas) {
		const mine = ['get', themeKey(t.id)];
		const beatsAll = [
			'all',
			['>', mine, 0],
			...themas.filter((o) => o.id !== t.id).map((o) => ['>=', mine, ['get', themeKey(o.id)]])
		];
		cases.push(beatsAll, t.colour);
	}
	cases.push('#a3a3a3');
	return cases as ExpressionSpecification;
}
