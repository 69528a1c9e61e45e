import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	addInitiatief,
	addThema,
	OUTCOMES,
	patchConsent
} from '../../../src/lib/board';
import { computeProjection } from '../../../src/lib/privacy/projection';
import { approveAll, approveThemeNames } from '../../support/public-board';
import { effectiveK } from '../../../src/lib/privacy/suppress';

/**
 * Randomised boards (gesprekken at random doors of three streets, over two rounds, with every
 * outcome, withdrawn consent, themes, names, notes, talents; public and internal initiatives):
 * the public projection shows every number as the rules say (suppress.ts) and the right one, and
 * never any personal field or an address of its own.
 */
const STREETS = ['Sweelinckstraat', 'Dunklerstraat', 'Spoorstraat'];
const PER_STREET = 14;
const ADDRESSES = STREETS.flatMap((street, s) =>
	Array.from({ length: PER_STREET }, (_, i) => ({
		id: `adres-${s}-${i}`,
		street,
		lon: 5.86 + s * 0.001 + i * 0.0001,
		lat: 51.83 + i * 0.0001
	}))
);
const THEMES = ['Groen', 'Ontmoeting', 'Eenzaamheid', 'Veiligheid'];

/** Text no resident may ever read on a public page; each carries a unique marker. */
const secret = (what: string, i: number) => `GEHEIM-${what}-${i}`;

const gesprek = fc.record({
	address: fc.nat({ max: ADDRESSES.length - 1 }),
	round: fc.constantFrom(1, 2),
	// Mostly spoken, consent mostly kept: enough households per street to reach k.
	outcome: fc.oneof(
		{ arbitrary: fc.constant('gesproken' as const), weight: 4 },
		fc.constantFrom(...OUTCOMES)
	),
	withdrawn: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, fc.constant(true)),
	themes: fc.subarray([0, 1, 2, 3])
});
const initiatief = fc.record({
	internal: fc.boolean(),
	atAddress: fc.option(fc.nat({ max: ADDRESSES.length - 1 }), { nil: null })
});

describe('the public projection of random boards', () => {
	it('suppresses as the rules say, counts right, and carries nothing personal', () => {
		fc.assert(
			fc.property(
				fc.array(gesprek, { minLength: 30, maxLength: 160 }),
				fc.array(initiatief, { maxLength: 4 }),
				fc.constantFrom(3, 5, 6, 8),
				(gesprekken, initiatieven, chosenK) => {
					const doc = new Y.Doc();
					const themeIds = THEMES.map(
						(name, i) => addThema(doc, { name, colour: `#00000${i}` }).id
					);
					// Every gesprek is recorded first, the withdrawals marked afterwards: the board's
					// commands record nothing personal for a household that already withdrew, but what it
					// said before stays in the document until the erasure, and must never reach the public.
					const ids = gesprekken.map((g, i) =>
						addGesprek(doc, {
							addressId: ADDRESSES[g.address]!.id,
							date: '2026-03-01',
							round: g.round,
							heldBy: secret('naam', i),
							outcome: g.outcome,
							themeIds: g.themes.map((t) => themeIds[t]!),
							talents: [secret('talent', i)],
							wishes: [secret('wens', i)],
							worries: [secret('zorg', i)],
							consent: {
								recordedBy: secret('toestemming', i),
								date: '2026-03-01',
								withdrawn: false
							},
							notes: secret('notitie', i)
						})
					);
					gesprekken.forEach((g, i) => {
						if (g.withdrawn) patchConsent(doc, ids[i]!.id, { withdrawn: true });
					});
					const titles = initiatieven.map((x, i) => {
						const title = x.internal ? secret('intern', i) : `Openbaar ${i}`;
						addInitiatief(doc, {
							title,
							place:
								x.atAddress === null
									? { lon: 5.861, lat: 51.831 }
									: { addressId: ADDRESSES[x.atAddress]!.id },
							internal: x.internal
						});
						return title;
					});

					const p = computeProjection(
						doc,
						ADDRESSES,
						{ k: chosenK, streets: null },
						approveAll(doc),
						{ themeNames: approveThemeNames(doc) }
					);
					const k = effectiveK(chosenK);
					expect(p.k).toBe(k);

					// Nothing personal, no address id, no internal initiative.
					const json = JSON.stringify(p);
					expect(json).not.toContain('GEHEIM');
					expect(json).not.toContain('adres-');
					expect(p.initiatives.map((i) => i.title).sort()).toEqual(
						titles.filter((t) => !t.startsWith('GEHEIM')).sort()
					);

					// Every street has every round of the board: a missing one would say nobody spoke there.
					const boardRounds = [
						...new Set(
							gesprekken
								.filter((g) => g.outcome === 'gesproken' && !g.withdrawn)
								.map((g) => g.round)
						)
					].sort();
					// The numbers: distinct households spoken (consent not withdrawn) per street and round.
					for (const street of p.streets) {
						expect(street.rounds.map((r) => r.round)).toEqual(boardRounds);
						for (const round of street.rounds) {
							const households = new Map<string, Set<number>>();
							for (const g of gesprekken) {
								const a = ADDRESSES[g.address]!;
								if (a.street !== street.street || g.round !== round.round) continue;
								if (g.outcome !== 'gesproken' || g.withdrawn) continue;
								const set = households.get(a.id) ?? new Set<number>();
								for (const t of g.themes) set.add(t);
								households.set(a.id, set);
							}
							const total = households.size;
							if (total < k) {
								expect(round).toEqual({
									round: round.round,
									households: null,
									few: true,
									themes: []
								});
								continue;
							}
							expect(round.households).toBe(total);
							// Every theme, mentioned or not: a listed theme does not tell that someone mentioned it.
							expect(round.themes.map((t) => t.name).sort()).toEqual([...THEMES].sort());
							for (const theme of round.themes) {
								const t = THEMES.indexOf(theme.name);
								const n = [...households.values()].filter((s) => s.has(t)).length;
								if (theme.shown === 'count') {
									expect(theme.count).toBe(n);
									expect(n).toBeGreaterThanOrEqual(k);
									expect(total - n).toBeGreaterThanOrEqual(k);
								} else {
									// One value whether too few or too many: the page cannot tell which.
									expect(theme).toMatchObject({ shown: 'suppressed', count: null });
									expect(n < k || total - n < k).toBe(true);
								}
							}
						}
					}
				}
			),
			{ numRuns: 150 }
		);
	});
});
