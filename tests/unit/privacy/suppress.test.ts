import { describe, expect, it } from 'vitest';
import {
	effectiveK,
	protectCount,
	protectRound,
	protectThemeCount,
	type ProtectedRound
} from '../../../src/lib/privacy/suppress';

describe('minimum group size', () => {
	it('is 5 unless an owner raised it; never lower', () => {
		expect(effectiveK(5)).toBe(5);
		expect(effectiveK(8)).toBe(8);
		expect(effectiveK(3)).toBe(5);
		expect(effectiveK(0)).toBe(5);
		expect(effectiveK(Number.NaN)).toBe(5);
		expect(effectiveK(null)).toBe(5);
	});

	it('shows counts of at least k, and "fewer than k" for 1 to k-1', () => {
		expect(protectCount(5, 5)).toEqual({ shown: 'count', count: 5 });
		expect(protectCount(4, 5)).toEqual({ shown: 'few', count: null });
		expect(protectCount(1, 5)).toEqual({ shown: 'few', count: null });
		expect(protectCount(6, 7)).toEqual({ shown: 'few', count: null });
		expect(protectCount(4, 2)).toEqual({ shown: 'few', count: null });
	});

	it('a street with fewer than k households shows no theme numbers at all', () => {
		const r = protectRound({ round: 1, households: 4, themes: new Map([['groen', 4]]) }, 5);
		expect(r).toEqual({ round: 1, households: null, few: true, themes: [] });
	});
});

describe('complementary suppression', () => {
	it('hides a theme count when the households that did not mention it are fewer than k', () => {
		expect(protectThemeCount(10, 12, 5)).toEqual({ shown: 'hidden', count: null });
		expect(protectThemeCount(12, 12, 5)).toEqual({ shown: 'hidden', count: null });
		expect(protectThemeCount(7, 12, 5)).toEqual({ shown: 'count', count: 7 });
		expect(protectThemeCount(8, 12, 5)).toEqual({ shown: 'hidden', count: null });
	});

	/**
	 * An attacker who knows the published table of a street tries every sum and difference they
	 * can take (the total minus a theme, themes minus each other, rounds against each other) and
	 * every raw table that agrees with what is published: no suppressed cell and no group of
	 * fewer than k households may come out as one exact number.
	 */
	it('a differencing attempt learns no suppressed cell and no small group', () => {
		const k = 5;
		const raw = {
			round: 1,
			households: 12,
			themes: new Map([
				['ontmoeting', 6],
				['contact', 5],
				['groen', 3],
				['eenzaamheid', 10],
				['iedereen', 12],
				['veiligheid', 1]
			])
		};
		const published: ProtectedRound = protectRound(raw, k);
		const total = published.households!;
		expect(total).toBe(12);

		// 1. Total minus each shown theme: the households that did not mention it.
		for (const t of published.themes) {
			if (t.shown !== 'count') continue;
			const others = total - t.count!;
			expect(others === 0 || others >= k, `${t.id}: ${others} others`).toBe(true);
		}
		// 2. No suppressed cell carries a number in the output.
		for (const t of published.themes) {
			if (t.shown !== 'count') expect(t.count).toBeNull();
		}
		expect(JSON.stringify(published)).not.toMatch(/"count":(1|2|3|4|10)\b/);

		// 3. Every raw value consistent with the published table: for each suppressed cell, the
		// values 0..total that the same rules would publish in the same way. More than one must fit.
		for (const t of published.themes) {
			if (t.shown === 'count') continue;
			const fits = [];
			for (let n = 1; n <= total; n++) {
				const again = protectThemeCount(n, total, k);
				if (again.shown === t.shown) fits.push(n);
			}
			expect(fits.length, `${t.id} could be ${fits.join(',')}`).toBeGreaterThan(1);
			// and the group it hides: its complement is not pinned down either.
			expect(new Set(fits.map((n) => total - n)).size).toBeGreaterThan(1);
		}
	});

	it('order of themes does not leak the size of suppressed cells', () => {
		const a = protectRound(
			{
				round: 1,
				households: 20,
				themes: new Map([
					['a', 1],
					['b', 4],
					['c', 19]
				])
			},
			5
		);
		const b = protectRound(
			{
				round: 1,
				households: 20,
				themes: new Map([
					['a', 4],
					['b', 1],
					['c', 16]
				])
			},
			5
		);
		expect(a.themes).toEqual(b.themes);
	});
});
