import type * as Y from 'yjs';
import type { InitiatiefStatus } from '../board/layout';
import { listGesprekken } from '../board/gesprekken';
import { listInitiatieven } from '../board/initiatieven';
import { listThemas } from '../board/themas';
import type { PublishGate } from './publish-gate';
import { publicThemeName, type ApprovedText } from './review';

export { freeTextOf, sameText, type ApprovedText } from './review';
import { effectiveK, protectRound, type RawRound } from './suppress';

/**
 * The public projection of a board: what residents may see, computed from the board document and
 * the address register, already aggregated and suppressed (suppress.ts). It holds no free text of
 * gesprekken, no names, talents, wishes or worries, no outcome per address and no household's
 * location: streets (their middle), theme counts per street and round, and the initiatives not
 * marked internal whose text an owner approved, at the place the owner chose (a point, or else
 * the street).
 *
 * What a cell does not say matters as much as what it says, so the shape is the same whatever was
 * heard: every street has every round of the board, every round that shows numbers lists every
 * theme in use, and a suppressed number is one value ('suppressed') whether it was too small or so
 * large that the others would be too few. A street with fewer than k addresses is not published
 * at all: its middle would be a house, and its numbers a household's.
 */

/** The fields of an address the projection needs (no house numbers leave this module). */
export interface ProjectionAddress {
	id: string;
	street: string;
	lon: number;
	lat: number;
}

export interface PublicationSettings {
	k: number;
	/** Published street names; null for all streets. */
	streets: string[] | null;
}

/**
 * A published number: the count, or 'suppressed' (fewer than k, or so many that the households who
 * did not mention it would be fewer than k; the page says "minder dan k of bijna iedereen").
 */
export type PublicShown = 'count' | 'suppressed';

export interface PublicTheme {
	id: string;
	name: string;
	colour: string;
	shown: PublicShown;
	count: number | null;
}

export interface PublicRound {
	round: number;
	/** Null when fewer than k (none included); then `themes` is empty. */
	households: number | null;
	/** Always `households === null`; kept for readers of the stored projection. */
	few: boolean;
	themes: PublicTheme[];
}

export interface StreetSignal {
	slug: string;
	street: string;
	lon: number;
	lat: number;
	rounds: PublicRound[];
}

export interface PublicThemeRef {
	id: string;
	name: string;
	colour: string;
}

export interface PublicInitiatief {
	id: string;
	title: string;
	description: string;
	status: InitiatiefStatus;
	themes: PublicThemeRef[];
	startDate: string | null;
	publicContact: string;
	placeStreet: string | null;
	lon: number | null;
	lat: number | null;
	exact: boolean;
	streetSlugs: string[];
	createdAt: string;
}

export interface PublicProjection {
	k: number;
	streets: StreetSignal[];
	initiatives: PublicInitiatief[];
}

/** A readable URL part of a street name: "Richard Holstraat" → "richard-holstraat". */
export function streetSlug(name: string): string {
	const slug = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 70);
	return slug || 'straat';
}

/** Every street of an address register, by name, with a unique slug; sorted by name. */
export function streetsOf(
	addresses: readonly ProjectionAddress[]
): { name: string; slug: string }[] {
	const names = [...new Set(addresses.map((a) => a.street))].sort((a, b) =>
		a.localeCompare(b, 'nl')
	);
	const used = new Set<string>();
	return names.map((name) => {
		const base = streetSlug(name);
		let slug = base;
		for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
		used.add(slug);
		return { name, slug };
	});
}

export interface ProjectionOptions {
	/** Publish each street's round anew only when k households changed (publish-gate.ts). */
	gate?: PublishGate;
	/** Owners' approved names of added or renamed themes, by theme id (review.ts). */
	themeNames?: ReadonlyMap<string, string>;
}

/** Initiatives at a point count as near a street with an address within this distance. */
const NEAR_METRES = 150;

