/**
 * Finding an address among others the way duplicate merging sees it (see {@link addressKey}): by
 * postcode, number, letter and toevoeging, or, where one side has no postcode, by street, number,
 * letter and toevoeging in the same place. A file without postcodes thus finds the register's
 * addresses that have one, and the other way round.
 */
import { addressKey, sameArea, streetNumberKey, type AddressKeyParts } from './normalize';

export class AddressIndex<T extends AddressKeyParts> {
	private readonly byKey = new Map<string, T>();
	private readonly byStreet = new Map<string, T[]>();

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
		const list = this.byStreet.get(street);
		if (list) list.push(a);
		else this.byStreet.set(street, [a]);
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
		const candidates = (this.byStreet.get(street) ?? []).filter((c) => sameArea(c, a));
		return candidates.length === 1 ? candidates[0] : undefined;
	}

	has(a: AddressKeyParts): boolean {
		return this.find(a) !== undefined;
	}
}
