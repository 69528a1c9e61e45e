import { createHash, randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import type { Db, Queryable } from '../db';
import { getBoard } from '../boards';
import { UpdateStore } from '../sync/store';
import {
	computeProjection,
	streetsOf,
	type ProjectionAddress,
	type PublicInitiatief,
	type PublicProjection,
	type StreetSignal
} from '../../privacy/projection';
import { PublishGate, type CellBasis } from '../../privacy/publish-gate';
import { approvedTexts, approvedThemeNames, forgetDeleted } from './reviews';
import { initiatievenMap } from '../../board/initiatieven';
import { effectiveK } from '../../privacy/suppress';
import { isBoardId } from '../../board/meta';

/**
 * The public projection in Postgres (public.public_boards, street_signals, public_initiatives) and
 * the owners' publication settings (public.board_publication). The public pages read only this,
 * through `readPublicBoard`, never the board document. Written by `refreshProjection` (called
 * debounced when a board document is stored, see projector.ts, and when an owner changes the
 * settings). A process-wide cache of the published projection keeps the pages fast; every write
 * here clears it, so unpublishing takes effect at once.
 */

export interface Publication {
	published: boolean;
	k: number;
	/** Published street names; null for all. */
	streets: string[] | null;
}

export interface PublicBoard {
	id: string;
	name: string;
	centerLon: number;
	centerLat: number;
	zoom: number;
	k: number;
	version: string;
	streets: StreetSignal[];
	initiatives: PublicInitiatief[];
}

const DEFAULT: Publication = { published: false, k: 5, streets: null };

export async function getPublication(db: Queryable, boardId: string): Promise<Publication> {
	const [row] = await db.query<{ published: boolean; min_group: number; streets: string[] | null }>(
		'select published, min_group, streets from public.board_publication where board_id = $1',
		[boardId]
	);
	return row ? { published: row.published, k: row.min_group, streets: row.streets } : DEFAULT;
}

export async function setPublication(
	db: Queryable,
	boardId: string,
	p: Publication
): Promise<void> {
	await db.query(
		`insert into public.board_publication (board_id, published, min_group, streets, updated_at)
		 values ($1, $2, $3, $4, now())
		 on conflict (board_id) do update
		 set published = excluded.published, min_group = excluded.min_group,
		     streets = excluded.streets, updated_at = now()`,
		[boardId, p.published, effectiveK(p.k), p.streets]
	);
	cache.delete(boardId);
}

export async function projectionAddresses(
	db: Queryable,
	boardId: string
): Promise<ProjectionAddress[]> {
	return db.query<ProjectionAddress>(
		'select id, street, lon, lat from public.addresses where board_id = $1',
		[boardId]
	);
}

/** The street names of a board (for the settings page). */
export async function boardStreets(db: Queryable, boardId: string): Promise<string[]> {
	return streetsOf(await projectionAddresses(db, boardId)).map((s) => s.name);
}

/** Reads a board document from storage without joining its room (read only). */
export async function loadStoredDocument(db: Db, boardId: string): Promise<Y.Doc> {
	const doc = new Y.Doc({ gc: true });
	const rows = await new UpdateStore(db).load(boardId);
	Y.transact(doc, () => {
		for (const row of rows) Y.applyUpdate(doc, row.data);
	});
	return doc;
}

/** The publish gate's hash (privacy/publish-gate.ts): 96 bits of SHA-256. */
function gateHash(text: string): string {
	return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/**
 * Recomputes a board's public projection from its document (or its stored state) and replaces the
 * stored projection in one transaction. A street's round changes only when at least k households
 * changed in it since it was last published (publish-gate.ts): the basis row is locked for the
 * transaction, so recomputations (also of other processes) take their turns and each is compared
 * with the last one stored. Boards that are not published keep no projection and no basis.
 */
export async function refreshProjection(db: Db, boardId: string, doc?: Y.Doc): Promise<void> {
	const board = await getBoard(db, boardId);
	if (!board) return;
	// With the live document: approvals of initiatieven deleted from it go (reviews.ts). A deleted
	// map entry stays in Yjs's map as a deleted item; an id it has never seen is not there at all.
	if (doc) {
		const entries = initiatievenMap(doc)._map;
		await forgetDeleted(db, boardId, (id) => entries.get(id)?.deleted === true);
	}
	const publication = await getPublication(db, boardId);
	if (!publication.published) {
		await db.transaction(async (tx) => {
			for (const table of [
				'street_signals',
				'public_initiatives',
				'public_boards',
				'publication_basis'
			]) {
				await tx.query(`delete from public.${table} where board_id = $1`, [boardId]);
			}
		});
		cache.delete(boardId);
		return;
	}
	const addresses = await projectionAddresses(db, boardId);
	const own = doc ? null : await loadStoredDocument(db, boardId);
	try {
		await db.transaction(async (tx) => {
			await tx.query(
				`insert into public.publication_basis (board_id, salt) values ($1, $2)
				 on conflict (board_id) do nothing`,
				[boardId, randomBytes(18).toString('base64url')]
			);
			const [basis] = await tx.query<{ salt: string; cells: Record<string, CellBasis> }>(
				'select salt, cells from public.publication_basis where board_id = $1 for update',
				[boardId]
			);
			const previous = await tx.query<{ street: string; rounds: StreetSignal['rounds'] }>(
				'select street, rounds from public.street_signals where board_id = $1',
				[boardId]
			);
			const gate = new PublishGate(
				basis!,
				new Map(previous.map((p) => [p.street, p.rounds])),
				effectiveK(publication.k),
				gateHash
			);
			const approved = await approvedTexts(tx, boardId);
			const themeNames = new Map(
				[...(await approvedThemeNames(tx, boardId))].map(([id, { name }]) => [id, name])
			);
			const projection = computeProjection(doc ?? own!, addresses, publication, approved, {
				gate,
				themeNames
			});
			await writeProjection(tx, boardId, board, projection);
			await tx.query(
				`update public.publication_basis set cells = $2::text::jsonb, updated_at = now()
				 where board_id = $1`,
				[boardId, JSON.stringify(gate.next)]
			);
		});
	} finally {
		own?.destroy();
	}
	cache.delete(boardId);
}

async function writeProjection(
	tx: Queryable,
	boardId: string,
	board: NonNullable<Awaited<ReturnType<typeof getBoard>>>,
	projection: PublicProjection
): Promise<void> {
	const version = createHash('sha256')
		.update(JSON.stringify([board, projection]))
		.digest('base64url')
		.slice(0, 16);
	await tx.query(
		`insert into public.public_boards
			   (board_id, name, center_lon, center_lat, zoom, min_group, version, updated_at)
			 values ($1, $2, $3, $4, $5, $6, $7, now())
			 on conflict (board_id) do update
			 set name = excluded.name, center_lon = excluded.center_lon, center_lat = excluded.center_lat,
			     zoom = excluded.zoom, min_group = excluded.min_group, version = excluded.version,
			     updated_at = now()`,
		[boardId, board.name, board.centerLon, board.centerLat, board.zoom, projection.k, version]
	);
	await tx.query('delete from public.street_signals where board_id = $1', [boardId]);
	await tx.query(
		`insert into public.street_signals (board_id, slug, street, lon, lat, rounds)
			 select $1, s.slug, s.street, s.lon, s.lat, s.rounds
			 from jsonb_to_recordset($2::text::jsonb)
			   as s(slug text, street text, lon double precision, lat double precision, rounds jsonb)`,
		[boardId, JSON.stringify(projection.streets)]
	);
	await tx.query('delete from public.public_initiatives where board_id = $1', [boardId]);
	await tx.query(
		`insert into public.public_initiatives (board_id, id, title, description, status, themes,
			   start_date, public_contact, place_street, lon, lat, exact, street_slugs, created_at)
			 select $1, i.id, i.title, i.description, i.status, i.themes, i."startDate",
			   i."publicContact", i."placeStreet", i.lon, i.lat, i.exact,
			   array(select jsonb_array_elements_text(i."streetSlugs")), i."createdAt"
			 from jsonb_to_recordset($2::text::jsonb)
			   as i(id text, title text, description text, status text, themes jsonb, "startDate" date,
			        "publicContact" text, "placeStreet" text, lon double precision,
			        lat double precision, exact boolean, "streetSlugs" jsonb, "createdAt" text)`,
		[boardId, JSON.stringify(projection.initiatives)]
	);
}

/**
 * Published boards' projections as last read, by board id: cleared by every write above, and read
 * again after {@link PUBLIC_CACHE_TTL_MS} whatever happened. Other processes (REDIS_URL) and the
 * Supabase API write the same tables without this process knowing; an unpublished board thus
 * leaves every process's public pages within that time (an erased household's part of a street's
 * numbers goes with the street's next publication, publish-gate.ts). On globalThis: the
 * SvelteKit bundle (the pages) and the server entry (the sync hooks that write) are separate
 * module graphs in one process (see runtime.ts).
 *
 * Only published boards stay: an id that is not one (any anonymous visitor can ask for
 * /buurt/<anything>) is never looked up, and a board found not published is forgotten as soon as
 * the answer is in (requests waiting for the same answer share it). So the cache holds at most one
 * entry per published board, plus the lookups in flight; before, every id asked for stayed for
 * good (6,000 requests with random 4 kB ids: +109 MB of heap).
 */
export const PUBLIC_CACHE_TTL_MS = 1000;
interface CacheEntry {
	at: number;
	board: Promise<PublicBoard | null>;
}
const CACHE = Symbol.for('buurtbord.publicProjections');
const cache: Map<string, CacheEntry> = ((
	globalThis as typeof globalThis & { [CACHE]?: Map<string, CacheEntry> }
)[CACHE] ??= new Map());

/** Forgets cached projections (tests that write the tables themselves). */
export function clearPublicCache(): void {
	cache.clear();
}

/** How many boards the cache holds now (tests: it stays bounded whatever ids are asked for). */
export function publicCacheSize(): number {
	return cache.size;
}

/**
 * The public projection of a published board, or null (not published, no such board, or not a
 * board id at all): the only data the public pages get. Computed on first read when a published
 * board has none yet.
 */
export function readPublicBoard(db: Db, boardId: string): Promise<PublicBoard | null> {
	// Not a board id (a NUL byte, a path trick, 4 kB of text): no such board, and not a question
	// for the database (PostgreSQL refuses a NUL byte in text with an error, 22021).
	if (!isBoardId(boardId)) return Promise.resolve(null);
	const now = performance.now();
	let entry = cache.get(boardId);
	if (!entry || now - entry.at >= PUBLIC_CACHE_TTL_MS) {
		const fresh: CacheEntry = { at: now, board: readFromDb(db, boardId) };
		cache.set(boardId, fresh);
		const forget = () => {
			if (cache.get(boardId) === fresh) cache.delete(boardId);
		};
		fresh.board.then((board) => {
			if (!board) forget();
		}, forget);
		entry = fresh;
	}
	return entry.board;
}

interface PublicBoardRow {
	name: string;
	center_lon: number;
	center_lat: number;
	zoom: number;
	min_group: number;
	version: string;
}

async function readFromDb(db: Db, boardId: string, computed = false): Promise<PublicBoard | null> {
	if (!(await getPublication(db, boardId)).published) return null;
	const [board] = await db.query<PublicBoardRow>(
		`select name, center_lon, center_lat, zoom, min_group, version
		 from public.public_boards where board_id = $1`,
		[boardId]
	);
	if (!board) {
		if (computed) return null;
		await refreshProjection(db, boardId);
		return readFromDb(db, boardId, true);
	}
	const streets = await db.query<StreetSignal>(
		`select slug, street, lon, lat, rounds from public.street_signals
		 where board_id = $1 order by street`,
		[boardId]
	);
	const initiatives = await db.query<PublicInitiatief>(
		`select id, title, description, status, themes, to_char(start_date, 'YYYY-MM-DD') as "startDate",
		   public_contact as "publicContact", place_street as "placeStreet", lon, lat, exact,
		   street_slugs as "streetSlugs", created_at as "createdAt"
		 from public.public_initiatives where board_id = $1 order by created_at, id`,
		[boardId]
	);
	return {
		id: boardId,
		name: board.name,
		centerLon: board.center_lon,
		centerLat: board.center_lat,
		zoom: board.zoom,
		k: board.min_group,
		version: board.version,
		streets,
		initiatives
	};
}
