import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../../src/lib/board/content.svelte';
import { OUTCOMES } from '../../../src/lib/board';

/**
 * Random interleavings of the board's field-level commands on three documents (three browsers),
 * exchanged in random orders: all end identical, and no list item anyone added is lost unless
 * someone removed it.
 */
const DOCS = 3;
const THEMES = ['eenzaamheid', 'groen', 'ontmoeting', 'veiligheid'];
const LISTS = ['talents', 'wishes', 'worries'] as const;

type Op =
	| { kind: 'heldBy'; doc: number; value: string }
	| { kind: 'outcome'; doc: number; value: (typeof OUTCOMES)[number] }
	| { kind: 'theme'; doc: number; theme: string; on: boolean }
	| { kind: 'addItem'; doc: number; list: (typeof LISTS)[number] }
	| { kind: 'removeItem'; doc: number; list: (typeof LISTS)[number]; pick: number }
	| { kind: 'addFollowUp'; doc: number }
	| { kind: 'editFollowUp'; doc: number; pick: number; who: string }
	| { kind: 'removeFollowUp'; doc: number; pick: number }
	| { kind: 'consent'; doc: number; recordedBy: string }
	| { kind: 'sync'; from: number; to: number };

const doc = fc.integer({ min: 0, max: DOCS - 1 });
const list = fc.constantFrom(...LISTS);
const op: fc.Arbitrary<Op> = fc.oneof(
	fc.record({
		kind: fc.constant('heldBy' as const),
		doc,
		value: fc.constantFrom('Ana', 'Bas', 'Cor')
	}),
	fc.record({ kind: fc.constant('outcome' as const), doc, value: fc.constantFrom(...OUTCOMES) }),
	fc.record({
		kind: fc.constant('theme' as const),
		doc,
		theme: fc.constantFrom(...THEMES),
		on: fc.boolean()
	}),
	fc.record({ kind: fc.constant('addItem' as const), doc, list }),
	fc.record({ kind: fc.constant('removeItem' as const), doc, list, pick: fc.nat() }),
	fc.record({ kind: fc.constant('addFollowUp' as const), doc }),
	fc.record({
		kind: fc.constant('editFollowUp' as const),
		doc,
		pick: fc.nat(),
		who: fc.constantFrom('Ana', 'Bas')
	}),
	fc.record({ kind: fc.constant('removeFollowUp' as const), doc, pick: fc.nat() }),
	fc.record({
		kind: fc.constant('consent' as const),
		doc,
		recordedBy: fc.constantFrom('Ana', 'Bas', '')
	}),
	fc.record({ kind: fc.constant('sync' as const), from: doc, to: doc })
);

function send(from: Y.Doc, to: Y.Doc): void {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
}

describe('field-level commands converge', () => {
	it('three documents, random commands and sync orders: identical state, no lost items', () => {
		fc.assert(
			fc.property(
				fc.array(op, { minLength: 1, maxLength: 60 }),
				fc.array(fc.tuple(doc, doc), { maxLength: 12 }),
				(ops, finalOrder) => {
					const boards = Array.from({ length: DOCS }, () => new Board(new Y.Doc()));
					const id = boards[0]!.gesprekken.add({
						addressId: 'adres-1',
						date: '2024-03-12',
						heldBy: 'Fatma',
						outcome: 'gesproken'
					}).id;
					for (const b of boards.slice(1)) send(boards[0]!.doc, b.doc);

					const added = new Set<string>();
					const removed = new Set<string>();
					const themesAdded = new Set<string>();
					const themesRemoved = new Set<string>();
					let n = 0;
					for (const o of ops) {
						if (o.kind === 'sync') {
							send(boards[o.from]!.doc, boards[o.to]!.doc);
							continue;
						}
						const g = boards[o.doc]!.gesprekken;
						const current = g.get(id)!;
						switch (o.kind) {
							case 'heldBy':
								g.patch(id, { heldBy: o.value });
								break;
							case 'outcome':
								g.patch(id, { outcome: o.value });
								break;
							case 'theme':
								if (o.on) {
									g.addTheme(id, o.theme);
									themesAdded.add(o.theme);
								} else {
									g.removeTheme(id, o.theme);
									themesRemoved.add(o.theme);
								}
								break;
							case 'addItem': {
								const item = `${o.list}-${o.doc}-${n++}`;
								g.addItem(id, o.list, item);
								added.add(item);
								break;
							}
							case 'removeItem': {
								const items = current[o.list];
								if (!items.length) break;
								const item = items[o.pick % items.length]!;
								g.removeItem(id, o.list, item);
								removed.add(item);
								break;
							}
							case 'addFollowUp': {
								const what = `vervolg-${o.doc}-${n++}`;
								g.addFollowUp(id, { what });
								added.add(what);
								break;
							}
							case 'editFollowUp': {
								const f = current.followUps;
								if (f.length) g.patchFollowUp(id, f[o.pick % f.length]!.id, { who: o.who });
								break;
							}
							case 'removeFollowUp': {
								const f = current.followUps;
								if (!f.length) break;
								const target = f[o.pick % f.length]!;
								g.removeFollowUp(id, target.id);
								removed.add(target.what);
								break;
							}
							case 'consent':
								g.patchConsent(id, { recordedBy: o.recordedBy });
								break;
						}
					}
					// Whatever the order of the last exchanges, everyone ends with everything.
					for (const [from, to] of finalOrder) send(boards[from]!.doc, boards[to]!.doc);
					for (const a of boards) for (const b of boards) if (a !== b) send(a.doc, b.doc);

					const states = boards.map((b) => b.gesprekken.get(id));
					for (const s of states) expect(s).toEqual(states[0]);
					const g = states[0]!;
					const present = new Set([
						...g.talents,
						...g.wishes,
						...g.worries,
						...g.followUps.map((f) => f.what)
					]);
					for (const item of added) if (!removed.has(item)) expect(present).toContain(item);
					for (const t of themesAdded) if (!themesRemoved.has(t)) expect(g.themeIds).toContain(t);
					// No list holds an item twice.
					for (const key of ['themeIds', ...LISTS] as const)
						expect(new Set(g[key]).size).toBe(g[key].length);
					for (const b of boards) b.destroy();
				}
			),
			{ numRuns: 200 }
		);
	});
});
