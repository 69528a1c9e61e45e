import type * as Y from 'yjs';
import {
	addGesprek,
	addInitiatief,
	ensureDefaultThemas,
	insertNotes,
	listInitiatieven,
	listThemas
} from '../../src/lib/board';
import { freeTextOf, type ApprovedText } from '../../src/lib/privacy/projection';

/**
 * A story on the demo board (its addresses: `<street-slug>-<number>`, see src/lib/server/demo.ts)
 * for the public resident pages, with secret strings in every private field. What a resident may
 * see of it, with k = 5:
 * - Sweelinckstraat round 1: 12 households; ontmoeting 6, contact met buren 5 (shown); groen 3
 *   ("minder dan 5"); eenzaamheid 10 (not shown: 12 - 10 = 2 would give the others away).
 *   Round 2: 10 households; ontmoeting 5 (shown).
 * - Dunklerstraat: 3 households (fewer than k): no theme numbers at all.
 * - Initiatives: two public, one internal.
 */
export const SECRETS = {
	notes: 'GEHEIM-NOTITIE-Xq7',
	heldBy: 'Gespreksvoerder Geheimnaam',
	talent: 'TALENT-tuinieren-Zk2',
	wish: 'WENS-bankje-Pp4',
	worry: 'ZORG-schulden-Rr9',
	followUp: 'ACTIE-bellen-Mm1',
	internal: 'INTERN-plan-Ww3'
} as const;

export const PUBLIC_STORY = {
	garden: 'Geveltuinen in de straat',
	gardenContact: 'Bel Buurtteam Spoorbuurt: 024-0000000',
	coffee: 'Koffieochtend op het pleintje'
} as const;

function gesprek(
	doc: Y.Doc,
	addressId: string,
	round: number,
	themeIds: string[],
	outcome: 'gesproken' | 'niet-thuis' = 'gesproken'
): void {
	const g = addGesprek(doc, {
		addressId,
		date: round === 1 ? '2026-03-02' : '2026-10-05',
		round,
		heldBy: SECRETS.heldBy,
		outcome,
		themeIds,
		talents: [SECRETS.talent],
		wishes: [SECRETS.wish],
		worries: [SECRETS.worry],
		followUps: [{ what: SECRETS.followUp }]
	});
	insertNotes(doc, g.id, 0, `${SECRETS.notes} over ${addressId}`);
}

export function seedPublicStory(doc: Y.Doc): void {
	// One update: the projection never sees half a story (it is recomputed on every store).
	doc.transact(() => seedStory(doc));
}

function seedStory(doc: Y.Doc): void {
	ensureDefaultThemas(doc);
	const swe = (n: number) => `sweelinckstraat-${n}`;
	for (let n = 1; n <= 12; n++) {
		const themes: string[] = [];
		if (n <= 6) themes.push('ontmoeting');
		if (n >= 8) themes.push('contact-met-buren');
		if (n <= 3) themes.push('groen');
		if (n <= 10) themes.push('eenzaamheid');
		gesprek(doc, swe(n), 1, themes);
	}
	gesprek(doc, swe(13), 1, ['overlast'], 'niet-thuis');
	for (let n = 1; n <= 10; n++) gesprek(doc, swe(n), 2, n <= 5 ? ['ontmoeting'] : []);
	for (let n = 1; n <= 3; n++) gesprek(doc, `dunklerstraat-${n}`, 1, ['veiligheid']);

	addInitiatief(doc, {
		title: PUBLIC_STORY.garden,
		description: 'Samen de voortuinen opknappen, met planten van de corporatie.',
		place: { addressId: swe(3) },
		status: 'loopt',
		themeIds: ['groen', 'ontmoeting'],
		startDate: '2026-05-01',
		publicContact: PUBLIC_STORY.gardenContact
	});
	addInitiatief(doc, {
		title: PUBLIC_STORY.coffee,
		description: 'Elke eerste zaterdag koffie voor iedereen.',
		place: { lon: 5.8702, lat: 51.8305 },
		status: 'idee',
		themeIds: ['eenzaamheid']
	});
	addInitiatief(doc, {
		title: SECRETS.internal,
		description: `Alleen voor de kerngroep ${SECRETS.internal}`,
		place: { addressId: swe(5) },
		status: 'in-voorbereiding',
		internal: true
	});
}

/** Every public initiatief's text as it is now, approved (what an owner does on the settings page). */
/** Every theme's name approved as it is now (added or renamed themes are public only so). */
export function approveThemeNames(doc: Y.Doc): Map<string, string> {
	return new Map(listThemas(doc, { includeArchived: true }).map((t) => [t.id, t.name]));
}

export function approveAll(doc: Y.Doc): Map<string, ApprovedText> {
	return new Map(
		listInitiatieven(doc, { includeInternal: false }).map((i) => [i.id, freeTextOf(i)])
	);
}
