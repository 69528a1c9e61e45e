import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Address } from '../../src/lib/geo/address';
import { mergeImport } from '../../src/lib/geo/merge';
import {
	importRowSchema,
	storeImport,
	type ImportRow,
	type StoreResult
} from '../../src/lib/server/addresses';
import { listAddresses } from '../../src/lib/server/boards';
import type { Db } from '../../src/lib/server/db';
import { complexBoardDb } from '../support/db';
import { DRIVERS } from '../support/drivers';

/**
 * A corporation re-exports its register: postcodes corrected, coordinates improved, units
 * renumbered, complex numbers changed. The re-import finds each stored address by its VHE number,
 * its address or (a corrected postcode) its street and number in the same place; says what
 * differs; writes it only when asked; never doubles, removes or re-identifies a stored address
 * (gesprekken and initiatieven refer to its id); and stores exactly what its preview said.
 */

type RowInput = Partial<ImportRow> & { line: number; houseNumber: number };

function row(input: RowInput): ImportRow {
	return importRowSchema.parse({
		street: 'Händelstraat',
		houseLetter: null,
		addition: null,
		postcode: '6521CH',
		city: 'Nijmegen',
		lon: 5.86,
		lat: 51.83,
		bagId: null,
		complexNumber: '104',
		unitNumber: null,
		...input
	});
}

