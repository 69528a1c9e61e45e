import { withdrawnHouseholds, type AAddress, type AGesprek } from './types';

export interface TalentMatch<A extends AAddress> {
	address: A;
	talents: string[];
	/** Metres from the point asked for, when one was given. */
	distance: number | null;
}

/** Metres between two points (equirectangular; fine within a neighbourhood). */
export function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const k = Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
	const dx = (a.lon - b.lon) * k * 111_320;
	const dy = (a.lat - b.lat) * 110_574;
	return Math.hypot(dx, dy);
}

/**
 * Every talent offered, with how many households offered it, most offered first. Households that
 * withdrew consent are left out.
 */
export function talentCounts(
	gesprekken: readonly AGesprek[]
): [talent: string, households: number][] {
	const withdrawn = withdrawnHouseholds(gesprekken);
	const seen = new Map<string, Set<string>>();
	for (const g of gesprekken) {
		if (withdrawn.has(g.addressId)) continue;
		for (const t of g.talents) {
			const key = t.trim().toLowerCase();
			let s = seen.get(key);
			if (!s) seen.set(key, (s = new Set()));
			s.add(g.addressId);
		}
	}
	return [...seen]
		.map(([t, s]) => [t, s.size] as [string, number])
		.sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0], 'nl'));
}

/**
 * Households that offered a talent (case-insensitive substring; '' matches any talent), optionally
 * in one street or within `radius` metres of a point (an initiatief); nearest first when near.
 * Never a household that withdrew consent (on any of its gesprekken): it is not to be approached.
 */
export function findTalents<A extends AAddress>(
	addresses: readonly A[],
	gesprekken: readonly AGesprek[],
	query: { talent?: string; street?: string; near?: { lon: number; lat: number }; radius?: number }
): TalentMatch<A>[] {
	const needle = (query.talent ?? '').trim().toLowerCase();
	const withdrawn = withdrawnHouseholds(gesprekken);
	const byAddress = new Map<string, Set<string>>();
	for (const g of gesprekken) {
		if (withdrawn.has(g.addressId)) continue;
		for (const t of g.talents) {
			if (needle && !t.toLowerCase().includes(needle)) continue;
			let s = byAddress.get(g.addressId);
			if (!s) byAddress.set(g.addressId, (s = new Set()));
			s.add(t);
		}
	}
	const out: TalentMatch<A>[] = [];
	for (const a of addresses) {
		const talents = byAddress.get(a.id);
		if (!talents) continue;
		if (query.street && a.street !== query.street) continue;
		const distance = query.near ? metres(a, query.near) : null;
		if (distance !== null && query.radius !== undefined && distance > query.radius) continue;
		out.push({ address: a, talents: [...talents], distance });
	}
	return out.sort(
		(x, y) =>
			(x.distance ?? 0) - (y.distance ?? 0) ||
			x.address.street.localeCompare(y.address.street, 'nl') ||
			x.address.houseNumber - y.address.houseNumber
	);
}
