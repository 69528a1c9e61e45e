import { createExpression } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { AGesprek, AThema } from '../../../src/lib/board/analysis';
import { summariseAddresses } from '../../../src/lib/board/analysis';
import {
	AnalysisFeatures,
	clusterProperties,
	dominantClusterColour,
	packedCount,
	readPackedCount
} from '../../../src/lib/map/analysis-features';
import { address } from './addresses';

const THEMAS: AThema[] = Array.from({ length: 8 }, (_, i) => ({
	id: `t${i}`,
	name: `thema ${i}`,
	colour: `#00000${i}`
}));

const gesprek = (i: number, themeIds: string[]): AGesprek => ({
	id: `g${i}`,
	addressId: `a${i}`,
	date: '2026-11-30',
	round: 1,
	heldBy: 'Ans',
	outcome: 'gesproken',
	themeIds,
	talents: [],
	wishes: [],
	worries: []
});

function evaluate(expression: unknown, properties: Record<string, unknown>): unknown {
	const parsed = createExpression(expression, 'layers[0].paint.circle-color');
	if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
	return parsed.value.evaluate({ zoom: 14 }, { type: 'Point', properties } as never);
}

describe('analysis map features with packed cluster counts', () => {
	// 300 spoken doors: theme 5 heard at 200 of them, theme 2 at 120, theme 7 at 1; 100 unvisited.
	const addresses = Array.from({ length: 400 }, (_, i) => address(i));
	const gesprekken = Array.from({ length: 300 }, (_, i) =>
		gesprek(i, [
			...(i < 200 ? ['t5'] : []),
			...(i >= 180 && i < 300 ? ['t2'] : []),
			...(i === 7 ? ['t7'] : [])
		])
	);
	const data = new AnalysisFeatures().build(
		addresses,
		summariseAddresses(addresses, gesprekken),
		THEMAS,
		() => true
	);
	// What MapLibre's clustering does with clusterProperties ['+', ['get', key]]: sum per key.
	const keys = Object.keys(clusterProperties(THEMAS));
	const cluster = Object.fromEntries(
		keys.map((k) => [k, data.features.reduce((s, f) => s + Number(f.properties[k as 'c0']), 0)])
	);

	it('sums spoken and 8 themes in 3 cluster properties instead of 9', () => {
		expect(keys).toEqual(['c0', 'c1', 'c2']);
	});

	it('reads back every count from a cluster, in map expressions and in JavaScript', () => {
		const expected = [300, 0, 0, 120, 0, 0, 200, 0, 1];
		expected.forEach((n, slot) => {
			expect(evaluate(packedCount(slot), cluster)).toBe(n);
			expect(readPackedCount(cluster, slot)).toBe(n);
		});
	});

	it("colours a cluster with its most heard theme's colour, grey when none was heard", () => {
		expect(evaluate(dominantClusterColour(THEMAS), cluster)).toBe('#000005');
		const silent = Object.fromEntries(keys.map((k) => [k, 0]));
		expect(evaluate(dominantClusterColour(THEMAS), silent)).toBe('#a3a3a3');
	});
});
