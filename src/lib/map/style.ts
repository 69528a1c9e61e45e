import type { MapOptions } from 'maplibre-gl';
import type { Pin } from '$lib/board/pins';
import type { Address } from '$lib/geo/address';
import { addressFeatures, pinFeatures, streetLines, streetNames } from './features';
import { LABEL_FONT, glyphsUrl } from './glyphs';

export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>;
type LayerSpecification = StyleSpecification['layers'][number];
type SourceSpecification = StyleSpecification['sources'][string];

export const KIND_COLOURS = {
	gesprek: '#c2410c',
	initiatief: '#15803d',
	notitie: '#6d28d9'
} as const;

export const SELECTED_LAYER = 'addresses-selected';

/** The street names of the offline style (at each sketched street's middle, along it, from zoom 15). */
export const STREET_LABELS_LAYER = 'street-labels';

export interface OverlayData {
	/** The register (the offline style sketches its streets). */
	addresses: Address[];
	/** The points of the `addresses` source (the register, or only the selected address). */
	pointAddresses?: Address[];
	pins: Pin[];
	/** Attribution of the address data (shown in the map's attribution control). */
	addressAttribution: string;
}

/** Our own sources: the board's addresses and pins (ids 'addresses' and 'pins'). */
function overlaySources(data: OverlayData): Record<string, SourceSpecification> {
	return {
		addresses: {
			type: 'geojson',
			data: addressFeatures(data.pointAddresses ?? data.addresses),
			attribution: data.addressAttribution
		},
		pins: { type: 'geojson', data: pinFeatures(data.pins) }
	};
}

/** Our own layers, drawn on top of any base: address points, then pins. */
function overlayLayers(): LayerSpecification[] {
	return [
		{
			id: 'addresses',
			type: 'circle',
			source: 'addresses',
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 2.5, 16, 6, 19, 10],
				'circle-color': '#ffffff',
				'circle-stroke-color': '#1f6f5c',
				'circle-stroke-width': 2
			}
		},
		{
			// The address a pin is being added to (filter set by the map component).
			id: SELECTED_LAYER,
			type: 'circle',
			source: 'addresses',
			filter: ['==', ['get', 'id'], ''],
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 6, 16, 11, 19, 16],
				'circle-color': 'rgba(0, 0, 0, 0)',
				'circle-stroke-color': '#f59e0b',
				'circle-stroke-width': 3
			}
		},
		{
			id: 'pins',
			type: 'circle',
			source: 'pins',
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 4, 16, 8, 19, 13],
				'circle-color': [
					'match',
					['get', 'kind'],
					'gesprek',
					KIND_COLOURS.gesprek,
					'initiatief',
					KIND_COLOURS.initiatief,
					KIND_COLOURS.notitie
				],
				'circle-stroke-color': '#ffffff',
				'circle-stroke-width': 2
			}
		}
	];
}

/**
 * The built-in style: a plain background, a sketch of the streets with their names, and our
 * layers. It needs nothing but the app itself: no tiles, no sprites, and the glyphs of the names
 * from the app's own static/glyphs (see glyphs.ts). The names (`street-names`, one point per
 * street) are derived with the sketch (`streets`), which the map replaces only when the register
 * changes, so they cost nothing per render or edit; MapLibre places them collision-aware.
 */
export function offlineStyle(data: OverlayData): StyleSpecification {
	const lines = streetLines(data.addresses);
	return {
		version: 8,
		glyphs: glyphsUrl(),
		sources: {
			streets: { type: 'geojson', data: lines },
			'street-names': { type: 'geojson', data: streetNames(lines) },
			...overlaySources(data)
		},
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#f2efe6' } },
			{
				id: 'streets-casing',
				type: 'line',
				source: 'streets',
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': '#d6d0c0',
					'line-width': ['interpolate', ['exponential', 2], ['zoom'], 13, 4, 16, 16, 19, 60]
				}
			},
			{
				id: 'streets',
				type: 'line',
				source: 'streets',
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': '#ffffff',
					'line-width': ['interpolate', ['exponential', 2], ['zoom'], 13, 3, 16, 12, 19, 50]
				}
			},
			{
				id: STREET_LABELS_LAYER,
				type: 'symbol',
				source: 'street-names',
				minzoom: 15,
				layout: {
					'text-field': ['get', 'name'],
					'text-font': [LABEL_FONT],
					'text-size': ['interpolate', ['linear'], ['zoom'], 15, 12.5, 18, 16],
					'text-rotate': ['get', 'rotate'],
					'text-rotation-alignment': 'map',
					'text-padding': 4
				},
				paint: {
					'text-color': '#2b2b26',
					'text-halo-color': '#ffffff',
					'text-halo-width': 1.5
				}
			},
			...overlayLayers()
		]
	};
}

/**
 * A remote base style with our sources and layers added on top. Base sources or layers that
 * happen to use our ids ('addresses', 'pins') give way to ours.
 */
export function withOverlay(base: StyleSpecification, data: OverlayData): StyleSpecification {
	const ours = overlaySources(data);
	const ids = new Set(overlayLayers().map((layer) => layer.id));
	const taken = (layer: LayerSpecification) =>
		ids.has(layer.id) ||
		('source' in layer && typeof layer.source === 'string' && layer.source in ours);
	return {
		...base,
		sources: { ...base.sources, ...ours },
		layers: [...base.layers.filter((layer) => !taken(layer)), ...overlayLayers()]
	};
}

function isStyle(value: unknown): value is StyleSpecification {
	if (typeof value !== 'object' || value === null) return false;
	const style = value as Partial<StyleSpecification>;
	return (
		style.version === 8 &&
		typeof style.sources === 'object' &&
		style.sources !== null &&
		Array.isArray(style.layers)
	);
}

/**
 * Fetches a remote base style (e.g. PDOK's BRT Achtergrondkaart). Returns null when it cannot
 * be had within the timeout or is not a MapLibre style: the caller then uses the offline style.
 */
export async function fetchBaseStyle(
	url: string,
	timeoutMs = 3000,
	fetcher: typeof fetch = fetch
): Promise<StyleSpecification | null> {
	try {
		const response = await fetcher(url, { signal: AbortSignal.timeout(timeoutMs) });
		if (!response.ok) return null;
		const style: unknown = await response.json();
		return isStyle(style) ? style : null;
	} catch {
		return null;
	}
}
