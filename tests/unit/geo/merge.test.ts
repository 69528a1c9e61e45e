import { describe, expect, it } from 'vitest';
import type { Address } from '../../../src/lib/geo/address';
import type { ImportedAddress } from '../../../src/lib/geo/import';
import { dedupeImport, mergeImport } from '../../../src/lib/geo/merge';
import { importCsv } from '../../../src/lib/geo/csv-import';

function row(line: number, over: Partial<ImportedAddress>): ImportedAddress {
	return {
		line,
		street: 'Sweelinckstraat',
		houseNumber: 12,
		houseLetter: null,
		addition: null,
		postcode: '6521CA',
		city: null,
		lon: null,
		lat: null,
		bagId: null,
		complexNumber: null,
		needsGeocoding: true,
		...over
	};
}

describe('duplicate merging within one import', () => {
	it('merges same postcode + number + letter + toevoeging, case-insensitively; later fields fill gaps', () => {
		const result = dedupeImport([
			row(2, { houseLetter: 'A', addition: 'bis' }),
			row(3, {
				houseLetter: 'a',
				addition: 'BIS',
				city: 'Nijmegen',
				lon: 5.87,
				lat: 51.83,
				needsGeocoding: false
			}),
			row(4, { houseLetter: 'A', addition: 'bis', city: 'Elders', complexNumber: '104' }),
			row(5, { houseLetter: 'B' }),
			row(6, { houseLetter: 'A', addition: '2' }),
			row(7, { houseNumber: 13 })
		]);
		expect(result.merged).toBe(2);
		expect(result.rows.map((r) => r.line)).toEqual([2, 5, 6, 7]);
		expect(result.rows[0]).toMatchObject({
			city: 'Nijmegen', // the first non-empty value wins, "Elders" does not overwrite it
			complexNumber: '104',
			lon: 5.87,
			lat: 51.83,
			needsGeocoding: false
		});
		expect(result.mergedLines.get(2)).toEqual([3, 4]);
	});

	it('merges a real CSV with "6521 ca" and "6521CA" for the same door', async () => {
		const csv = [
			'straat;huisnummer;huisletter;postcode;complexnummer',
			'Sweelinckstraat;12a;;6521 ca;',
			'Sweelinckstraat;12A;;6521CA;C-104',
			'Sweelinckstraat;12;A;6521Ca;',
			'Sweelinckstraat;12a-1;;6521CA;'
		].join('\n');
		const { rows } = await importCsv(csv);
		const { rows: unique, merged } = dedupeImport(rows);
		expect(merged).toBe(2);
		expect(unique.map((r) => [r.line, r.complexNumber])).toEqual([
			[2, 'C-104'],
			[5, null]
		]);
	});

	it('does not mutate its input', () => {
		const input = [row(2, {}), row(3, { city: 'Nijmegen' })];
		dedupeImport(input);
		expect(input[0]!.city).toBeNull();
	});
});

describe('merging into an existing register', () => {
	const existing: Address[] = [
		{
			id: 'a1',
			street: 'Sweelinckstraat',
			houseNumber: 12,
			houseLetter: null,
			addition: null,
			postcode: '6521CA',
			city: 'Nijmegen',
			lon: 5.871,
			lat: 51.832,
			bagId: null,
			complexNumber: null
		},
		{
			id: 'a2',
			street: 'Dunklerstraat',
			houseNumber: 3,
			houseLetter: null,
			addition: null,
			postcode: '6521CB',
			city: 'Nijmegen',
			lon: 5.872,
			lat: 51.833,
			bagId: '0268200000000003',
			complexNumber: 'C-1'
		}
	];

	it('fills gaps of existing addresses, adds new ones and counts merges', () => {
		const result = mergeImport(existing, [
			row(2, { postcode: '6521 ca', bagId: '0268200000000012', city: 'Elders', lon: 1, lat: 2 }),
			row(3, { street: 'Dunklerstraat', houseNumber: 3, postcode: '6521CB', complexNumber: 'C-9' }),
			row(4, { houseNumber: 14 }),
			row(5, { houseNumber: 14, complexNumber: 'C-2' })
		]);
		expect(result.mergedWithinImport).toBe(1);
		expect(result.mergedWithExisting).toBe(2);
		expect(result.merged).toBe(3);
		expect(result.added).toEqual([
			expect.objectContaining({ line: 4, houseNumber: 14, complexNumber: 'C-2' })
		]);
		expect(result.updated).toEqual([
			{
				address: { ...existing[0]!, bagId: '0268200000000012' },
				filled: ['bagId']
			}
		]);
		// The register's own values (city, coordinates, complexnummer C-1) are kept.
		expect(existing[0]!.bagId).toBeNull();
	});
});

