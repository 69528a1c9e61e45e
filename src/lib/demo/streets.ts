import type { Address } from '../geo/address';
import type { Random } from './random';

/** Theme weights (by default theme id) of a street: what its households tend to talk about. */
export type ThemeWeights = Partial<Record<string, number>>;

export interface DemoStreet {
	name: string;
	postcode: string;
	from: [number, number];
	to: [number, number];
	count: number;
	/** Round 1 (before the works). */
	themes: ThemeWeights;
	/** Round 2 (after the works): what changed. */
	themesAfter: ThemeWeights;
	talents: Partial<Record<string, number>>;
}

/**
 * The Spoorbuurt (Hengstdal, Nijmegen-Oost): real street names, invented geometry and numbering.
 * Each street has its own mix of themes, so clusters show on the map: eenzaamheid and vergrijzing
 * in the Sweelinckstraat (less after the koffieochtend), groen and ontmoeting in the
 * Valeriusstraat (the front gardens), overlast and veiligheid in the Dunklerstraat (less after
 * the renovation).
 */
export const SPOORBUURT_STREETS: DemoStreet[] = [
	{
		name: 'Sweelinckstraat',
		postcode: '6521CA',
		from: [5.866, 51.83],
		to: [5.872, 51.833],
		count: 18,
		themes: { eenzaamheid: 6, vergrijzing: 5, 'contact-met-buren': 2 },
		themesAfter: { vergrijzing: 4, ontmoeting: 4, eenzaamheid: 2, 'contact-met-buren': 3 },
		talents: { koken: 3, 'luisterend oor': 3, breien: 2 }
	},
	{
		name: 'Dunklerstraat',
		postcode: '6521CB',
		from: [5.867, 51.829],
		to: [5.873, 51.8318],
		count: 17,
		themes: { overlast: 6, veiligheid: 5, participatie: 1 },
		themesAfter: { overlast: 2, veiligheid: 3, 'contact-met-buren': 3 },
		talents: { klussen: 4, 'fietsen repareren': 3 }
	},
	{
		name: 'Obrechtstraat',
		postcode: '6521CD',
		from: [5.868, 51.8322],
		to: [5.87, 51.836],
		count: 16,
		themes: { 'contact-met-buren': 5, participatie: 3, ontmoeting: 2 },
		themesAfter: { 'contact-met-buren': 4, participatie: 4, ontmoeting: 3 },
		talents: { computerhulp: 3, taalmaatje: 3, koken: 1 }
	},
	{
		name: 'Verhulststraat',
		postcode: '6521CE',
		from: [5.871, 51.8318],
		to: [5.8735, 51.8356],
		count: 16,
		themes: { vergrijzing: 5, eenzaamheid: 4, veiligheid: 2 },
		themesAfter: { vergrijzing: 5, eenzaamheid: 3, ontmoeting: 2 },
		talents: { 'luisterend oor': 3, boodschappen: 3 }
	},
	{
		name: 'Valeriusstraat',
		postcode: '6522BA',
		from: [5.874, 51.83],
		to: [5.88, 51.8325],
		count: 18,
		themes: { groen: 7, ontmoeting: 5, 'contact-met-buren': 1 },
		themesAfter: { groen: 8, ontmoeting: 6, participatie: 2 },
		talents: { 'groene vingers': 6, klussen: 2, muziek: 1 }
	},
	{
		name: 'Richard Holstraat',
		postcode: '6522BB',
		from: [5.8745, 51.8332],
		to: [5.8805, 51.8352],
		count: 17,
		themes: { groen: 4, participatie: 3, ontmoeting: 3 },
		themesAfter: { groen: 4, participatie: 4, ontmoeting: 4 },
		talents: { 'groene vingers': 4, muziek: 2, oppassen: 2 }
	},
	{
		name: 'Diepenbrockstraat',
		postcode: '6522BC',
		from: [5.8765, 51.8285],
		to: [5.879, 51.8338],
		count: 16,
		themes: { veiligheid: 4, overlast: 3, eenzaamheid: 2 },
		themesAfter: { veiligheid: 3, overlast: 2, 'contact-met-buren': 2 },
		talents: { klussen: 2, computerhulp: 2 }
	},
	{
		name: 'Willem Heijdtstraat',
		postcode: '6521CG',
		from: [5.8655, 51.8336],
		to: [5.869, 51.8372],
		count: 16,
		themes: { 'contact-met-buren': 4, ontmoeting: 3, groen: 2 },
		themesAfter: { 'contact-met-buren': 4, ontmoeting: 4, groen: 3 },
		talents: { oppassen: 3, koken: 2 }
	},
	{
		name: 'Wagenaarstraat',
		postcode: '6522BD',
		from: [5.8772, 51.8356],
		to: [5.8815, 51.8376],
		count: 16,
		themes: { participatie: 4, vergrijzing: 2, groen: 2 },
		themesAfter: { participatie: 5, groen: 3, ontmoeting: 2 },
		talents: { taalmaatje: 3, 'fietsen repareren': 2 }
	}
];

