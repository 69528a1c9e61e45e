import { describe, expect, it } from 'vitest';
import type { PublicInitiatief, StreetSignal } from '../../../src/lib/privacy/projection';
import { publicMapData } from '../../../src/lib/public-map/features';
import { normaliseShortCode, newShortCode } from '../../../src/lib/server/public/short-links';

const street = (slug: string, name: string, lon: number): StreetSignal => ({
	slug,
	street: name,
	lon,
	lat: 51.8,
	rounds: [{ round: 1, households: 12, few: false, themes: [] }]
});

const initiative = (id: string, extra: Partial<PublicInitiatief>): PublicInitiatief => ({
	id,
	title: `Initiatief ${id}`,
	description: 'Openbare beschrijving',
	status: 'loopt',
	themes: [],
	startDate: null,
	publicContact: '',
	placeStreet: null,
	lon: null,
	lat: null,
	exact: false,
	streetSlugs: [],
	createdAt: '',
	...extra
});

describe('the public map data', () => {
	const board = {
		id: 'spoorbuurt',
		centerLon: 5.85,
		centerLat: 51.8,
		zoom: 15,
		streets: [street('a-straat', 'A-straat', 5.85), street('b-weg', 'B-weg', 5.86)],
		initiatives: [
			initiative('plein', { lon: 5.851, lat: 51.801, exact: true, streetSlugs: ['b-weg'] }),
			initiative('nergens', {}),
			initiative('elders', { lon: 5.9, lat: 51.9, streetSlugs: ['niet-gepubliceerd'] })
		]
	};

	it('holds streets at their middle and initiatives at their published place, with links', () => {
		const data = publicMapData(board, 'en');
		expect(data.streets.features.map((f) => f.properties)).toEqual([
			{ slug: 'a-straat', name: 'A-straat', href: '/buurt/spoorbuurt/a-straat?lang=en' },
			{ slug: 'b-weg', name: 'B-weg', href: '/buurt/spoorbuurt/b-weg?lang=en' }
		]);
		// Without a place, not on the map; a link only to a published street.
		expect(data.initiatives.features.map((f) => [f.properties.id, f.properties.href])).toEqual([
			['plein', '/buurt/spoorbuurt/b-weg?lang=en'],
			['elders', null]
		]);
	});

	it('links an initiative to the street of its place, not the first street near it', () => {
		// "Waar: Valeriusstraat", also near Diepenbrockstraat (first in the sorted list).
		const streets = [
			street('diepenbrockstraat', 'Diepenbrockstraat', 5.85),
			street('valeriusstraat', 'Valeriusstraat', 5.86)
		];
		const near = ['diepenbrockstraat', 'valeriusstraat'];
		const data = publicMapData(
			{
				...board,
				streets,
				initiatives: [
					initiative('tuinen', {
						lon: 5.86,
						lat: 51.8,
						placeStreet: 'Valeriusstraat',
						streetSlugs: near
					}),
					// Its place's street not published: the first published street it is near.
					initiative('elders', {
						lon: 5.85,
						lat: 51.8,
						placeStreet: 'Nietgepubliceerd',
						streetSlugs: near
					})
				]
			},
			'nl'
		);
		expect(data.initiatives.features.map((f) => [f.properties.id, f.properties.href])).toEqual([
			['tuinen', '/buurt/spoorbuurt/valeriusstraat'],
			['elders', '/buurt/spoorbuurt/diepenbrockstraat']
		]);
	});

	it('carries no theme numbers, descriptions or anything beyond what the map draws', () => {
		const text = JSON.stringify(publicMapData(board, 'nl'));
		expect(text).not.toContain('households');
		expect(text).not.toContain('Openbare beschrijving');
		expect(text).not.toContain('lang=en');
	});
});

describe('short codes', () => {
	it('use no look-alike characters and are read case-insensitively', () => {
		for (let i = 0; i < 200; i++) expect(newShortCode()).toMatch(/^[2-9a-hjkmnp-z]{7}$/);
		expect(normaliseShortCode(' K7MQ2XA ')).toBe('k7mq2xa');
		expect(normaliseShortCode('k7mq2x0')).toBeNull();
		expect(normaliseShortCode('k7mq2x')).toBeNull();
		expect(normaliseShortCode('../etc/')).toBeNull();
	});
});
