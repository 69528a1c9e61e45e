import type { Address } from '../geo/address';
import type { BoardMeta } from '../board/meta';
import type { Queryable } from './db';

interface BoardRow {
	id: string;
	name: string;
	center_lon: number;
	center_lat: number;
	zoom: number;
}

interface AddressRow {
	id: string;
	street: string;
	house_number: number;
	house_letter: string | null;
	addition: string | null;
	postcode: string | null;
	city: string | null;
	lon: number;
	lat: number;
	bag_id: string | null;
	complex_number: string | null;
	unit_number: string | null;
}

export async function getBoard(db: Queryable, id: string): Promise<BoardMeta | null> {
	const [row] = await db.query<BoardRow>(
		'select id, name, center_lon, center_lat, zoom from public.boards where id = $1',
		[id]
	);
	return row
		? {
				id: row.id,
				name: row.name,
				centerLon: row.center_lon,
				centerLat: row.center_lat,
				zoom: row.zoom
			}
		: null;
}

export async function listBoards(db: Queryable): Promise<BoardMeta[]> {
	const rows = await db.query<BoardRow>(
		'select id, name, center_lon, center_lat, zoom from public.boards order by name'
	);
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		centerLon: row.center_lon,
		centerLat: row.center_lat,
		zoom: row.zoom
	}));
}

/** The boards a user is a member of, with their role. */
export async function listBoardsFor(
	db: Queryable,
	userId: string
): Promise<(BoardMeta & { role: string })[]> {
	const rows = await db.query<BoardRow & { role: string }>(
		`select b.id, b.name, b.center_lon, b.center_lat, b.zoom, m.role
		 from public.boards b join public.board_members m on m.board_id = b.id
		 where m.user_id = $1
		 order by b.name`,
		[userId]
	);
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		centerLon: row.center_lon,
		centerLat: row.center_lat,
		zoom: row.zoom,
		role: row.role
	}));
}

export async function createBoard(db: Queryable, board: BoardMeta): Promise<void> {
	await db.query(
		'insert into public.boards (id, name, center_lon, center_lat, zoom) values ($1, $2, $3, $4, $5)',
		[board.id, board.name, board.centerLon, board.centerLat, board.zoom]
	);
}

const ADDRESS_COLUMNS = [
	'id',
	'street',
	'house_number',
	'house_letter',
	'addition',
	'postcode',
	'city',
	'lon',
	'lat',
	'bag_id',
	'complex_number',
	'unit_number'
] as const;

/** Column types for reading a batch of addresses from one JSON parameter. */
const ADDRESS_RECORD = ADDRESS_COLUMNS.map(
	(c) =>
		`${c} ${c === 'house_number' ? 'integer' : c === 'lon' || c === 'lat' ? 'double precision' : 'text'}`
).join(', ');

/**
 * Inserts addresses in batches of 5,000, each batch one JSON parameter read with
 * `jsonb_to_recordset`: a 50,000-row import is 10 statements with 2 parameters each, where one
 * parameter per value (500 rows a statement) took PGlite ~20 s.
 */
export async function insertAddresses(
	db: Queryable,
	boardId: string,
	addresses: Address[]
): Promise<void> {
	for (let start = 0; start < addresses.length; start += 5000) {
		const batch = addresses.slice(start, start + 5000).map((a) => ({
			id: a.id,
			street: a.street,
			house_number: a.houseNumber,
			house_letter: a.houseLetter,
			addition: a.addition,
			postcode: a.postcode,
			city: a.city,
			lon: a.lon,
			lat: a.lat,
			bag_id: a.bagId,
			complex_number: a.complexNumber,
			unit_number: a.unitNumber ?? null
		}));
		await db.query(
			`insert into public.addresses (board_id, ${ADDRESS_COLUMNS.join(', ')})
			 select $1, ${ADDRESS_COLUMNS.join(', ')}
			 from jsonb_to_recordset($2::text::jsonb) as r(${ADDRESS_RECORD})`,
			[boardId, JSON.stringify(batch)]
		);
	}
}

export async function listAddresses(db: Queryable, boardId: string): Promise<Address[]> {
	const rows = await db.query<AddressRow>(
		`select ${ADDRESS_COLUMNS.join(', ')} from public.addresses
		 where board_id = $1 order by street, house_number, house_letter nulls first, addition nulls first`,
		[boardId]
	);
	return rows.map((r) => ({
		id: r.id,
		street: r.street,
		houseNumber: r.house_number,
		houseLetter: r.house_letter,
		addition: r.addition,
		postcode: r.postcode,
		city: r.city,
		lon: r.lon,
		lat: r.lat,
		bagId: r.bag_id,
		complexNumber: r.complex_number,
		unitNumber: r.unit_number
	}));
}
