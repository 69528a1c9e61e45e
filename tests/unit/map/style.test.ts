import { describe, expect, it } from 'vitest';
import type { Pin } from '../../../src/lib/board/pins';
import type { Address } from '../../../src/lib/geo/address';
import {
	addressFeatures,
	pinFeatures,
	streetLines,
	streetNames
} from '../../../src/lib/map/features';
import {
	fetchBaseStyle,
	offlineStyle,
	STREET_LABELS_LAYER,
	withOverlay,
	type StyleSpecification
} from '../../../src/lib/map/style';

function address(street: string, houseNumber: number, lon: number, lat: number): Address {
	return {
		id: `${street}-${houseNumber}`,
		street,
		houseNumber,
		houseLetter: null,
		addition: null,
		postcode: null,
		city: null,
		lon,
		lat,
		bagId: null,
		complexNumber: null
	};
}

const addresses = [
	address('Astraat', 1, 5.87, 51.83),
	address('Astraat', 2, 5.871, 51.8301),
	address('Astraat', 3, 5.873, 51.8302),
	address('Bstraat', 1, 5.88, 51.84)
];
const pin: Pin = {
	id: 'p1',
	kind: 'notitie',
	title: 'Hallo',
	addressId: 'Astraat-1',
	lon: 5.87,
	lat: 51.83,
	createdAt: '2026-01-01T00:00:00.000Z'
};
const data = { addresses, pins: [pin], addressAttribution: 'demo' };

describe('map features', () => {
	it('draws a street between its two farthest addresses, none for a single address', () => {
		const lines = streetLines(addresses);
		expect(lines.features).toHaveLength(1);
		expect(lines.features[0]!.properties.name).toBe('Astraat');
		expect(lines.features[0]!.geometry.coordinates).toEqual([
			[5.87, 51.83],
			[5.873, 51.8302]
		]);
	});

	it('labels addresses and carries pin id, title and kind', () => {
		expect(addressFeatures(addresses).features[0]!.properties).toEqual({
			id: 'Astraat-1',
			label: 'Astraat 1',
			street: 'Astraat'
		});
		const [feature] = pinFeatures([pin]).features;
		expect(feature!.properties).toEqual({
			id: 'p1',
			title: 'Hallo',
			kind: 'notitie',
			addressId: 'Astraat-1'
		});
		expect(feature!.geometry.coordinates).toEqual([5.87, 51.83]);
	});
});

describe('street names', () => {
	const line = (name: string, a: [number, number], b: [number, number]) => ({
		type: 'Feature' as const,
		geometry: { type: 'LineString' as const, coordinates: [a, b] },
		properties: { name }
	});

	it('sits at the middle of each street, turned along it and upright', () => {
		const names = streetNames({
			type: 'FeatureCollection',
			features: [
				line('Oost', [5.0, 52.0], [5.01, 52.0]),
				line('West', [5.01, 52.0], [5.0, 52.0]),
				line('Noord', [5.0, 52.0], [5.0, 52.01]),
				line('Schuin', [5.0, 52.0], [5.01, 52.00615])
			]
		}).features;
		expect(names.map((f) => f.properties.name)).toEqual(['Oost', 'West', 'Noord', 'Schuin']);
		expect(names[0]!.geometry.coordinates).toEqual([5.005, 52.0]);
		expect(Math.abs(names[0]!.properties.rotate)).toBe(0);
		expect(Math.abs(names[1]!.properties.rotate)).toBe(0);
		expect(Math.abs(names[2]!.properties.rotate)).toBe(90);
		// Rising to the east by about as much as it runs (in Mercator metres): turned ~45° anticlockwise.
		expect(names[3]!.properties.rotate).toBeCloseTo(-45, 0);
	});
});

describe('styles', () => {
	it('the offline style uses no remote resources and has our layers on top', () => {
		const style = offlineStyle(data);
		expect(JSON.stringify(style)).not.toMatch(/https?:/);
		// Glyphs from the app's own origin (no origin outside a browser), no sprite.
		expect(style.glyphs).toBe('/glyphs/{fontstack}/{range}.pbf');
		expect(style.sprite).toBeUndefined();
		// The street names: at the sketched streets' middles, along them, from zoom 15, in our font.
		const labels = style.layers.find((l) => l.id === STREET_LABELS_LAYER);
		expect(labels).toMatchObject({
			type: 'symbol',
			source: 'street-names',
			minzoom: 15,
			layout: { 'text-rotate': ['get', 'rotate'], 'text-font': ['NotoSans-Regular'] }
		});
		expect(style.sources['street-names']).toMatchObject({
			data: streetNames(streetLines(addresses))
		});
		expect(style.layers.map((l) => l.id).slice(-3)).toEqual([
			'addresses',
			'addresses-selected',
			'pins'
		]);
		expect(style.sources.addresses).toMatchObject({ type: 'geojson', attribution: 'demo' });
	});

	it('draws only the given point addresses, the streets from the whole register', () => {
		const style = offlineStyle({ ...data, pointAddresses: [addresses[3]!] });
		expect(style.sources.addresses).toMatchObject({ data: addressFeatures([addresses[3]!]) });
		expect(style.sources.streets).toMatchObject({ data: streetLines(addresses) });
		expect(offlineStyle({ ...data, pointAddresses: [] }).sources.addresses).toMatchObject({
			data: { features: [] }
		});
	});

	it('puts our sources and layers on top of a base style, replacing clashing ids', () => {
		const base: StyleSpecification = {
			version: 8,
			glyphs: 'https://example.org/{fontstack}/{range}.pbf',
			sources: {
				brt: { type: 'vector', url: 'https://example.org/tiles.json' },
				pins: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }
			},
			layers: [
				{ id: 'land', type: 'background' },
				{ id: 'water', type: 'fill', source: 'brt', 'source-layer': 'water' },
				{ id: 'old-pins', type: 'circle', source: 'pins' }
			]
		};
		const style = withOverlay(base, data);
		expect(style.glyphs).toBe(base.glyphs);
		expect(Object.keys(style.sources).sort()).toEqual(['addresses', 'brt', 'pins']);
		expect(style.layers.map((l) => l.id)).toEqual([
			'land',
			'water',
			'addresses',
			'addresses-selected',
			'pins'
		]);
	});

	it('fetches a base style, and gives null on failure, bad content or timeout', async () => {
		const style = offlineStyle(data);
		const ok = (body: unknown) => async () => new Response(JSON.stringify(body));
		expect(await fetchBaseStyle('https://x', 100, ok(style))).toEqual(style);
		expect(await fetchBaseStyle('https://x', 100, ok({ hello: 1 }))).toBeNull();
		expect(
			await fetchBaseStyle('https://x', 100, async () => new Response('no', { status: 503 }))
		).toBeNull();
		expect(
			await fetchBaseStyle('https://x', 100, async () => {
				throw new TypeError('network down');
			})
		).toBeNull();
		const hanging = (_url: RequestInfo | URL, init?: RequestInit) =>
			new Promise<Response>((_resolve, reject) =>
				init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
			);
		expect(await fetchBaseStyle('https://x', 50, hanging)).toBeNull();
	});
});
