import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { demoAddresses } from '../../../src/lib/server/demo';
import {
	addInitiatief,
	listInitiatieven,
	addThema,
	listThemas,
	renameThema,
	updateInitiatief
} from '../../../src/lib/board';
import {
	computeProjection,
	freeTextOf,
	streetSlug,
	streetsOf
} from '../../../src/lib/privacy/projection';
import { approveAll, PUBLIC_STORY, SECRETS, seedPublicStory } from '../../support/public-board';

const addresses = demoAddresses().map(({ id, street, lon, lat }) => ({ id, street, lon, lat }));

function story(): Y.Doc {
	const doc = new Y.Doc();
	seedPublicStory(doc);
	return doc;
}

/** The projection with every public initiatief's text approved as it is now. */
function project(doc: Y.Doc, settings: { k: number; streets: string[] | null }) {
	return computeProjection(doc, addresses, settings, approveAll(doc));
}

describe('public projection', () => {
	it('gives readable, unique street slugs', () => {
		expect(streetSlug('Richard Holstraat')).toBe('richard-holstraat');
		expect(streetSlug("Burg. d'Éstraat 1e")).toBe('burg-d-estraat-1e');
		const slugs = streetsOf([
			{ id: 'a', street: 'Kerk Straat', lon: 0, lat: 0 },
			{ id: 'b', street: 'Kerk-straat', lon: 0, lat: 0 }
		]).map((s) => s.slug);
		expect(new Set(slugs).size).toBe(2);
	});

	it('counts households per street and round, suppressed below k', () => {
		const p = project(story(), { k: 5, streets: null });
		const swe = p.streets.find((s) => s.slug === 'sweelinckstraat')!;
		const [r1, r2] = swe.rounds;
		expect(r1!.households).toBe(12);
		const byId = Object.fromEntries(r1!.themes.map((t) => [t.id, [t.shown, t.count]]));
		expect(byId).toMatchObject({
			ontmoeting: ['count', 6],
			'contact-met-buren': ['count', 5],
			// Too few, and too many (12 - 10 = 2 did not mention it): one and the same value.
			groen: ['suppressed', null],
			eenzaamheid: ['suppressed', null],
			// Mentioned by nobody: listed all the same, so a listed theme says nothing.
			veiligheid: ['suppressed', null]
		});
		expect(Object.keys(byId).sort()).toEqual(
			listThemas(story())
				.map((t) => t.id)
				.sort()
		);
		expect(r2!.households).toBe(10);
		expect(r2!.themes.filter((t) => t.shown === 'count')).toEqual([
			expect.objectContaining({ id: 'ontmoeting', count: 5 })
		]);
		// Fewer than k households, or none: the same, in every round of the board.
		const dunk = p.streets.find((s) => s.slug === 'dunklerstraat')!;
		const quiet = p.streets.find((s) => s.slug === 'verhulststraat')!;
		for (const street of [dunk, quiet]) {
			expect(street.rounds).toEqual([
				{ round: 1, households: null, few: true, themes: [] },
				{ round: 2, households: null, few: true, themes: [] }
			]);
		}
	});

	it('a raised k suppresses more', () => {
		const p = project(story(), { k: 6, streets: null });
		const r1 = p.streets.find((s) => s.slug === 'sweelinckstraat')!.rounds[0]!;
		expect(r1.themes.find((t) => t.id === 'ontmoeting')).toMatchObject({
			shown: 'count',
			count: 6
		});
		expect(r1.themes.find((t) => t.id === 'contact-met-buren')).toMatchObject({
			shown: 'suppressed'
		});
	});

	it('publishes only the chosen streets, public initiatives, and no private field', () => {
		const p = project(story(), {
			k: 5,
			streets: ['Sweelinckstraat', 'Dunklerstraat']
		});
		expect(p.streets.map((s) => s.street)).toEqual(['Dunklerstraat', 'Sweelinckstraat']);
		expect(p.initiatives.map((i) => i.title).sort()).toEqual(
			[PUBLIC_STORY.coffee, PUBLIC_STORY.garden].sort()
		);
		const garden = p.initiatives.find((i) => i.title === PUBLIC_STORY.garden)!;
		// At an address: the street and its middle, never the address.
		expect(garden).toMatchObject({ placeStreet: 'Sweelinckstraat', exact: false });
		const swe = p.streets.find((s) => s.slug === 'sweelinckstraat')!;
		expect([garden.lon, garden.lat]).toEqual([swe.lon, swe.lat]);
		const coffee = p.initiatives.find((i) => i.title === PUBLIC_STORY.coffee)!;
		expect(coffee).toMatchObject({ exact: true, lon: 5.8702, lat: 51.8305 });

		const json = JSON.stringify(p);
		for (const secret of Object.values(SECRETS)) expect(json).not.toContain(secret);
		expect(json).not.toMatch(/sweelinckstraat-\d/);
		expect(json).not.toMatch(/houseNumber|niet-thuis|gesproken/);

		// A street the owner left out is neither named nor marked for an initiatief there.
		const without = project(story(), { k: 5, streets: ['Dunklerstraat'] });
		const hidden = without.initiatives.find((i) => i.title === PUBLIC_STORY.garden)!;
		expect(hidden).toMatchObject({ placeStreet: null, lon: null, lat: null, streetSlugs: [] });
		expect(JSON.stringify(without)).not.toContain('Sweelinckstraat');
	});

	it('publishes no street of fewer than k doors: its middle would be a house', () => {
		const doc = story();
		const hofje = { id: 'hofje-1', street: 'Hofje', lon: 5.881235, lat: 51.835432 };
		addInitiatief(doc, { title: 'Boodschappenhulp', place: { addressId: hofje.id } });
		const p = computeProjection(
			doc,
			[...addresses, hofje],
			{ k: 5, streets: null },
			approveAll(doc)
		);
		expect(p.streets.map((s) => s.street)).not.toContain('Hofje');
		const help = p.initiatives.find((i) => i.title === 'Boodschappenhulp')!;
		expect(help).toMatchObject({ placeStreet: 'Hofje', lon: null, lat: null, exact: false });
		expect(JSON.stringify(p)).not.toContain('5.881235');
	});

	it('publishes an initiatief only with the text an owner approved', () => {
		const doc = story();
		const garden = listInitiatieven(doc).find((i) => i.title === PUBLIC_STORY.garden)!;
		// Nothing approved: no initiatief at all.
		expect(
			computeProjection(doc, addresses, { k: 5, streets: null }, new Map()).initiatives
		).toEqual([]);
		const approved = new Map([[garden.id, freeTextOf(garden)]]);
		// A colleague then writes something personal into it: the public keeps the approved text.
		updateInitiatief(doc, garden.id, {
			title: 'Geveltuin van mevrouw De Vries (nr 12)',
			description: 'Net uit het ziekenhuis',
			publicContact: '06-12345678',
			status: 'afgerond'
		});
		const p = computeProjection(doc, addresses, { k: 5, streets: null }, approved);
		expect(p.initiatives).toHaveLength(1);
		expect(p.initiatives[0]).toMatchObject({
			id: garden.id,
			title: PUBLIC_STORY.garden,
			publicContact: PUBLIC_STORY.gardenContact,
			// Structured fields follow the board.
			status: 'afgerond'
		});
		const json = JSON.stringify(p);
		for (const leak of ['De Vries', 'ziekenhuis', '06-12345678']) expect(json).not.toContain(leak);
	});
	it('shows an added or renamed theme only under the name an owner approved', () => {
		const doc = story();
		const settings = { k: 5, streets: null };
		const themesOf = (p: ReturnType<typeof computeProjection>) => {
			const swe = p.streets.find((s) => s.slug === 'sweelinckstraat')!;
			return swe.rounds[0]!.themes.map((t) => `${t.id}:${t.name}`);
		};
		const households = (p: ReturnType<typeof computeProjection>) =>
			p.streets.find((s) => s.slug === 'sweelinckstraat')!.rounds[0]!.households;
		const before = computeProjection(doc, addresses, settings, approveAll(doc));
		// An editor types a resident's name into a theme: it is not public.
		renameThema(doc, 'ontmoeting', 'Dhr. Bakker nr 14 valt vaak');
		const added = addThema(doc, { name: 'Mevr. Jansen, dementie', colour: '#123456' });
		const typed = computeProjection(doc, addresses, settings, approveAll(doc));
		const json = JSON.stringify(typed);
		expect(json).not.toContain('Bakker');
		expect(json).not.toContain('Jansen');
		expect(themesOf(typed)).not.toContain(expect.stringMatching(/^ontmoeting:/));
		// Its households still count; the built-in names stay.
		expect(households(typed)).toBe(households(before));
		expect(themesOf(typed)).toContain('groen:groen');
		// The owner approves a corrected name; a later rename waits for a new approval.
		renameThema(doc, 'ontmoeting', 'ontmoeten');
		const themeNames = new Map([['ontmoeting', 'ontmoeten']]);
		const approved = computeProjection(doc, addresses, settings, approveAll(doc), { themeNames });
		expect(themesOf(approved)).toContain('ontmoeting:ontmoeten');
		renameThema(doc, 'ontmoeting', 'Dhr. Bakker');
		const again = computeProjection(doc, addresses, settings, approveAll(doc), { themeNames });
		expect(themesOf(again)).toContain('ontmoeting:ontmoeten');
		expect(JSON.stringify(again)).not.toContain('Bakker');
		expect(themesOf(again)).not.toContain(expect.stringMatching(new RegExp(`^${added.id}:`)));
	});
});
