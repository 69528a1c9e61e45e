import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeoJSONFeatureDiff, GeoJSONSourceDiff } from 'maplibre-gl';

type Id = string | number;

/**
 * The changes from one feature collection to the next, by feature id, as MapLibre's
 * `GeoJSONSource.updateData` takes them: removed ids, added features, and for changed features
 * their new geometry and properties. A feature that is the same object as before is unchanged
 * (producers keep unchanged features' objects); otherwise geometry and properties are compared.
 * Returns null when more than `fullShare` of the features changed (a full setData is then cheaper).
 */
export function featureDiff(
	before: ReadonlyMap<Id, Feature>,
	after: FeatureCollection,
	fullShare = 0.5
): { diff: GeoJSONSourceDiff; next: Map<Id, Feature>; changes: number } | null {
	const next = new Map<Id, Feature>();
	const add: Feature[] = [];
	const update: NonNullable<GeoJSONSourceDiff['update']> = [];
	for (const f of after.features) {
		if (f.id === undefined) throw new Error('featureDiff needs feature ids');
		next.set(f.id, f);
		const old = before.get(f.id);
		if (old === f) continue;
		if (!old) {
			add.push(f);
			continue;
		}
		const sameGeometry = JSON.stringify(old.geometry) === JSON.stringify(f.geometry);
		const props = propertyDiff(old.properties ?? {}, f.properties ?? {});
		if (sameGeometry && !props) continue;
		update.push({
			id: f.id,
			...(sameGeometry ? {} : { newGeometry: f.geometry as Geometry }),
			...(props ?? {})
		});
	}
	const remove: Id[] = [];
	for (const id of before.keys()) if (!next.has(id)) remove.push(id);
	const changes = add.length + update.length + remove.length;
	if (changes > Math.max(1, after.features.length * fullShare)) return null;
	return { diff: { add, update, remove } as GeoJSONSourceDiff, next, changes };
}

/**
 * The property changes from one feature to the next: keys gone and keys added or changed. Never
 * `removeAllProperties`: MapLibre 6.17's worker then drops the properties added in the same update
 * too (`applyPropertyUpdates` returns `{}` at once), so a changed feature lost every property
 * (the analysis map's `match` among them). Null when nothing changed.
 */
export function propertyDiff(
	before: Record<string, unknown>,
	after: Record<string, unknown>
): Pick<GeoJSONFeatureDiff, 'removeProperties' | 'addOrUpdateProperties'> | null {
	const removeProperties = Object.keys(before).filter((key) => !(key in after));
	const addOrUpdateProperties = Object.entries(after)
		.filter(([key, value]) => !(key in before) || !sameValue(before[key], value))
		.map(([key, value]) => ({ key, value: value as unknown }));
	if (removeProperties.length === 0 && addOrUpdateProperties.length === 0) return null;
	return {
		...(removeProperties.length ? { removeProperties } : {}),
		...(addOrUpdateProperties.length ? { addOrUpdateProperties } : {})
	};
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}
