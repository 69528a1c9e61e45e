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

export interface StreetNameProperties {
	name: string;
	/** Clockwise degrees from horizontal on a north-up map, within ±90 so the name reads upright. */
	rotate: number;
}

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/**
 * Where the offline map writes each street's name: the middle of its sketched line, turned along
 * it. A point label turns as a whole, which MapLibre does on the GPU; a label placed along a line
 * has its glyphs laid along the line again on the CPU in every frame, which cost the board map
 * frames at 20,000 addresses (docs/architecture.md, "Street names on the board map").
 */
export function streetNames(
	lines: FeatureCollection<LineString, { name: string }>
): FeatureCollection<Point, StreetNameProperties> {
	return {
		type: 'FeatureCollection',
		features: lines.features.map((line) => {
			const [a, b] = line.geometry.coordinates as [[number, number], [number, number]];
			const dx = ((b[0] - a[0]) * Math.PI) / 180;
			const dy = mercatorY(b[1]) - mercatorY(a[1]);
			// Screen y grows downwards: a street rising to the east turns anticlockwise (negative).
			let rotate = (-Math.atan2(dy, dx) * 180) / Math.PI;
			if (rotate > 90) rotate -= 180;
			if (rotate < -90) rotate += 180;
			return {
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] },
				properties: { name: line.properties.name, rotate: Math.round(rotate * 10) / 10 }
			};
		})
	};
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
