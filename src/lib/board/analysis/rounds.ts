import { summariseAddresses } from './summary';
import { withdrawnHouseholds, type AAddress, type AGesprek } from './types';

/** Households per street and theme in two rounds, side by side. */
export interface RoundRow {
	street: string;
	themeId: string;
	before: number;
	after: number;
	change: number;
}

/**
 * Compares two rounds: per street and theme, how many households named the theme in round `a`
 * and in round `b`. Rows where both are 0 are left out; ordered by street, then largest change.
 */
export function compareRounds(
	addresses: readonly AAddress[],
	gesprekken: readonly AGesprek[],
	a = 1,
	b = 2
): RoundRow[] {
	// Withdrawn in either round: left out of both.
	const withdrawn = withdrawnHouseholds(gesprekken);
	const count = (round: number) => {
		const s = summariseAddresses(
			addresses,
			gesprekken.filter((g) => g.round === round),
			withdrawn
		);
		const out = new Map<string, number>();
		for (const address of addresses) {
			for (const [t] of s.get(address.id)?.themes ?? []) {
				const key = `${address.street}\u0000${t}`;
				out.set(key, (out.get(key) ?? 0) + 1);
			}
		}
		return out;
	};
	const before = count(a);
	const after = count(b);
	const rows: RoundRow[] = [];
	for (const key of new Set([...before.keys(), ...after.keys()])) {
		const [street, themeId] = key.split('\u0000') as [string, string];
		const x = before.get(key) ?? 0;
		const y = after.get(key) ?? 0;
		rows.push({ street, themeId, before: x, after: y, change: y - x });
	}
	return rows.sort(
		(x, y) =>
			x.street.localeCompare(y.street, 'nl') ||
			Math.abs(y.change) - Math.abs(x.change) ||
			x.themeId.localeCompare(y.themeId)
	);
}
