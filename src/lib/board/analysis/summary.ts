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
	return new AddressSummaries().summarise(addresses, gesprekken, withdrawn);
}

const NONE: readonly AGesprek[] = [];

/** One address's summary over its gesprekken (oldest first). */
function summariseOne(gesprekken: readonly AGesprek[], withdrawn: boolean): AddressSummary {
	const s: AddressSummary = {
		state: 'open',
		gesprekken: 0,
		themes: [],
		dominant: null,
		talents: [],
		lastDate: null
	};
	const counts = new Map<string, number>();
	for (const g of gesprekken) {
		s.gesprekken++;
		const state = outcomeState(g.outcome);
		if (RANK[state] > RANK[s.state]) s.state = state;
		if (!s.lastDate || g.date > s.lastDate) s.lastDate = g.date;
		if (withdrawn) continue;
		for (const t of g.themeIds) counts.set(t, (counts.get(t) ?? 0) + 1);
		for (const t of g.talents) if (!s.talents.includes(t)) s.talents.push(t);
	}
	if (counts.size > 0) {
		s.themes = [...counts].sort((x, y) => y[1] - x[1]);
		s.dominant = s.themes[0]![0];
	}
	return s;
}

interface Summarised {
	gesprekken: readonly AGesprek[];
	withdrawn: boolean;
	summary: AddressSummary;
}

/**
 * `summariseAddresses` for a view that summarises again after every change: an address whose
 * gesprekken are the same objects as last time (the board state keeps unchanged entities'
 * objects) keeps its summary object, and is not summarised again. So one remote gesprek costs one
 * summary, and what is derived from the summaries (map features) can skip the unchanged ones by
 * identity. The result is the same as `summariseAddresses`'.
 */
export class AddressSummaries {
	#last = new Map<string, Summarised>();

	summarise(
		addresses: readonly AAddress[],
		gesprekken: readonly AGesprek[],
		withdrawn: ReadonlySet<string> = withdrawnHouseholds(gesprekken)
	): Map<string, AddressSummary> {
		const groups = new Map<string, AGesprek[]>();
		for (const g of gesprekken) {
			const group = groups.get(g.addressId);
			if (group) group.push(g);
			else groups.set(g.addressId, [g]);
		}
		const out = new Map<string, AddressSummary>();
		const next = new Map<string, Summarised>();
		for (const a of addresses) {
			if (out.has(a.id)) continue;
			const group = groups.get(a.id) ?? NONE;
			const gone = withdrawn.has(a.id);
			const last = this.#last.get(a.id);
			const entry =
				last && last.withdrawn === gone && sameItems(last.gesprekken, group)
					? last
					: { gesprekken: group, withdrawn: gone, summary: summariseOne(group, gone) };
			next.set(a.id, entry);
			out.set(a.id, entry.summary);
		}
		this.#last = next;
		return out;
	}
}

/** Whether two lists hold the same objects in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
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
