import 'maplibre-gl/dist/maplibre-gl.css';
import {
	AttributionControl,
	LngLatBounds,
	Map as MapLibreMap,
	NavigationControl,
	setWorkerUrl,
	type MapLayerMouseEvent,
	type StyleSpecification
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { PublicMapData } from './features';
import { MAPLIBRE_DUTCH } from '../map/locale';

/**
 * The interactive map of a public page, loaded only when JavaScript runs (see enhance.ts). Its
 * data is the page's own public map JSON (/buurt/<board>/kaart.json, from the public projection);
 * the holder's SVG stays until the map has drawn, and comes back if anything fails. The street
 * list on the page stays the way to navigate; the map is an extra that links to the same pages.
 */

type LayerSpecification = StyleSpecification['layers'][number];

const CURRENT = '#1f6f5c';
const STREET = '#5b6b64';
const INITIATIVE = '#b45309';

function layers(current: string | null): LayerSpecification[] {
	return [
		{
			id: 'public-streets',
			type: 'circle',
			source: 'public-streets',
			paint: {
				'circle-radius': ['case', ['==', ['get', 'slug'], current ?? ''], 10, 7],
				'circle-color': ['case', ['==', ['get', 'slug'], current ?? ''], CURRENT, STREET],
				'circle-stroke-color': '#ffffff',
				'circle-stroke-width': 2
			}
		},
		{
			id: 'public-initiatives',
			type: 'circle',
			source: 'public-initiatives',
			paint: {
				'circle-radius': 7,
				'circle-color': INITIATIVE,
				'circle-stroke-color': '#ffffff',
				'circle-stroke-width': 2
			}
		}
	];
}

function style(data: PublicMapData, current: string | null, base: StyleSpecification | null) {
	const sources = {
		'public-streets': { type: 'geojson' as const, data: data.streets },
		'public-initiatives': { type: 'geojson' as const, data: data.initiatives }
	};
	if (base) {
		return {
			...base,
			sources: { ...base.sources, ...sources },
			layers: [...base.layers, ...layers(current)]
		} satisfies StyleSpecification;
	}
	return {
		version: 8,
		sources,
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#eef2ec' } },
			...layers(current)
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
	map.addControl(new AttributionControl({ compact: true }));
	map.addControl(new NavigationControl({ showCompass: false }));
	// MapLibre makes the canvas a focusable region (arrow keys pan, Tab moves on); it gets our name.
	map.getCanvas().setAttribute('aria-label', holder.dataset.label ?? '');

	const points = [...data.streets.features, ...data.initiatives.features].map(
		(f) => f.geometry.coordinates as [number, number]
	);
	if (points.length > 1) {
		const bounds = points.reduce((b, p) => b.extend(p), new LngLatBounds(points[0], points[0]));
		map.fitBounds(bounds, { padding: 40, maxZoom: 17, animate: false });
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