describe.each(DRIVERS)('re-importing an updated corporation list on %s', (driver) => {
	let db: Db;
	beforeEach(async () => {
		db = await complexBoardDb(driver);
	});
	afterEach(async () => {
		await db.close();
	});

	/** Stores `rows` and checks that the result is what the preview (the browser's merge) said. */
	async function importRows(rows: ImportRow[], updateChanged = false): Promise<StoreResult> {
		const before = await listAddresses(db, 'complex');
		const preview = mergeImport(
			before,
			rows.map((r) => ({ ...r, needsGeocoding: r.lon === null })),
			{ updateChanged }
		);
		const stored = await storeImport(db, 'complex', rows, { updateChanged });
		expect({
			added: stored.added,
			merged: stored.mergedWithinImport + stored.mergedWithExisting,
			updated: stored.updated,
			changed: stored.changed,
			conflicts: stored.conflicts
		}).toEqual({
			added: preview.added.length,
			merged: preview.merged,
			updated: preview.updated.length,
			changed: preview.changed.length,
			conflicts: preview.conflicts.length
		});
		return stored;
	}

	async function byId(): Promise<Map<string, Address>> {
		return new Map((await listAddresses(db, 'complex')).map((a) => [a.id, a]));
	}

	it('takes a corrected postcode for the same door, and writes it only when asked', async () => {
		await importRows([row({ line: 2, houseNumber: 1 }), row({ line: 3, houseNumber: 3 })]);
		const [first] = await listAddresses(db, 'complex');
		const corrected = [row({ line: 2, houseNumber: 1, postcode: '6521 CJ' })];

		const preview = mergeImport(
			await listAddresses(db, 'complex'),
			corrected.map((r) => ({ ...r, needsGeocoding: false }))
		);
		expect(preview.changed).toEqual([
			expect.objectContaining({
				line: 2,
				match: 'moved',
				changes: [{ field: 'postcode', from: '6521CH', to: '6521CJ' }]
			})
		]);

		// Off (the default): no second door, nothing overwritten, the difference reported.
		const kept = await importRows(corrected);
		expect(kept).toMatchObject({ added: 0, mergedWithExisting: 1, changed: 1, updated: 0 });
		expect(kept.updateChanged).toBe(false);
		let stored = await byId();
		expect(stored.size).toBe(2);
		expect(stored.get(first!.id)!.postcode).toBe('6521CH');

		// On: the same address (same id, so its gesprekken stay with it) gets the new postcode.
		const written = await importRows(corrected, true);
		expect(written).toMatchObject({ added: 0, changed: 1, updated: 1, filled: 0, total: 2 });
		stored = await byId();
		expect(stored.size).toBe(2);
		expect(stored.get(first!.id)).toMatchObject({ houseNumber: 1, postcode: '6521CJ' });

		// The next re-import of the same file finds nothing to change.
		expect(await importRows(corrected, true)).toMatchObject({ added: 0, changed: 0, updated: 0 });
	});

	it('finds a unit by its VHE number when its number, place and complex changed', async () => {
		await importRows([
			row({ line: 2, houseNumber: 5, unitNumber: '1040005' }),
			row({ line: 3, houseNumber: 7, unitNumber: '1040007' })
		]);
		const before = await listAddresses(db, 'complex');
		const unit = before.find((a) => a.unitNumber === '1040005')!;
		// Renumbered 5 -> 5A, placed ~20 m further, another complex; VHE written with a space.
		const update = row({
			line: 2,
			houseNumber: 5,
			houseLetter: 'A',
			lat: 51.83018,
			complexNumber: '204',
			unitNumber: '1040 005'
		});
		const preview = mergeImport(before, [{ ...update, needsGeocoding: false }]);
		expect(preview.changed[0]!.match).toBe('vhe');
		expect(preview.changed[0]!.changes.map((c) => [c.field, c.from, c.to])).toEqual([
			['houseLetter', '', 'A'],
			['complexNumber', '104', '204'],
			['location', '51.830000, 5.860000', '51.830180, 5.860000']
		]);

		expect(await importRows([update])).toMatchObject({ added: 0, changed: 1, updated: 0 });
		expect((await byId()).get(unit.id)).toMatchObject({ houseLetter: null, lat: 51.83 });

		expect(await importRows([update], true)).toMatchObject({ added: 0, changed: 1, updated: 1 });
		const after = await byId();
		expect(after.size).toBe(2);
		expect(after.get(unit.id)).toMatchObject({
			houseNumber: 5,
			houseLetter: 'A',
			lat: 51.83018,
			complexNumber: '204',
			unitNumber: '1040005'
		});
	});

	it('sets aside a VHE number given twice in the file, and one that points at another door', async () => {
		await importRows([
			row({ line: 2, houseNumber: 9, unitNumber: '1040009' }),
			row({ line: 3, houseNumber: 11, unitNumber: '1040011' })
		]);
		const before = await byId();
		const result = await importRows(
			[
				// The same VHE at two new doors: neither is stored.
				row({ line: 2, houseNumber: 20, unitNumber: '1040020' }),
				row({ line: 3, houseNumber: 22, unitNumber: '1040020' }),
				// VHE of number 9 at the address of number 11: neither is touched.
				row({ line: 4, houseNumber: 11, unitNumber: '1040009', complexNumber: '999' }),
				// A plain new door is still stored.
				row({ line: 5, houseNumber: 30, unitNumber: '1040030' })
			],
			true
		);
		expect(result).toMatchObject({ added: 1, conflicts: 3, updated: 0, changed: 0, total: 3 });
		const after = await byId();
		for (const [id, a] of before) expect(after.get(id)).toEqual(a);
		expect([...after.values()].map((a) => a.houseNumber).sort((x, y) => x - y)).toEqual([
			9, 11, 30
		]);

		const preview = mergeImport(
			[...before.values()],
			[row({ line: 4, houseNumber: 11, unitNumber: '1040009' })].map((r) => ({
				...r,
				needsGeocoding: false
			}))
		);
		expect(preview.conflicts).toEqual([
			expect.objectContaining({
				kind: 'vhe-elsewhere',
				line: 4,
				vhe: '1040009',
				byVhe: expect.objectContaining({ houseNumber: 9 }),
				byKey: expect.objectContaining({ houseNumber: 11 })
			})
		]);
	});

	it('fills gaps as before, never makes "12A-A" of a letter given as toevoeging', async () => {
		await importRows([row({ line: 2, houseNumber: 12, houseLetter: 'A', complexNumber: null })]);
		const own = row({ line: 2, houseNumber: 12, addition: 'A', unitNumber: '1040012' });
		expect(await importRows([own])).toMatchObject({ added: 0, updated: 1, filled: 1, changed: 0 });
		const [stored] = await listAddresses(db, 'complex');
		expect(stored).toMatchObject({
			houseLetter: 'A',
			addition: null,
			complexNumber: '104',
			unitNumber: '1040012'
		});
	});

	it('fills nothing into an address that the file names differently, unless asked', async () => {
		await importRows([row({ line: 2, houseNumber: 14, unitNumber: '1040014', bagId: null })]);
		const moved = row({
			line: 2,
			houseNumber: 16,
			unitNumber: '1040014',
			bagId: '0268200000012345'
		});
		expect(await importRows([moved])).toMatchObject({ added: 0, updated: 0, changed: 1 });
		expect((await listAddresses(db, 'complex'))[0]).toMatchObject({ houseNumber: 14, bagId: null });
		await importRows([moved], true);
		expect((await listAddresses(db, 'complex'))[0]).toMatchObject({
			houseNumber: 16,
			bagId: '0268200000012345'
		});
	});
});
