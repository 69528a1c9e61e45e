import { describe, expect, it } from 'vitest';
import type { Address } from '../../../src/lib/geo/address';
import { decodeRegister, encodeRegister } from '../../../src/lib/geo/register';
import { generateDemo } from '../../../src/lib/demo/generate';

const a = (over: Partial<Address>): Address => ({
	id: 'a1',
	street: 'Sweelinckstraat',
	houseNumber: 12,
	houseLetter: null,
	addition: null,
	postcode: '6521AB',
	city: 'Nijmegen',
	lon: 5.8512345678901,
	lat: 51.8412345678901,
	bagId: null,
	complexNumber: null,
	unitNumber: null,
	...over
});

describe('the compact address register', () => {
	it('gives back exactly the addresses it was made of, in order', () => {
		const list = [
			a({}),
			a({ id: 'a2', houseLetter: 'A', addition: '2', bagId: '0268010000012345' }),
			a({
				id: 'a3',
				street: 'Händelstraat',
				postcode: null,
				city: null,
				complexNumber: '104',
				unitNumber: '1040001'
			})
		];
		const wire = JSON.parse(JSON.stringify(encodeRegister(list)));
		expect(decodeRegister(wire)).toEqual(list);
	});

	it('is smaller than the addresses as objects', () => {
		const { addresses } = generateDemo({ addresses: 5000, visitRate: 0, rounds: 1 });
		const compact = encodeRegister(addresses);
		expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(addresses).length * 0.7);
		expect(decodeRegister(JSON.parse(JSON.stringify(compact)))).toEqual(
			addresses.map((x) => ({ ...x, unitNumber: x.unitNumber ?? null }))
		);
	});

	it('refuses a format it does not know', () => {
		expect(() => decodeRegister({ v: 2 } as never)).toThrow();
	});
});
