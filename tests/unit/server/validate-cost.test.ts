import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';
import { manyDeleteRanges, manyValuesOfOneField } from '../../support/costly-updates';

/**
 * The check of a client's update runs on the server's only thread: an update that costs it much
 * more than Yjs needs to apply it blocks every board of the process. Both updates here took
 * seconds to tens of seconds (one message of an editor; 4 MB allow several times more) and take a
 * fraction of a second now. The bound is generous, for a loaded machine.
 */
function timed(update: Uint8Array): { check: number; apply: number } {
	const doc = new Y.Doc();
	let start = performance.now();
	validateBoardUpdate(update, doc);
	const check = performance.now() - start;
	start = performance.now();
	Y.applyUpdate(doc, update);
	const apply = performance.now() - start;
	doc.destroy();
	return { check, apply };
}

describe('the cost of checking an update', () => {
	it('is not the number of structs times the ranges of the delete set', () => {
		const update = manyDeleteRanges(5000, 300_000);
		const { check, apply } = timed(update);
		expect(check).toBeLessThan(Math.max(3000, 10 * apply));
	});

	it('is not the square of the values one field had in the update', () => {
		const update = manyValuesOfOneField(30_000);
		const { check, apply } = timed(update);
		expect(check).toBeLessThan(Math.max(3000, 10 * apply));
	});

	it('still takes the last of many values as the field’s value', () => {
		const doc = new Y.Doc();
		validateBoardUpdate(manyValuesOfOneField(500), doc);
		Y.applyUpdate(doc, manyValuesOfOneField(500));
		const pin = doc.getMap('pins').get('veel-waarden') as Y.Map<unknown>;
		expect(pin.get('title')).toBe('titel 499');
	});
});
