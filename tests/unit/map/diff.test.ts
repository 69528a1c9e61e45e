import type { Feature, FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { featureDiff, propertyDiff } from '../../../src/lib/map/diff';

const point = (id: string, properties: Record<string, unknown>): Feature<Point> => ({
	type: 'Feature',
	id,
	geometry: { type: 'Point', coordinates: [5.87, 51.83] },
	properties
});
const collection = (features: Feature[]): FeatureCollection => ({
	type: 'FeatureCollection',
	features
});

describe('source diffs for MapLibre updateData', () => {
	it('sends only the changed properties, never removeAllProperties', () => {
		// MapLibre 6.17 drops the properties added in an update that also removes all of them: the
		// analysis map's bright points (match = 1) went dark when a filter changed.
		const before = [
			point('a', { state: 'open', match: 0 }),
			point('b', { state: 'open', match: 0 })
		];
		const shown = new Map(before.map((f) => [f.id!, f as Feature]));
		const after = collection([point('a', { state: 'open', match: 1 }), before[1]!]);
		const d = featureDiff(shown, after, 1)!;
		expect(d.changes).toBe(1);
		expect(d.diff.update).toEqual([
			{ id: 'a', addOrUpdateProperties: [{ key: 'match', value: 1 }] }
		]);
		expect(JSON.stringify(d.diff)).not.toContain('removeAllProperties');
	});

	it('removes keys that are gone, and reports no change for equal properties', () => {
		expect(propertyDiff({ a: 1, t_x: 1 }, { a: 1 })).toEqual({ removeProperties: ['t_x'] });
		expect(propertyDiff({ a: 1, list: [1, 2] }, { a: 1, list: [1, 2] })).toBeNull();
		const d = featureDiff(
			new Map([['a', point('a', { a: 1 })]]),
			collection([point('a', { a: 1 })])
		)!;
		expect(d.changes).toBe(0);
	});

	it('adds, removes and moves features by id', () => {
		const shown = new Map<string | number, Feature>([
			['a', point('a', {})],
			['b', point('b', {})],
			['c', point('c', {})]
		]);
		const moved: Feature<Point> = {
			...point('a', {}),
			geometry: { type: 'Point', coordinates: [5.9, 51.8] }
		};
		const d = featureDiff(
			shown,
			collection([moved, shown.get('b')!, shown.get('c')!, point('d', {})]),
			1
		)!;
		expect(d.diff.add?.map((f) => f.id)).toEqual(['d']);
		expect(d.diff.update).toEqual([{ id: 'a', newGeometry: moved.geometry }]);
		expect(featureDiff(shown, collection([point('x', {})]))).toBeNull();
	});
});