function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const dy = (a.lat - b.lat) * 111_320;
	const dx = (a.lon - b.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot(dx, dy);
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * With a `gate`, each street's round is published anew only when k households changed since its
 * last publication (publish-gate.ts); without one, as it is now (a first publication, tests).
 * Initiatieven are published only when `approved` has their text, and with that text.
 */
export function computeProjection(
	doc: Y.Doc,
	addresses: readonly ProjectionAddress[],
	settings: PublicationSettings,
	approved: ReadonlyMap<string, ApprovedText>,
	{ gate, themeNames = new Map() }: ProjectionOptions = {}
): PublicProjection {
	const k = effectiveK(settings.k);
	const published = settings.streets ? new Set(settings.streets) : null;
	const doors = new Map<string, number>();
	for (const a of addresses) doors.set(a.street, (doors.get(a.street) ?? 0) + 1);
	const streets = streetsOf(addresses).filter(
		(s) => (!published || published.has(s.name)) && doors.get(s.name)! >= k
	);
	const slugOf = new Map(streets.map((s) => [s.name, s.slug]));
	const addressById = new Map(addresses.map((a) => [a.id, a]));

	// Only themes with a public name (built in, or approved by an owner: review.ts), under it.
	const allThemas = listThemas(doc, { includeArchived: true });
	const themas = new Map(
		allThemas.flatMap((t) => {
			const name = publicThemeName(t, themeNames);
			return name === null ? [] : [[t.id, { id: t.id, name, colour: t.colour }] as const];
		})
	);
	/** Listed in every round with numbers, shown or not; archived themes only with a shown count. */
	const inUse = allThemas
		.filter((t) => !t.archived && !t.mergedInto && themas.has(t.id))
		.map((t) => t.id);

	// street → round → household → theme ids (spoken gesprekken, consent not withdrawn).
	const heard = new Map<string, Map<number, Map<string, Set<string>>>>();
	for (const g of listGesprekken(doc)) {
		if (g.outcome !== 'gesproken' || g.consent.withdrawn) continue;
		const address = addressById.get(g.addressId);
		if (!address || !slugOf.has(address.street)) continue;
		const byRound = heard.get(address.street) ?? new Map<number, Map<string, Set<string>>>();
		heard.set(address.street, byRound);
		const households = byRound.get(g.round) ?? new Map<string, Set<string>>();
		byRound.set(g.round, households);
		const themes = households.get(address.id) ?? new Set<string>();
		households.set(address.id, themes);
		for (const id of g.themeIds) if (themas.has(id)) themes.add(id);
	}

	// The middle of each street's addresses.
	const middles = new Map<string, { lon: number; lat: number; n: number }>();
	for (const a of addresses) {
		const m = middles.get(a.street) ?? { lon: 0, lat: 0, n: 0 };
		m.lon += a.lon;
		m.lat += a.lat;
		m.n += 1;
		middles.set(a.street, m);
	}
	const middleOf = (street: string) => {
		const m = middles.get(street)!;
		return { lon: round6(m.lon / m.n), lat: round6(m.lat / m.n) };
	};

	// Every round of the board, in every street: a missing round would say nobody spoke there.
	const boardRounds = [...new Set([...heard.values()].flatMap((r) => [...r.keys()]))].sort(
		(a, b) => a - b
	);
	const signals: StreetSignal[] = streets.map(({ name, slug }) => {
		const byRound = heard.get(name) ?? new Map<number, Map<string, Set<string>>>();
		const rounds = boardRounds.map((round): PublicRound => {
			const households = byRound.get(round) ?? new Map<string, Set<string>>();
			const counts = new Map<string, number>(inUse.map((id) => [id, 0]));
			for (const themes of households.values()) {
				for (const id of themes) counts.set(id, (counts.get(id) ?? 0) + 1);
			}
			const raw: RawRound = { round, households: households.size, themes: counts };
			const safe = protectRound(raw, k, { keepZero: true });
			const fresh: PublicRound =
				safe.households === null
					? { round, households: null, few: true, themes: [] }
					: {
							round,
							households: safe.households,
							few: false,
							themes: safe.themes
								.filter((t) => t.shown === 'count' || inUse.includes(t.id))
								.map((t) => ({
									...themas.get(t.id)!,
									shown: t.shown === 'count' ? 'count' : 'suppressed',
									count: t.count
								}))
						};
			return gate ? gate.round(name, fresh, households, { byId: themas, inUse }) : fresh;
		});
		return { slug, street: name, ...middleOf(name), rounds };
	});

	const initiatives: PublicInitiatief[] = [];
	for (const i of listInitiatieven(doc, { includeInternal: false })) {
		const text = approved.get(i.id);
		if (!text) continue;
		const near = new Set<string>();
		let placeStreet: string | null = null;
		let point: { lon: number; lat: number } | null = null;
		let exact = false;
		if ('addressId' in i.place) {
			const address = addressById.get(i.place.addressId);
			// A street the owner left out of the public pages is neither named nor marked.
			if (address && (!published || published.has(address.street))) {
				placeStreet = address.street;
				// Never the address itself: the street's middle, and only for a street of k doors or
				// more (a smaller street's middle is too near the house; the card says the street).
				if (doors.get(address.street)! >= k) point = middleOf(address.street);
				near.add(address.street);
			}
		} else {
			point = { lon: round6(i.place.lon), lat: round6(i.place.lat) };
			exact = true;
			let best = Infinity;
			for (const a of addresses) {
				const d = metres(a, i.place);
				if (d <= NEAR_METRES) near.add(a.street);
				if (d < best && (!published || published.has(a.street))) {
					best = d;
					placeStreet = a.street;
				}
			}
		}
		for (const id of i.addressIds) {
			const address = addressById.get(id);
			if (address) near.add(address.street);
		}
		initiatives.push({
			id: i.id,
			title: text.title,
			description: text.description,
			status: i.status,
			themes: i.themeIds.flatMap((id) => {
				const t = themas.get(id);
				return t ? [t] : [];
			}),
			startDate: i.startDate,
			publicContact: text.publicContact,
			placeStreet,
			lon: point?.lon ?? null,
			lat: point?.lat ?? null,
			exact,
			streetSlugs: [...near].flatMap((s) => (slugOf.has(s) ? [slugOf.get(s)!] : [])).sort(),
			createdAt: i.createdAt
		});
	}

	return { k, streets: signals, initiatives };
}
