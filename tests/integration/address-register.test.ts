import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRegister, type CompactRegister } from '../../src/lib/geo/register';
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
