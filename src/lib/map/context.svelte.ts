/**
 * The map context: one per map, shared with its sources and layers (components that add
 * themselves to the map), after the shape of MIERUNE/svelte-maplibre-gl. Work asked for before
 * the style has loaded is queued and run once it has, so a component never needs to know whether
 * the map is ready. Sources are components too; their layers find them through
 * {@link getSourceContext}.
 */
import { getContext, setContext, untrack } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';

const MAP_KEY = Symbol('buurtbord-map');
const SOURCE_KEY = Symbol('buurtbord-map-source');

export class MapContext {
	#map = $state.raw<MapLibreMap | null>(null);
	#ready = $state(false);
	#queue: ((map: MapLibreMap) => void)[] = [];
	#detach: (() => void) | null = null;

	get map(): MapLibreMap | null {
		return this.#map;
	}
	/** Whether the style has loaded (sources and layers can be added). */
	get ready(): boolean {
		return this.#ready;
	}

	/** Sets (or clears) the map; queued work runs once its style has loaded. */
	attach(map: MapLibreMap | null): void {
		if (map === this.#map) return;
		this.#detach?.();
		this.#detach = null;
		this.#map = map;
		this.#ready = false;
		if (!map) return;
		const flush = () => {
			if (this.#map !== map || this.#ready || !map.isStyleLoaded()) return;
			this.#detach?.();
			this.#detach = null;
			this.#ready = true;
			const queue = this.#queue;
			this.#queue = [];
			for (const fn of queue) fn(map);
		};
		// The map may be handed over after its 'load' event: then wait for the style to be
		// complete (styledata/idle), which it also reports once it is.
		map.on('load', flush);
		map.on('styledata', flush);
		map.on('idle', flush);
		this.#detach = () => {
			map.off('load', flush);
			map.off('styledata', flush);
			map.off('idle', flush);
		};
		flush();
	}

	/**
	 * Runs `fn` with the map now if its style has loaded, else once it has (untracked: an effect
	 * calling this does not re-run when the map becomes ready). Returns a function that drops the
	 * work if it has not run yet (call it in the effect's teardown).
	 */
	run(fn: (map: MapLibreMap) => void): () => void {
		return untrack(() => {
			if (this.#map && this.#ready) {
				fn(this.#map);
				return () => {};
			}
			this.#queue.push(fn);
			return () => {
				this.#queue = this.#queue.filter((f) => f !== fn);
			};
		});
	}
}

export function setMapContext(context: MapContext): MapContext {
	return setContext(MAP_KEY, context);
}

export function getMapContext(): MapContext {
	const context = getContext<MapContext | undefined>(MAP_KEY);
	if (!context) throw new Error('a map layer or source must be inside a map context');
	return context;
}

/** What a layer needs of its source: its id, and whether it has been added yet. */
export interface SourceContext {
	readonly id: string;
	readonly added: boolean;
}

export function setSourceContext(context: SourceContext): SourceContext {
	return setContext(SOURCE_KEY, context);
}

export function getSourceContext(): SourceContext {
	const context = getContext<SourceContext | undefined>(SOURCE_KEY);
	if (!context) throw new Error('a layer must be inside a source');
	return context;
}
