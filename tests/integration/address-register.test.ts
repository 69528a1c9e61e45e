import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Address } from '../../src/lib/geo/address';
import { decodeRegister, type CompactRegister } from '../../src/lib/geo/register';
import { createBoard, insertAddresses, listAddresses } from '../../src/lib/server/boards';
import type { Db } from '../../src/lib/server/db';
import { registerJson } from '../../src/lib/server/register';
import { migratedDb } from '../support/db';
import { DRIVERS } from '../support/drivers';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/**
 * The board's address register from its own endpoint (issue 10, "Performance"): the board page
 * loads it next to the map instead of inside its page data. Members only, only the register's
 * own fields, compressed, and revalidated with an ETag.
 */
describe('the address register endpoint', () => {
	let seeded: SeededServer<'viewer' | 'stranger'>;
	const url = () => `${seeded.server.url}/boards/spoorbuurt/adressen.json`;

	beforeAll(async () => {
		seeded = await startSeededServer(
			{},
			{
				viewer: { org: 'Woonwaarts', boards: { spoorbuurt: 'viewer' } },
				stranger: { org: 'Elders' }
			}
		);
	});
	afterAll(async () => {
		await seeded.server.stop('SIGKILL');
	});

	it('is refused to whoever is not signed in or not a member', async () => {
		expect((await fetch(url())).status).toBe(401);
		const stranger = await fetch(url(), { headers: { cookie: seeded.users.stranger.cookie } });
		// Like the board's pages: a board one is not a member of does not exist for one.
		expect(stranger.status).toBe(404);
		expect(await stranger.text()).not.toContain('straat');
	});

	it("gives a member the board's addresses with only the register's fields", async () => {
		const response = await fetch(url(), { headers: { cookie: seeded.users.viewer.cookie } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		expect(response.headers.get('cache-control')).toBe('private, no-cache');
		const addresses = decodeRegister((await response.json()) as CompactRegister);
		expect(addresses.length).toBeGreaterThan(50);
		const fields = new Set(addresses.flatMap((a) => Object.keys(a)));
		expect([...fields].sort()).toEqual(
			[
				'addition',
				'bagId',
				'city',
				'complexNumber',
				'houseLetter',
				'houseNumber',
				'id',
				'lat',
				'lon',
				'postcode',
				'street',
				'unitNumber'
			].sort()
		);
	});

	it('is sent compressed as the client accepts', async () => {
		for (const encoding of ['br', 'gzip']) {
			const response = await fetch(url(), {
				headers: { cookie: seeded.users.viewer.cookie, 'accept-encoding': encoding }
			});
			expect(response.headers.get('content-encoding')).toBe(encoding);
			// fetch undoes the encoding: what arrives is the register.
			expect(decodeRegister((await response.json()) as CompactRegister).length).toBeGreaterThan(50);
		}
	});

	it('costs a 304 without a body when the copy one has is current', async () => {
		const headers = { cookie: seeded.users.viewer.cookie };
		const first = await fetch(url(), { headers });
		const etag = first.headers.get('etag');
		expect(etag).toMatch(/^W\/".+"$/);
		await first.arrayBuffer();
		const again = await fetch(url(), { headers: { ...headers, 'if-none-match': etag! } });
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
		const other = await fetch(url(), { headers: { ...headers, 'if-none-match': 'W/"other"' } });
		expect(other.status).toBe(200);
		await other.arrayBuffer();
	});

	it('is no longer part of the board page, whose data stays small', async () => {
		const data = await fetch(`${seeded.server.url}/boards/spoorbuurt/__data.json`, {
			headers: { cookie: seeded.users.viewer.cookie }
		});
		expect(data.status).toBe(200);
		const text = await data.text();
		expect(text).not.toContain('houseNumber');
		expect(text.length).toBeLessThan(20_000);
	});
});

describe.each(DRIVERS)('the register built by the database on %s', (driver) => {
	let db: Db;
	beforeEach(async () => {
		db = await migratedDb(driver);
		await createBoard(db, { id: 'reg', name: 'Reg', centerLon: 5.86, centerLat: 51.83, zoom: 15 });
	});
	afterEach(async () => {
		await db.close();
	});

	it('holds exactly what listAddresses reads, in its order', async () => {
		const base = { postcode: '6521AB', city: 'Nijmegen', bagId: null, complexNumber: null };
		const list: Address[] = [
			{
				...base,
				id: 'z',
				street: 'Händelstraat',
				houseNumber: 2,
				houseLetter: null,
				addition: null,
				lon: 5.861234567890123,
				lat: 51.8312345678901,
				unitNumber: '1040002'
			},
			{
				...base,
				id: 'b',
				street: 'Händelstraat',
				houseNumber: 2,
				houseLetter: 'A',
				addition: '1',
				lon: 5.86,
				lat: 51.83,
				bagId: '0268010000012345',
				unitNumber: null
			},
			{
				...base,
				id: 'a',
				street: 'Händelstraat',
				houseNumber: 2,
				houseLetter: null,
				addition: null,
				lon: 5.9,
				lat: 51.9,
				postcode: null,
				city: null,
				complexNumber: '104',
				unitNumber: null
			},
			{
				...base,
				id: 'c',
				street: 'Bachstraat',
				houseNumber: 10,
				houseLetter: null,
				addition: null,
				lon: -0.1,
				lat: 1e-7,
				unitNumber: null
			}
		];
		await insertAddresses(db, 'reg', list);
		const decoded = decodeRegister(JSON.parse(await registerJson(db, 'reg')) as CompactRegister);
		const listed = await listAddresses(db, 'reg');
		expect(decoded.map((a) => a.id)).toEqual(['c', 'a', 'z', 'b']);
		expect(decoded).toEqual(listed.map((a) => ({ ...a, unitNumber: a.unitNumber ?? null })));
	});

	it('is an empty register for a board without addresses', async () => {
		expect(decodeRegister(JSON.parse(await registerJson(db, 'reg')) as CompactRegister)).toEqual(
			[]
		);
	});
});
