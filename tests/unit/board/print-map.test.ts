import { describe, expect, it } from 'vitest';
import { printMap, type AAddress } from '../../../src/lib/board/analysis';
import { generateDemo } from '../../../src/lib/demo/generate';

const door = (id: string, street: string, lon: number, lat: number): AAddress => ({
	id,
	street,
	houseNumber: 1,
	houseLetter: null,
	addition: null,
	postcode: null,
	lon,
	lat
});

describe('the print map', () => {
	it('fits the doors into the drawing, north up, with a symbol per door and a line per street', () => {
		const doors = [
			door('a', 'Westweg', 5.87, 51.83),
			door('b', 'Westweg', 5.88, 51.83),
			door('c', 'Noordweg', 5.875, 51.835)
		];
		const map = printMap(doors, new Map([['a', { state: 'spoken' as const }]]), {
			width: 1000,
			height: 500,
			padding: 20
		});
		expect(map.points).toHaveLength(3);
		const [a, b, c] = map.points!;
		expect(a!.state).toBe('spoken');
		expect(b!.state).toBe('open');
		// West to east is left to right; north is up.
		expect(a!.x).toBeLessThan(b!.x);
		expect(c!.y).toBeLessThan(a!.y);
		for (const p of map.points!) {
			expect(p.x).toBeGreaterThanOrEqual(20);
			expect(p.x).toBeLessThanOrEqual(980);
			expect(p.y).toBeGreaterThanOrEqual(20);
			expect(p.y).toBeLessThanOrEqual(480);
		}
		// A street of one door has no line.
		expect(map.streets).toEqual([{ name: 'Westweg', x1: a!.x, y1: a!.y, x2: b!.x, y2: b!.y }]);
	});

	it('draws a big board as cells shaded by the share spoken, every door counted once', () => {
		const { addresses } = generateDemo({ addresses: 6000, visitRate: 0.5, rounds: 1 });
		const spoken = new Map(
			addresses.slice(0, 1000).map((a) => [a.id, { state: 'spoken' as const }])
		);
		const map = printMap(addresses, spoken, { maxPoints: 4000 });
		expect(map.points).toBeNull();
		expect(map.cells!.reduce((n, c) => n + c.doors, 0)).toBe(6000);
		expect(map.cells!.reduce((n, c) => n + c.spoken, 0)).toBe(1000);
		expect(map.doors).toBe(6000);
	});

	it('an empty board is an empty drawing', () => {
		expect(printMap([], new Map())).toMatchObject({ points: [], streets: [], doors: 0 });
	});
});
