import { withdrawnHouseholds, type AAddress, type AGesprek, type AddressState } from './types';

/**
 * What was heard at one address, over the gesprekken given (on the analysis views: all of the
 * chosen rounds, see analyseDoors).
 */
export interface AddressSummary {
	state: AddressState;
	/** Gesprekken at this address. */
	gesprekken: number;
	/** Theme id → how many gesprekken named it; most named first. */
	themes: [themeId: string, count: number][];
	/** The most named theme (ties: the first named), or null. */
	dominant: string | null;
	talents: string[];
	lastDate: string | null;
}

const RANK: Record<AddressState, number> = { open: 0, 'no-contact': 1, declined: 2, spoken: 3 };

/** A single gesprek's contribution: spoken, declined, or no contact (niet thuis, later). */
export function outcomeState(outcome: AGesprek['outcome']): AddressState {
	if (outcome === 'gesproken') return 'spoken';
	if (outcome === 'geweigerd') return 'declined';
	return 'no-contact';
}

/**
 * The state of each address: spoken if any gesprek was held, else declined if anyone declined,
 * else no contact if someone rang, else open (not visited). A household that withdrew its consent
 * counts for its door's state only.
 */
export function summariseAddresses(
	addresses: readonly AAddress[],
	gesprekken: readonly AGesprek[],
	/**
	 * Households that withdrew their consent (on any gesprek, also one not given here): their door
	 * keeps its state, but what they said (themes, talents) is not used.
	 */
	withdrawn: ReadonlySet<string> = withdrawnHouseholds(gesprekken)
): Map<string, AddressSummary> {
	const out = new Map<string, AddressSummary>();
	for (const a of addresses) {
		out.set(a.id, {
			state: 'open',
			gesprekken: 0,
			themes: [],
			dominant: null,
			talents: [],
			lastDate: null
		});
	}
	const counts = new Map<string, Map<string, number>>();
	for (const g of gesprekken) {
		const s = out.get(g.addressId);
		if (!s) continue;
		s.gesprekken++;
		const state = outcomeState(g.outcome);
		if (RANK[state] > RANK[s.state]) s.state = state;
		if (!s.lastDate || g.date > s.lastDate) s.lastDate = g.date;
		if (withdrawn.has(g.addressId)) continue;
		let c = counts.get(g.addressId);
		if (!c) counts.set(g.addressId, (c = new Map()));
		for (const t of g.themeIds) c.set(t, (c.get(t) ?? 0) + 1);
		for (const t of g.talents) if (!s.talents.includes(t)) s.talents.push(t);
	}
	for (const [id, c] of counts) {
		const s = out.get(id)!;
		s.themes = [...c].sort((x, y) => y[1] - x[1]);
		s.dominant = s.themes[0]?.[0] ?? null;
	}
	return out;
}

/** Addresses per state. */
export function stateCounts(summaries: Iterable<AddressSummary>): Record<AddressState, number> {
	const out: Record<AddressState, number> = { open: 0, 'no-contact': 0, declined: 0, spoken: 0 };
	for (const s of summaries) out[s.state]++;
	return out;
}

/** Households (addresses) per theme: how many addresses named it at least once. */
export function householdsPerTheme(summaries: Iterable<AddressSummary>): Map<string, number> {
	const out = new Map<string, number>();
	for (const s of summaries) for (const [t] of s.themes) out.set(t, (out.get(t) ?? 0) + 1);
	return out;
}