describe('a re-import finding its stored address', () => {
	const stored = (id: string, over: Partial<Address>): Address => ({
		id,
		street: 'Sweelinckstraat',
		houseNumber: 12,
		houseLetter: null,
		addition: null,
		postcode: '6521CA',
		city: 'Nijmegen',
		lon: 5.87,
		lat: 51.83,
		bagId: null,
		complexNumber: null,
		unitNumber: null,
		...over
	});

	it('takes another postcode for the same door only when the place is known and one door fits', () => {
		const corrected = row(2, { postcode: '6521CB', city: 'Nijmegen' });
		// One Sweelinckstraat 12 in Nijmegen: the same door under a corrected postcode.
		expect(mergeImport([stored('a', {})], [corrected])).toMatchObject({
			added: [],
			changed: [{ match: 'moved', changes: [{ field: 'postcode', from: '6521CA', to: '6521CB' }] }]
		});
		// Another place, no place in the file, or two such doors in the register: a new door.
		expect(mergeImport([stored('a', { city: 'Arnhem' })], [corrected]).added).toHaveLength(1);
		expect(mergeImport([stored('a', {})], [{ ...corrected, city: null }]).added).toHaveLength(1);
		const two = [stored('a', {}), stored('b', { postcode: '6521CC' })];
		expect(mergeImport(two, [corrected]).added).toHaveLength(1);
		// Another postcode area (a village of the same municipality with the same street): new.
		expect(
			mergeImport([stored('a', {})], [row(2, { postcode: '6522CB', city: 'Nijmegen' })]).added
		).toHaveLength(1);
		// Two lines of the file under two new postcodes: neither is the stored door.
		const both = [corrected, row(3, { postcode: '6521CD', city: 'Nijmegen' })];
		expect(mergeImport([stored('a', {})], both)).toMatchObject({
			changed: [],
			mergedWithExisting: 0
		});
		expect(mergeImport([stored('a', {})], both).added).toHaveLength(2);
		// The file lists the old and the corrected postcode: the old one is the stored door.
		const old = [corrected, row(3, { city: 'Nijmegen' })];
		expect(mergeImport([stored('a', {})], old)).toMatchObject({
			changed: [],
			mergedWithExisting: 1
		});
	});

	it('matches by VHE only when one stored address has it, and counts a moved point from 1 m', () => {
		const shared = [
			stored('a', { unitNumber: 'V1' }),
			stored('b', { houseNumber: 14, unitNumber: 'V1' })
		];
		// VHE V1 is on two stored addresses: the row is matched by its address (14).
		const byKey = mergeImport(shared, [row(2, { houseNumber: 14, unitNumber: 'v 1' })]);
		expect(byKey.changed).toEqual([]);
		expect(byKey.mergedWithExisting).toBe(1);
		const near = { lon: 5.87, lat: 51.83 + 0.5 / 111_320, needsGeocoding: false };
		const far = { lon: 5.87, lat: 51.83 + 5 / 111_320, needsGeocoding: false };
		expect(mergeImport([stored('a', {})], [row(2, near)]).changed).toEqual([]);
		expect(mergeImport([stored('a', {})], [row(2, far)]).changed[0]!.changes[0]!.field).toBe(
			'location'
		);
		// Applied only when asked; the id stays.
		const applied = mergeImport([stored('a', {})], [row(2, far)], { updateChanged: true });
		expect(applied.updated[0]!.address).toMatchObject({ id: 'a', lat: far.lat });
	});

	it('takes a VHE number on another street under another postcode for another dwelling', () => {
		const register = [stored('a', { unitNumber: '1040001' })];
		// Another corporation's numbering: Händelstraat 1 is a new door, not Sweelinckstraat 12.
		const other = row(2, {
			street: 'Händelstraat',
			houseNumber: 1,
			postcode: '6521CH',
			unitNumber: '1040001'
		});
		expect(mergeImport(register, [other])).toMatchObject({ changed: [], conflicts: [] });
		expect(mergeImport(register, [other]).added).toHaveLength(1);
		// The street renamed under the same postcode is still the same dwelling.
		const renamed = row(2, { street: 'Sweelinckplein', unitNumber: '1040001' });
		expect(mergeImport(register, [renamed]).changed[0]).toMatchObject({
			match: 'vhe',
			changes: [{ field: 'street', from: 'Sweelinckstraat', to: 'Sweelinckplein' }]
		});
	});
});
