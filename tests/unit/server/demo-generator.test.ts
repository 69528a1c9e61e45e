import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listGesprekken, listInitiatieven, listNotities } from '../../../src/lib/board';
import { generateDemo } from '../../../src/lib/demo/generate';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

describe('the demo generator', () => {
	it('is deterministic: the same seed gives the same addresses and document bytes', () => {
		const a = generateDemo();
		const b = generateDemo();
		expect(b.addresses).toEqual(a.addresses);
		expect(Y.encodeStateAsUpdate(b.doc)).toEqual(Y.encodeStateAsUpdate(a.doc));
		const c = generateDemo({ seed: 7 });
		expect(Y.encodeStateAsUpdate(c.doc)).not.toEqual(Y.encodeStateAsUpdate(a.doc));
	});

	it('writes a document the sync server accepts', () => {
		const { doc } = generateDemo();
		expect(() => validateBoardUpdate(Y.encodeStateAsUpdate(doc), new Y.Doc())).not.toThrow();
	});

	it('tells the Spoorbuurt story: most doors, two rounds, all outcomes, themes by street', () => {
		const { addresses, doc, assignments } = generateDemo();
		expect(addresses.length).toBeGreaterThanOrEqual(140);
		expect(addresses.length).toBeLessThanOrEqual(160);
		const gesprekken = listGesprekken(doc);
		const visited = new Set(gesprekken.filter((g) => g.round === 1).map((g) => g.addressId));
		expect(visited.size / addresses.length).toBeGreaterThan(0.8);
		expect(new Set(gesprekken.map((g) => g.round))).toEqual(new Set([1, 2]));
		expect(new Set(gesprekken.map((g) => g.outcome))).toEqual(
			new Set(['gesproken', 'niet-thuis', 'geweigerd', 'later'])
		);
		expect(gesprekken.some((g) => g.talents.includes('groene vingers'))).toBe(true);
		const street = new Map(addresses.map((a) => [a.id, a.street]));
		const share = (name: string, theme: string) => {
			const spoken = gesprekken.filter(
				(g) => g.round === 1 && g.outcome === 'gesproken' && street.get(g.addressId) === name
			);
			return spoken.filter((g) => g.themeIds.includes(theme)).length / spoken.length;
		};
		expect(share('Sweelinckstraat', 'eenzaamheid')).toBeGreaterThan(
			2 * share('Valeriusstraat', 'eenzaamheid')
		);
		expect(share('Valeriusstraat', 'groen')).toBeGreaterThan(2 * share('Sweelinckstraat', 'groen'));
		const initiatieven = listInitiatieven(doc);
		expect(initiatieven.map((i) => i.title)).toEqual(
			expect.arrayContaining(['Voortuinen als ontmoetingsplek', 'Buurtmoestuin'])
		);
		expect(new Set(initiatieven.map((i) => i.status)).size).toBeGreaterThanOrEqual(3);
		expect(initiatieven.some((i) => 'lon' in i.place)).toBe(true);
		expect(initiatieven.some((i) => 'addressId' in i.place)).toBe(true);
		expect(listNotities(doc).length).toBeGreaterThan(0);
		expect(new Set(assignments.map((a) => a.street)).size).toBe(9);
	});

	it('scales for benchmarks: 5,000 addresses with one gesprek per two', () => {
		const { addresses, doc } = generateDemo({ addresses: 5000, visitRate: 0.5, rounds: 1 });
		expect(addresses).toHaveLength(5000);
		expect(new Set(addresses.map((a) => a.id)).size).toBe(5000);
		const n = doc.getMap('gesprekken').size;
		expect(n).toBeGreaterThan(2300);
		expect(n).toBeLessThan(2700);
	});
});
