import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	addThema,
	removeGesprek,
	renameThema,
	updateGesprek
} from '../../../src/lib/board';
import { computeProjection, type PublicRound } from '../../../src/lib/privacy/projection';
import { approveThemeNames } from '../../support/public-board';
import {
	PublishGate,
	REMOVED,
	cellId,
	type CellBasis
} from '../../../src/lib/privacy/publish-gate';

const hash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);
const STREET = 'Dunklerstraat';
const ADDRESSES = Array.from({ length: 30 }, (_, i) => ({
	id: `adres-${i}`,
	street: STREET,
	lon: 5.86 + i * 0.0001,
	lat: 51.83
}));

/** A board and its public page over time, as the server keeps them (store.ts). */
class Published {
	readonly doc = new Y.Doc();
	readonly themes: string[];
	basis: Record<string, CellBasis> = {};
	previous = new Map<string, PublicRound[]>();
	k = 5;
	#gesprekAt = new Map<number, string>();

	constructor() {
		this.themes = ['Groen', 'Ontmoeting', 'Eenzaamheid'].map(
			(name) => addThema(this.doc, { name, colour: '#15803d' }).id
		);
	}

	/** Household i spoken in round 1 with these themes (index into `themes`). */
	speak(i: number, themes: number[]): void {
		const themeIds = themes.map((t) => this.themes[t]!);
		const existing = this.#gesprekAt.get(i);
		if (existing) {
			updateGesprek(this.doc, existing, { themeIds, outcome: 'gesproken' });
			return;
		}
		const g = addGesprek(this.doc, {
			addressId: `adres-${i}`,
			date: '2026-03-01',
			round: 1,
			heldBy: 'Opbouwwerker',
			outcome: 'gesproken',
			themeIds
		});
		this.#gesprekAt.set(i, g.id);
	}

	leave(i: number): void {
		const id = this.#gesprekAt.get(i);
		if (id) removeGesprek(this.doc, id);
		this.#gesprekAt.delete(i);
	}

	/** Recomputes the page; returns the street's round 1 as residents see it now. */
	publish(): { round: PublicRound; gate: PublishGate } {
		const gate = new PublishGate(
			{ salt: 'zout-0123456789abcdef', cells: this.basis },
			this.previous,
			this.k,
			hash
		);
		const p = computeProjection(this.doc, ADDRESSES, { k: this.k, streets: null }, new Map(), {
			gate,
			// The owner approved the themes' names (review.ts).
			themeNames: approveThemeNames(this.doc)
		});
		this.basis = gate.next;
		this.previous = new Map(p.streets.map((s) => [s.street, s.rounds]));
		// No round yet (nobody spoke): shown as an empty round would be.
		const round = p.streets[0]!.rounds.find((r) => r.round === 1) ?? {
			round: 1,
			households: null,
			few: true,
			themes: []
		};
		return { round, gate };
	}
}

const counts = (r: PublicRound) => r.themes.map((t) => [t.name, t.count]);

describe('publishing a street anew only when k households changed', () => {
	it('holds one more household until k have come, then shows them all', () => {
		const board = new Published();
		for (let i = 0; i < 6; i++) board.speak(i, [0]);
		const first = board.publish().round;
		expect(first.households).toBe(6);

		// One more: the page must not change, or it would say what this household said.
		board.speak(6, [1]);
		expect(board.publish().round).toEqual(first);
		for (let i = 7; i < 10; i++) board.speak(i, [1]);
		expect(board.publish().round).toEqual(first);
		// The fifth change since the last publication: all of them appear at once.
		board.speak(10, [1]);
		const next = board.publish().round;
		expect(next.households).toBe(11);
		expect(counts(next)).toContainEqual(['Ontmoeting', 5]);
	});

	it('counts a household that now names other themes, and one that left', () => {
		const board = new Published();
		for (let i = 0; i < 12; i++) board.speak(i, [0]);
		const first = board.publish().round;
		for (let i = 0; i < 3; i++) board.speak(i, [0, 2]);
		board.leave(11);
		expect(board.publish().round).toEqual(first);
		board.leave(10);
		const next = board.publish().round;
		expect(next.households).toBe(10);
	});

	it('keeps no theme of a household that left in the basis, and counts its return as unchanged', () => {
		const board = new Published();
		for (let i = 0; i < 8; i++) board.speak(i, [0]);
		board.publish();
		board.leave(3);
		const { gate } = board.publish();
		expect(gate.held).toBe(1);
		const cell = board.basis[cellId(STREET, 1)]!;
		// Eight households, one of them now only a key without a value.
		expect(Object.values(cell).filter((v) => v === REMOVED)).toHaveLength(1);
		expect(Object.keys(cell)).toHaveLength(8);
		// Back with other themes: counted as unchanged (it may be), so the page waits for more.
		board.speak(3, [2]);
		expect(board.publish().gate.held).toBe(1);
	});

	it('shows a held street with the current theme names and the current k', () => {
		const board = new Published();
		for (let i = 0; i < 12; i++) board.speak(i, i < 6 ? [0] : [1]);
		const first = board.publish().round;
		expect(counts(first)).toContainEqual(['Groen', 6]);
		board.speak(12, [0]);
		renameThema(board.doc, board.themes[0]!, 'Groen en tuinen');
		let held = board.publish().round;
		expect(held.households).toBe(12);
		expect(counts(held)).toContainEqual(['Groen en tuinen', 6]);
		// The owner raises k to 7: a held count of 6 is now too small to show.
		board.k = 7;
		held = board.publish().round;
		expect(held.households).toBe(12);
		expect(held.themes.find((t) => t.name === 'Groen en tuinen')).toMatchObject({
			shown: 'suppressed',
			count: null
		});
	});

	it('never lets two publications in a row differ by fewer than k households', () => {
		const step = fc.oneof(
			fc.record({
				kind: fc.constant('speak' as const),
				i: fc.nat({ max: 29 }),
				themes: fc.subarray([0, 1, 2])
			}),
			fc.record({ kind: fc.constant('leave' as const), i: fc.nat({ max: 29 }) })
		);
		fc.assert(
			fc.property(
				fc.array(fc.array(step, { maxLength: 4 }), { minLength: 1, maxLength: 30 }),
				(batches) => {
					const board = new Published();
					/** Household → themes, as the last publication was computed. */
					let shownFrom = new Map<number, string>();
					const truth = new Map<number, string>();
					// Before anything is shown: as if published from no household.
					let shown: PublicRound = { round: 1, households: null, few: true, themes: [] };
					for (const batch of batches) {
						for (const s of batch) {
							if (s.kind === 'speak') {
								board.speak(s.i, s.themes);
								truth.set(s.i, [...s.themes].sort().join(','));
							} else {
								board.leave(s.i);
								truth.delete(s.i);
							}
						}
						const { round } = board.publish();
						if (JSON.stringify(round) === JSON.stringify(shown)) continue;
						// The page changed: from the last one, at least k households differ.
						let differ = 0;
						for (const [i, t] of truth) if (shownFrom.get(i) !== t) differ++;
						for (const i of shownFrom.keys()) if (!truth.has(i)) differ++;
						expect(differ).toBeGreaterThanOrEqual(5);
						shown = round;
						shownFrom = new Map(truth);
					}
				}
			),
			{ numRuns: 60 }
		);
	});
});
