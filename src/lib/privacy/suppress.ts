/**
 * Statistical disclosure control for the public resident pages: which numbers of households may be
 * shown. Pure functions, no I/O; the public projection (src/lib/privacy/projection.ts) uses them.
 *
 * Rules (as CBS applies them to small numbers):
 * - Minimum group size k (default 5, never below 5). A count of 1 to k-1 households is shown as
 *   "minder dan k" (primary suppression).
 * - A street with fewer than k spoken households in a round shows no theme numbers at all.
 * - Differencing: a theme splits the spoken households of a street into those who mentioned it
 *   and those who did not, and the street total is shown. If the second group is small (0 to k-1),
 *   showing the theme count would give it away as total minus count (and "all of them" discloses
 *   something about every household), so that count is suppressed as well (complementary
 *   suppression), shown as "niet getoond". The suppressed cells carry no number in the output.
 * - Themes do not add up to the street total (a household can mention several), and no total over
 *   streets or rounds is published, so these are the only sums a reader can take.
 */

export const MIN_GROUP = 5;

/** k as the owner set it, never below 5. */
export function effectiveK(k: number | null | undefined): number {
	return Number.isInteger(k) && (k as number) > MIN_GROUP ? (k as number) : MIN_GROUP;
}

/** How a number is shown: the number, "minder dan k", or "niet getoond" (complementary). */
export type Shown = 'count' | 'few' | 'hidden';

export interface ShownCount {
	shown: Shown;
	/** Only when shown is 'count'. */
	count: number | null;
}

/** A count of households on its own (no total beside it): at least k, or "minder dan k". */
export function protectCount(n: number, k: number): ShownCount {
	const kk = effectiveK(k);
	return n >= kk ? { shown: 'count', count: n } : { shown: 'few', count: null };
}

/**
 * A theme count `n` of a street whose spoken households `total` are shown (total >= k).
 * Shown only when both n and total - n are at least k.
 */
export function protectThemeCount(n: number, total: number, k: number): ShownCount {
	const kk = effectiveK(k);
	if (n < kk) return { shown: 'few', count: null };
	if (total - n < kk) return { shown: 'hidden', count: null };
	return { shown: 'count', count: n };
}

export interface RawRound {
	round: number;
	/** Distinct households spoken in this round. */
	households: number;
	/** Theme id → distinct households of this round who mentioned it (0 only with `keepZero`). */
	themes: Map<string, number>;
}

export interface ProtectedTheme extends ShownCount {
	id: string;
}

export interface ProtectedRound {
	round: number;
	/** Null when fewer than k ("minder dan k"); then `themes` is empty. */
	households: number | null;
	few: boolean;
	themes: ProtectedTheme[];
}

/**
 * One street's round, protected: the household total, and theme counts only when the total is at
 * least k. Suppressed cells keep no number. Themes sorted by shown count, then id. Themes with a
 * count of 0 are left out unless `keepZero` (the public projection lists every theme, so that a
 * theme's presence does not tell that someone mentioned it).
 */
export function protectRound(
	raw: RawRound,
	k: number,
	{ keepZero = false }: { keepZero?: boolean } = {}
): ProtectedRound {
	const total = protectCount(raw.households, k);
	if (total.shown !== 'count') {
		return { round: raw.round, households: null, few: raw.households > 0, themes: [] };
	}
	const themes = [...raw.themes]
		.filter(([, n]) => keepZero || n > 0)
		.map(([id, n]) => ({ id, ...protectThemeCount(n, raw.households, k) }))
		.sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.id.localeCompare(b.id));
	return { round: raw.round, households: raw.households, few: false, themes };
}
