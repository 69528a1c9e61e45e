import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { Pin, PinKind } from '$lib/board/pins';
import { formatAddress, type Address } from '$lib/geo/address';

export interface AddressProperties {
	id: string;
	label: string;
	street: string;
}

export interface PinProperties {
	id: string;
	title: string;
	kind: PinKind;
	addressId: string | null;
}

export function addressFeatures(addresses: Address[]): FeatureCollection<Point, AddressProperties> {
	return {
		type: 'FeatureCollection',
		features: addresses.map((a) => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
			properties: { id: a.id, label: formatAddress(a), street: a.street }
		}))
	};
}

/** Addresses per street, streets in order of first appearance. */
export function groupByStreet(addresses: Address[]): [street: string, addresses: Address[]][] {
	const byStreet = new Map<string, Address[]>();
	for (const a of addresses) {
		const list = byStreet.get(a.street);
		if (list) list.push(a);
		else byStreet.set(a.street, [a]);
	}
	return [...byStreet];
}

/** Squared distance in a roughly metric frame (longitude shrunk by the latitude). */
function distance2(a: Address, b: Address): number {
	const k = Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
	return ((a.lon - b.lon) * k) ** 2 + (a.lat - b.lat) ** 2;
}

/**
 * A line per street, between its two addresses farthest apart: a sketch of the street for the
 * offline map, which has no street data of its own.
 */
export function streetLines(addresses: Address[]): FeatureCollection<LineString, { name: string }> {
	const features: Feature<LineString, { name: string }>[] = [];
	for (const [name, list] of groupByStreet(addresses)) {
		if (list.length < 2) continue;
		let best: [Address, Address] = [list[0]!, list[1]!];
		let bestD = -1;
		for (let i = 0; i < list.length; i++) {
			for (let j = i + 1; j < list.length; j++) {
				const d = distance2(list[i]!, list[j]!);
				if (d > bestD) {
					bestD = d;
					best = [list[i]!, list[j]!];
				}
			}
		}
		features.push({
			type: 'Feature',
			geometry: {
				type: 'LineString',
				coordinates: best.map((a) => [a.lon, a.lat])
			},
			properties: { name }
		});
	}
	return { type: 'FeatureCollection', features };
}

export function pinFeatures(pins: Pin[]): FeatureCollection<Point, PinProperties> {
	return {
		type: 'FeatureCollection',
		features: pins.map((p) => ({
			type: 'Feature',
			id: p.id,
			geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
			properties: { id: p.id, title: p.title, kind: p.kind, addressId: p.addressId }
		}))
	};
}
