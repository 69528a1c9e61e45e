import type { AAddress } from '../../../src/lib/board/analysis';

/** Address `a<i>` on one street, its points 1e-4° apart. */
export const address = (i: number): AAddress => ({
	id: `a${i}`,
	street: 'Spoorstraat',
	houseNumber: i + 1,
	houseLetter: null,
	addition: null,
	postcode: null,
	lon: 5.8 + i * 1e-4,
	lat: 51.8
});
