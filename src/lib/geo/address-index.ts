/**
 * Finding an address among others the way duplicate merging sees it (see {@link addressKey}): by
 * postcode, number, letter and toevoeging, or, where one side has no postcode, by street, number,
 * letter and toevoeging in the same place. A file without postcodes thus finds the register's
 * addresses that have one, and the other way round.
 */
import {
	addressKey,
	postcodeKey,
	sameArea,
	streetNumberKey,
	type AddressKeyParts
} from './normalize';

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

export class AddressIndex<T extends AddressKeyParts> {
	private readonly byKey = new Map<string, T>();
	/** By street, number, letter and toevoeging: every address. */
	private readonly byStreet = new Map<string, T[]>();
	/**
	 * The same, only those without a postcode: all that an address with a postcode can match
	 * besides its key (two postcodes that agree give the same key). A region's file where one
	 * street and number recur under many postcodes thus stays linear, not quadratic.
	 */
	private readonly byStreetWithoutPostcode = new Map<string, T[]>();

	constructor(addresses: Iterable<T> = []) {
		for (const a of addresses) this.add(a);
	}

	/** Adds an address; one with the key of an earlier one is not added (the earlier one wins). */
	add(a: T): void {
		const key = addressKey(a);
		if (this.byKey.has(key)) return;
		this.byKey.set(key, a);
		const street = streetNumberKey(a);
		if (street === null) return;
		push(this.byStreet, street, a);
		if (postcodeKey(a) === '') push(this.byStreetWithoutPostcode, street, a);
	}

	/**
	 * The address `a` is, if any: the one with its key, else the only one with its street, number,
	 * letter and toevoeging whose postcode and place do not contradict it (none when several could be).
	 */
	find(a: AddressKeyParts): T | undefined {
		const exact = this.byKey.get(addressKey(a));
		if (exact) return exact;
		const street = streetNumberKey(a);
		if (street === null) return undefined;
		const among = postcodeKey(a) === '' ? this.byStreet : this.byStreetWithoutPostcode;
		let found: T | undefined;
		for (const c of among.get(street) ?? []) {
			if (!sameArea(c, a)) continue;
			if (found) return undefined;
			found = c;
		}
		return found;
	}

	has(a: AddressKeyParts): boolean {
		return this.find(a) !== undefined;
	}
}
