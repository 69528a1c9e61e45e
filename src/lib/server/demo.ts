import type { Address } from '../geo/address';
import type { BoardMeta } from '../board/meta';
import { createBoard, getBoard, insertAddresses } from './boards';
import type { Db } from './db';
import { setPublication } from './public/store';

export const DEMO_BOARD: BoardMeta = {
	id: 'spoorbuurt',
	name: 'Spoorbuurt',
	centerLon: 5.8735,
	centerLat: 51.8328,
	zoom: 15.5
};

/**
 * Invented streets of the Spoorbuurt (Hengstdal, Nijmegen-Oost): real street names, plausible
 * but made-up geometry and numbering. Odd numbers on one side of the street, even on the other.
 */
const STREETS: {
	name: string;
	postcode: string;
	from: [number, number];
	to: [number, number];
	count: number;
}[] = [
	{
		name: 'Sweelinckstraat',
		postcode: '6521CA',
		from: [5.866, 51.83],
		to: [5.872, 51.833],
		count: 18
	},
	{
		name: 'Dunklerstraat',
		postcode: '6521CB',
		from: [5.867, 51.829],
		to: [5.873, 51.8318],
		count: 17
	},
	{
		name: 'Obrechtstraat',
		postcode: '6521CD',
		from: [5.868, 51.8322],
		to: [5.87, 51.836],
		count: 16
	},
	{
		name: 'Verhulststraat',
		postcode: '6521CE',
		from: [5.871, 51.8318],
		to: [5.8735, 51.8356],
		count: 16
	},
	{
		name: 'Valeriusstraat',
		postcode: '6522BA',
		from: [5.874, 51.83],
		to: [5.88, 51.8325],
		count: 18
	},
	{
		name: 'Richard Holstraat',
		postcode: '6522BB',
		from: [5.8745, 51.8332],
		to: [5.8805, 51.8352],
		count: 17
	},
	{
		name: 'Diepenbrockstraat',
		postcode: '6522BC',
		from: [5.8765, 51.8285],
		to: [5.879, 51.8338],
		count: 16
	},
	{
		name: 'Willem Heijdtstraat',
		postcode: '6521CG',
		from: [5.8655, 51.8336],
		to: [5.869, 51.8372],
		count: 16
	},
	{
		name: 'Wagenaarstraat',
		postcode: '6522BD',
		from: [5.8772, 51.8356],
		to: [5.8815, 51.8376],
		count: 16
	}
];

function slug(text: string): string {
	return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** About 150 households along the demo streets, deterministic so every install looks the same. */
export function demoAddresses(): Address[] {
	const addresses: Address[] = [];
	for (const street of STREETS) {
		const [x0, y0] = street.from;
		const [x1, y1] = street.to;
		// Offset each side of the street by ~12 m perpendicular to it (in degrees, roughly).
		const len = Math.hypot(x1 - x0, (y1 - y0) * 1.6);
		const nx = (-(y1 - y0) * 1.6) / len;
		const ny = (x1 - x0) / len / 1.6;
		const perSide = Math.ceil(street.count / 2);
		for (let i = 0; i < street.count; i++) {
			const side = i % 2 === 0 ? 1 : -1;
			const t = (Math.floor(i / 2) + 0.5) / perSide;
			const houseNumber = i + 1;
			addresses.push({
				id: `${slug(street.name)}-${houseNumber}`,
				street: street.name,
				houseNumber,
				houseLetter: null,
				addition: null,
				postcode: street.postcode,
				city: 'Nijmegen',
				lon: round(x0 + (x1 - x0) * t + side * nx * 0.00017),
				lat: round(y0 + (y1 - y0) * t + side * ny * 0.00017),
				bagId: null,
				complexNumber: 'SPB-01'
			});
		}
	}
	return addresses;
}

function round(n: number): number {
	return Math.round(n * 1e7) / 1e7;
}

/** Creates the demo board with its addresses unless it exists. Returns whether it created it. */
export async function ensureDemoBoard(db: Db): Promise<boolean> {
	if (await getBoard(db, DEMO_BOARD.id)) return false;
	await db.transaction(async (tx) => {
		await createBoard(tx, DEMO_BOARD);
		await insertAddresses(tx, DEMO_BOARD.id, demoAddresses());
		// The demo shows the public resident pages (/buurt/spoorbuurt); new boards start unpublished.
		await setPublication(tx, DEMO_BOARD.id, { published: true, k: 5, streets: null });
	});
	return true;
}
