import type * as Y from 'yjs';
import type { InitiatiefStatus } from '../board/layout';
import { listGesprekken } from '../board/gesprekken';
import { listInitiatieven } from '../board/initiatieven';
import { listThemas } from '../board/themas';
import { effectiveK, protectRound, type RawRound, type Shown } from './suppress';

/**
 * The public projection of a board: what residents may see, computed from the board document and
 * the address register, already aggregated and suppressed (suppress.ts). It holds no free text of
 * gesprekken, no names, talents, wishes or worries, no outcome per address and no household's
 * location: streets (their middle), theme counts per street and round, and the initiatives not
 * marked internal at the place the owner chose (a point, or else the street).
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

export interface PublicTheme {
	id: string;
	name: string;
	colour: string;
	shown: Shown;
	count: number | null;
}

export interface PublicRound {
	round: number;
	households: number | null;
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

/** Initiatives at a point count as near a street with an address within this distance. */
const NEAR_METRES = 150;

function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const dy = (a.lat - b.lat) * 111_320;
	const dx = (a.lon - b.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot(dx, dy);
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export function computeProjection(
	doc: Y.Doc,
	addresses: readonly ProjectionAddress[],
	settings: PublicationSettings
): PublicProjection {
	const k = effectiveK(settings.k);
	const published = settings.streets ? new Set(settings.streets) : null;
	const streets = streetsOf(addresses).filter((s) => !published || published.has(s.name));
	const slugOf = new Map(streets.map((s) => [s.name, s.slug]));
	const addressById = new Map(addresses.map((a) => [a.id, a]));

	const themas = new Map(
		listThemas(doc, { includeArchived: true }).map((t) => [
			t.id,
			{ id: t.id, name: t.name, colour: t.colour }
		])
	);

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

	const signals: StreetSignal[] = streets.map(({ name, slug }) => {
		const byRound = heard.get(name) ?? new Map<number, Map<string, Set<string>>>();
		const rounds = [...byRound.keys()]
			.sort((a, b) => a - b)
			.map((round) => {
				const households = byRound.get(round)!;
				const counts = new Map<string, number>();
				for (const themes of households.values()) {
					for (const id of themes) counts.set(id, (counts.get(id) ?? 0) + 1);
				}
				const raw: RawRound = { round, households: households.size, themes: counts };
				const safe = protectRound(raw, k);
				return {
					round,
					households: safe.households,
					few: safe.few,
					themes: safe.themes.map((t) => ({ ...themas.get(t.id)!, shown: t.shown, count: t.count }))
				};
			});
		return { slug, street: name, ...middleOf(name), rounds };
	});

	const initiatives: PublicInitiatief[] = [];
	for (const i of listInitiatieven(doc, { includeInternal: false })) {
		const near = new Set<string>();
		let placeStreet: string | null = null;
		let point: { lon: number; lat: number } | null = null;
		let exact = false;
		if ('addressId' in i.place) {
			const address = addressById.get(i.place.addressId);
			if (address) {
				placeStreet = address.street;
				// Never the address itself: the street's middle.
				point = middleOf(address.street);
				near.add(address.street);
			}
		} else {
			point = { lon: round6(i.place.lon), lat: round6(i.place.lat) };
			exact = true;
			let best = Infinity;
			for (const a of addresses) {
				const d = metres(a, i.place);
				if (d <= NEAR_METRES) near.add(a.street);
				if (d < best) {
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
			title: i.title,
			description: i.description,
			status: i.status,
			themes: i.themeIds.flatMap((id) => {
				const t = themas.get(id);
				return t ? [t] : [];
			}),
			startDate: i.startDate,
			publicContact: i.publicContact,
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
