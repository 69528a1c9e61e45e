import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { aGesprek, sync } from '../../support/ydocs';
import {
	addFollowUp,
	addGesprek,
	addInitiatief,
	getGesprek,
	getInitiatief,
	removeFollowUp,
	updateGesprek,
	updateInitiatief
} from '../../../src/lib/board';

/**
 * Two people add the same value at the same moment (or an undo brings back what someone added
 * again): the document holds it twice. Pages key their lists by value or id, and a duplicate key
 * crashed the page (Svelte's each_key_duplicate), so every read gives each value once.
 */
describe('the same list value added twice at once', () => {
	it('reads once per value, and one removal removes it', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const g = aGesprek(a);
		sync(a, b);
		updateGesprek(a, g.id, { talents: ['Koken'] });
		updateGesprek(b, g.id, { talents: ['Koken'] });
		sync(a, b);
		expect(getGesprek(a, g.id)!.talents).toEqual(['Koken']);
		updateGesprek(b, g.id, { talents: [] });
		sync(a, b);
		expect(getGesprek(a, g.id)!.talents).toEqual([]);

		const i = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, i.id, { addressIds: ['adres-1'] });
		updateInitiatief(b, i.id, { addressIds: ['adres-1'] });
		sync(a, b);
		expect(getInitiatief(b, i.id)!.addressIds).toEqual(['adres-1']);
	});

	it('reads a follow-up brought back twice once, and removes both copies', () => {
		const a = new Y.Doc();
		const g = aGesprek(a);
		const f = addFollowUp(a, g.id, { what: 'Bellen' });
		// As two undos of one removal leave it: the same record twice.
		const arr = (a.getMap('gesprekken').get(g.id) as Y.Map<unknown>).get('followUps') as Y.Array<
			Y.Map<unknown>
		>;
		const copy = new Y.Map<unknown>();
		for (const [k, v] of arr.get(0).entries()) copy.set(k, v);
		arr.push([copy]);
		expect(arr.length).toBe(2);
		expect(getGesprek(a, g.id)!.followUps.map((x) => x.id)).toEqual([f.id]);
		removeFollowUp(a, g.id, f.id);
		expect(getGesprek(a, g.id)!.followUps).toEqual([]);
	});
});

describe('two themes merged into each other at the same time', () => {
	it('keep one of them, active, with every link, on every device', async () => {
		const { addThema, listThemas, mergeThema } = await import('../../../src/lib/board');
		const a = new Y.Doc();
		const b = new Y.Doc();
		const veiligheid = addThema(a, { name: 'Veiligheid', colour: '#d62728' });
		const eenzaamheid = addThema(a, { name: 'Eenzaamheid', colour: '#9467bd' });
		const g = addGesprek(a, {
			addressId: 'adres-1',
			date: '2026-12-01',
			heldBy: 'Ana',
			outcome: 'gesproken',
			themeIds: [veiligheid.id]
		});
		sync(a, b);
		mergeThema(a, eenzaamheid.id, veiligheid.id);
		mergeThema(b, veiligheid.id, eenzaamheid.id);
		sync(a, b);
		const survivor = [veiligheid.id, eenzaamheid.id].sort()[0]!;
		for (const doc of [a, b]) {
			const active = listThemas(doc).map((t) => t.id);
			expect(active).toContain(survivor);
			expect(active.filter((id) => id === veiligheid.id || id === eenzaamheid.id)).toHaveLength(1);
			expect(getGesprek(doc, g.id)!.themeIds).toEqual([survivor]);
		}
	});
});
