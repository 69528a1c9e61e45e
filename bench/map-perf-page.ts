/**
 * What bench/map-perf.ts runs inside Chromium, as source text (tsx's helpers in a compiled
 * function would not exist in the page): the bare MapLibre page and the shared measurements.
 */

/** Resolves once the map has rendered with nothing pending (a repaint, then its `idle`). */
export const IDLE = `(map) => new Promise((resolve) => {
	map.once('idle', resolve);
	map.triggerRepaint();
})`;

/**
 * One scripted flight from the given centre at zoom 14 (clusters) to 15.5 (points) and back, with
 * two pans: frames per second over it and the 95th percentile of frame intervals.
 */
export const FLIGHT = `async (map, center) => {
	map.jumpTo({ center, zoom: 14 });
	await (${IDLE})(map);
	const times = [];
	let running = true;
	const frame = (t) => { times.push(t); if (running) requestAnimationFrame(frame); };
	requestAnimationFrame(frame);
	const step = (fn) => new Promise((r) => { map.once('moveend', r); fn(); });
	const t0 = performance.now();
	await step(() => map.easeTo({ zoom: 15.5, duration: 1500 }));
	await step(() => map.panBy([400, 200], { duration: 1000 }));
	await step(() => map.easeTo({ zoom: 14, duration: 1500 }));
	await step(() => map.panBy([-400, -200], { duration: 1000 }));
	running = false;
	const seconds = (performance.now() - t0) / 1000;
	const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
	return { fps: times.length / seconds, p95: gaps[Math.floor(gaps.length * 0.95)] ?? NaN };
}`;

/**
 * Bare MapLibre: the same background colour, the points in one clustered GeoJSON source with the
 * board's cluster settings (radius 45, max zoom 14, a summed property), cluster circles and
 * unclustered circles. Hash: board id, lon, lat. Sets window.map and window.__firstIdle.
 */
export const BARE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><style>html,body,#map{margin:0;width:100%;height:100%}</style></head>
<body><div id="map"></div>
<script type="module">
import { Map, setWorkerUrl } from '/maplibre-gl.mjs';
setWorkerUrl('/maplibre-gl-worker.mjs');
const [id, lon, lat] = location.hash.slice(1).split(',');
const data = await (await fetch('/' + id + '.json')).json();
const map = new Map({
	container: 'map',
	center: [Number(lon), Number(lat)],
	zoom: 14,
	style: {
		version: 8,
		sources: {
			points: { type: 'geojson', data, cluster: true, clusterRadius: 45, clusterMaxZoom: 14,
				clusterProperties: { spoken: ['+', ['get', 'spoken']] } }
		},
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#f2efe6' } },
			{ id: 'clusters', type: 'circle', source: 'points', filter: ['has', 'point_count'],
				paint: { 'circle-color': '#1f6f8b', 'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 50, 22, 200, 30, 1000, 40],
					'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-opacity': 0.85 } },
			{ id: 'points', type: 'circle', source: 'points', filter: ['!', ['has', 'point_count']],
				paint: { 'circle-radius': 5, 'circle-color': ['case', ['==', ['get', 'spoken'], 1], '#2a9d8f', '#999999'],
					'circle-stroke-color': '#333333', 'circle-stroke-width': 1.5 } }
		]
	}
});
window.map = map;
map.once('idle', () => (window.__firstIdle = performance.now()));
</script></body></html>`;
