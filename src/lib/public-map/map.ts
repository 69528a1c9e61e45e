import 'maplibre-gl/dist/maplibre-gl.css';
import {
	AttributionControl,
	LngLatBounds,
	Map as MapLibreMap,
	NavigationControl,
	setWorkerUrl,
	type ExpressionSpecification,
	type MapLayerMouseEvent,
	type StyleSpecification
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { PublicMapData } from './features';
import { DIAMOND, MARKS, diamondImage } from './marks';
import { LABEL_FONT_BOLD, glyphsUrl } from '../map/glyphs';
import { MAPLIBRE_DUTCH } from '../map/locale';

/**
 * The interactive map of a public page, loaded only when JavaScript runs (see enhance.ts). Its
 * data is the page's own public map JSON (/buurt/<board>/kaart.json, from the public projection);
 * the holder's SVG stays until the map has drawn, and comes back if anything fails. The street
 * list on the page stays the way to navigate; the map is an extra that links to the same pages.
 */

type LayerSpecification = StyleSpecification['layers'][number];

/** The layer with the streets' names (the e2e tests query what it drew). */
export const STREET_LABELS = 'public-street-labels';

/**
 * The font of the street names: ours (static/glyphs) on the offline style or on a base style
 * without glyphs; on a base style with its own glyph server, the font its first label layer uses,
 * which that server has (one style has one glyphs URL).
 */
function labelFont(base: StyleSpecification | null): string[] {
	if (!base?.glyphs) return [LABEL_FONT_BOLD];
	for (const layer of base.layers) {
		const font = layer.type === 'symbol' ? layer.layout?.['text-font'] : undefined;
		if (Array.isArray(font) && font.length > 0 && font.every((f) => typeof f === 'string')) {
			return font as string[];
		}
	}
	return [LABEL_FONT_BOLD];
}

function layers(current: string | null, font: string[]): LayerSpecification[] {
	const isCurrent: ExpressionSpecification = ['==', ['get', 'slug'], current ?? ''];
	return [
		{
			id: 'public-streets',
			type: 'circle',
			source: 'public-streets',
			paint: {
				'circle-radius': ['case', isCurrent, 10, 7],
				'circle-color': ['case', isCurrent, MARKS.current, MARKS.street],
				'circle-stroke-color': MARKS.stroke,
				'circle-stroke-width': 2
			}
		},
		{
			// Each published street's name beside its circle: placed where it fits (above, below,
			// right, left), the current street first; a name that fits nowhere is left out, never
			// drawn over another. Dark text on a white halo: readable on any base.
			id: STREET_LABELS,
			type: 'symbol',
			source: 'public-streets',
			layout: {
				'text-field': ['get', 'name'],
				'text-font': font,
				'text-size': ['case', isCurrent, 15, 14],
				'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
				'text-radial-offset': 0.85,
				'text-justify': 'auto',
				'text-max-width': 7,
				'text-padding': 3,
				'symbol-sort-key': ['case', isCurrent, 0, 1]
			},
			paint: {
				'text-color': MARKS.label,
				'text-halo-color': '#ffffff',
				'text-halo-width': 2,
				'text-halo-blur': 0.5
			}
		},
		{
			// Diamonds, as in the key and the SVG (an image made in code: no sprite). Always drawn;
			// placed before the names, which keep clear of them.
			id: 'public-initiatives',
			type: 'symbol',
			source: 'public-initiatives',
			layout: {
				'icon-image': DIAMOND,
				'icon-allow-overlap': true
			}
		}
	];
}

function style(data: PublicMapData, current: string | null, base: StyleSpecification | null) {
	const sources = {
		'public-streets': { type: 'geojson' as const, data: data.streets },
		'public-initiatives': { type: 'geojson' as const, data: data.initiatives }
	};
	const ours = layers(current, labelFont(base));
	if (base) {
		return {
			...base,
			glyphs: base.glyphs ?? glyphsUrl(),
			sources: { ...base.sources, ...sources },
			layers: [...base.layers, ...ours]
		} satisfies StyleSpecification;
	}
	return {
		version: 8,
		glyphs: glyphsUrl(),
		sources,
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': MARKS.background } },
			...ours
		]
	} satisfies StyleSpecification;
}

/** The configured base map (e.g. PDOK), or null when there is none or it does not come in time. */
async function baseStyle(url: string | undefined): Promise<StyleSpecification | null> {
	if (!url) return null;
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
		if (!res.ok) return null;
		const value = (await res.json()) as Partial<StyleSpecification>;
		return value.version === 8 && Array.isArray(value.layers) && value.sources
			? (value as StyleSpecification)
			: null;
	} catch {
		return null;
	}
}

export async function upgradeMap(holder: HTMLElement): Promise<void> {
	const src = holder.dataset.src;
	if (!src) return;
	const [data, base] = await Promise.all([
		fetch(src).then((r) => (r.ok ? (r.json() as Promise<PublicMapData>) : null)),
		baseStyle(holder.dataset.basemap)
	]).catch(() => [null, null] as const);
	if (!data) return;
	const current = holder.dataset.current || null;

	const container = document.createElement('div');
	container.className = 'public-map-gl';
	holder.append(container);
	setWorkerUrl(workerUrl);
	const map = new MapLibreMap({
		container,
		style: style(data, current, base),
		center: data.centre,
		zoom: data.zoom,
		attributionControl: false,
		// One finger scrolls the page, two move the map: a phone's page never gets stuck on it.
		cooperativeGestures: true,
		locale: holder.lang === 'en' ? {} : MAPLIBRE_DUTCH
	});
	// The diamond is made here, not fetched: supplied when the layer first needs it.
	map.setMissingStyleImageResolver((id) => {
		if (id === DIAMOND && !map.hasImage(DIAMOND)) {
			map.addImage(DIAMOND, diamondImage(), { pixelRatio: 2 });
		}
	});
	map.addControl(new AttributionControl({ compact: true }));
	map.addControl(new NavigationControl({ showCompass: false }));
	// MapLibre makes the canvas a focusable region (arrow keys pan, Tab moves on); it gets our name.
	map.getCanvas().setAttribute('aria-label', holder.dataset.label ?? '');

	const points = [...data.streets.features, ...data.initiatives.features].map(
		(f) => f.geometry.coordinates as [number, number]
	);
	if (points.length > 1) {
		const bounds = points.reduce((b, p) => b.extend(p), new LngLatBounds(points[0], points[0]));
		// Room at the sides for the names of the outermost streets (MapLibre places a name that
		// runs off the canvas, as it would continue on a larger map).
		const side = Math.round(Math.min(110, container.clientWidth * 0.3));
		map.fitBounds(bounds, {
			padding: { top: 40, bottom: 30, left: side, right: side },
			maxZoom: 17,
			animate: false
		});
	}

	for (const layer of ['public-streets', 'public-initiatives']) {
		map.on('click', layer, (e: MapLayerMouseEvent) => {
			const href = e.features?.[0]?.properties?.href as string | undefined;
			if (href && href !== 'null') window.location.assign(href);
		});
		map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
		map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
	}

	map.once('load', () => {
		holder.classList.add('public-map-ready');
		(window as unknown as { __publicMap?: MapLibreMap }).__publicMap = map;
	});
	map.on('error', () => {
		if (!map.loaded()) {
			map.remove();
			container.remove();
		}
	});
}

/** MapLibre's own UI texts in Dutch (the English ones are its defaults). */
