import type { FeatureCollection, Point } from 'geojson';
import type { Initiatief, Notitie } from '$lib/board';
import type { Address } from '$lib/geo/address';

export interface InitiatiefProperties {
	id: string;
	title: string;
	status: string;
	/** Only an initiatief at a free point can be dragged (one at an address stays there). */
	draggable: boolean;
}
export interface NotitieProperties {
	id: string;
	title: string;
}

export const INITIATIEF_COLOUR = '#15803d';
export const NOTITIE_COLOUR = '#6d28d9';

/** Where an initiatief is drawn: its point, or its address; null when the address is unknown. */
export function initiatiefPosition(
	i: Initiatief,
	addressById: ReadonlyMap<string, Address>
): [number, number] | null {
	if ('lon' in i.place) return [i.place.lon, i.place.lat];
	const a = addressById.get(i.place.addressId);
	return a ? [a.lon, a.lat] : null;
}

export function initiatiefFeatures(
	list: Initiatief[],
	addressById: ReadonlyMap<string, Address>,
	moved: { id: string; lon: number; lat: number } | null = null
): FeatureCollection<Point, InitiatiefProperties> {
	const features: FeatureCollection<Point, InitiatiefProperties>['features'] = [];
	for (const i of list) {
		const at: [number, number] | null =
			moved?.id === i.id ? [moved.lon, moved.lat] : initiatiefPosition(i, addressById);
		if (!at) continue;
		features.push({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: at },
			properties: { id: i.id, title: i.title, status: i.status, draggable: 'lon' in i.place }
		});
	}
	return { type: 'FeatureCollection', features };
}

/** A note's first line (shortened) is its title on the map. */
export function notitieFeatures(list: Notitie[]): FeatureCollection<Point, NotitieProperties> {
	return {
		type: 'FeatureCollection',
		features: list.map((n) => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [n.lon, n.lat] },
			properties: { id: n.id, title: n.text.split('\n')[0]!.slice(0, 80) }
		}))
	};
}