export function slug(text: string): string {
	return text
		.toLowerCase()
		.normalize('NFD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

function round7(n: number): number {
	return Math.round(n * 1e7) / 1e7;
}

/** Addresses along a street: odd numbers on one side, even on the other, ~12 m off its axis. */
export function streetAddresses(street: DemoStreet, complexNumber: string): Address[] {
	const [x0, y0] = street.from;
	const [x1, y1] = street.to;
	const len = Math.hypot(x1 - x0, (y1 - y0) * 1.6);
	const nx = (-(y1 - y0) * 1.6) / len;
	const ny = (x1 - x0) / len / 1.6;
	const perSide = Math.ceil(street.count / 2);
	const out: Address[] = [];
	for (let i = 0; i < street.count; i++) {
		const side = i % 2 === 0 ? 1 : -1;
		const t = (Math.floor(i / 2) + 0.5) / perSide;
		const houseNumber = i + 1;
		out.push({
			id: `${slug(street.name)}-${houseNumber}`,
			street: street.name,
			houseNumber,
			houseLetter: null,
			addition: null,
			postcode: street.postcode,
			city: 'Nijmegen',
			lon: round7(x0 + (x1 - x0) * t + side * nx * 0.00017),
			lat: round7(y0 + (y1 - y0) * t + side * ny * 0.00017),
			bagId: null,
			complexNumber
		});
	}
	return out;
}

/**
 * Streets for a board of `count` addresses: the Spoorbuurt's nine first, then more streets of 40
 * households laid out in a grid to the east (for benchmarks at 5,000 to 50,000 addresses), each
 * with the theme mix of one of the nine.
 */
export function demoStreets(count: number, random: Random): DemoStreet[] {
	const base = SPOORBUURT_STREETS.reduce((s, st) => s + st.count, 0);
	if (count <= base) return SPOORBUURT_STREETS;
	const streets = [...SPOORBUURT_STREETS];
	let left = count - base;
	let i = 0;
	const columns = Math.max(1, Math.ceil(Math.sqrt(left / 40)));
	while (left > 0) {
		const model = SPOORBUURT_STREETS[i % SPOORBUURT_STREETS.length]!;
		const n = Math.min(40, left);
		const col = i % columns;
		const row = Math.floor(i / columns);
		const lon0 = 5.885 + col * 0.0045;
		const lat0 = 51.826 + row * 0.0004;
		streets.push({
			...model,
			name: `${model.name.replace(/straat$/, '')}laan ${i + 1}`,
			postcode: `65${String(23 + (i % 70)).padStart(2, '0')}${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + random.int(0, 25))}`,
			from: [lon0, lat0],
			to: [lon0 + 0.004, lat0],
			count: n
		});
		left -= n;
		i++;
	}
	return streets;
}
