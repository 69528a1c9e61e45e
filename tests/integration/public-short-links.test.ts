import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/lib/server/db';
import {
	SHORT_CODE_ALPHABET,
	ensureShortLinks,
	newShortCode
} from '../../src/lib/server/public/short-links';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { freshDatabase } from '../support/drivers';
import { PUBLIC_STORY, SECRETS } from '../support/public-board';
import { storePublicStory } from '../support/public-store';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The flyers' short links (/s/<code>) against the real server on PostgreSQL 15: a redirect to the
 * street page while the street is published, 404 for an unknown code and once the owner
 * unpublishes the board or the street, and nothing private on the way.
 */
describe('short links of the public street pages', () => {
	let db: Db;
	let server: ServerProcess;
	let owner: SeededUser;
	let code: string;

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		({ owner } = await seedServerUsers(target, {
			owner: { org: 'Buurtteam', displayName: 'Eigenaar', boards: { spoorbuurt: 'owner' } }
		}));
		db = await openDb({ databaseUrl: target.databaseUrl, dataDir: '' });
		// The story with its secrets, stored as the sync server stores it.
		await storePublicStory(db);
		code = (await ensureShortLinks(db, 'spoorbuurt', ['sweelinckstraat'])).get('sweelinckstraat')!;
		server = await startServer({ databaseUrl: target.databaseUrl });
	}, 120_000);
	afterAll(async () => {
		await server?.stop('SIGKILL');
		await db?.close();
	});

	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(`${server.url}${path}`, { redirect: 'manual', headers });

	async function publish(body: Record<string, string | string[]>): Promise<void> {
		const form = new URLSearchParams();
		for (const [name, value] of Object.entries(body)) {
			for (const v of [value].flat()) form.append(name, v);
		}
		const res = await fetch(`${server.url}/boards/spoorbuurt/instellingen?/publication`, {
			method: 'POST',
			headers: {
				cookie: owner.cookie,
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			},
			body: form
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('publicationSaved');
	}

	it('are short, unambiguous and stable per board and street', async () => {
		expect(code).toMatch(/^[23456789abcdefghjkmnpqrstuvwxyz]{7}$/);
		expect(SHORT_CODE_ALPHABET).not.toMatch(/[01ilo]/);
		const again = await ensureShortLinks(db, 'spoorbuurt', ['sweelinckstraat', 'dunklerstraat']);
		expect(again.get('sweelinckstraat')).toBe(code);
		expect(again.get('dunklerstraat')).toMatch(/^[a-z2-9]{7}$/);
		expect(again.get('dunklerstraat')).not.toBe(code);
	});

	it('redirect to the published street page, with a short CDN cache', async () => {
		const res = await get(`/s/${code}`);
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe('/buurt/spoorbuurt/sweelinckstraat');
		expect(res.headers.get('cache-control')).toMatch(/^public, max-age=0, s-maxage=15\b/);
		expect(await res.text()).toBe('');
		// Typed from paper in capitals; the language is passed on.
		const typed = await get(`/s/${code.toUpperCase()}?lang=en`);
		expect(typed.status).toBe(302);
		expect(typed.headers.get('location')).toBe('/buurt/spoorbuurt/sweelinckstraat?lang=en');

		const page = await fetch(`${server.url}/s/${code}`);
		expect(page.status).toBe(200);
		expect(page.url).toBe(`${server.url}/buurt/spoorbuurt/sweelinckstraat`);
		const html = await page.text();
		expect(html).toContain(PUBLIC_STORY.garden);
		for (const secret of Object.values(SECRETS)) expect(html).not.toContain(secret);
	});

	it('answer 404 for an unknown or malformed code, without a redirect', async () => {
		let unknown = newShortCode();
		while (unknown === code) unknown = newShortCode();
		for (const path of [`/s/${unknown}`, '/s/abc', '/s/0000000', `/s/${code}x`]) {
			const res = await get(path);
			expect(res.status, path).toBe(404);
			expect(res.headers.get('location')).toBeNull();
			const body = await res.text();
			expect(body).not.toContain('sweelinckstraat');
			for (const secret of Object.values(SECRETS)) expect(body).not.toContain(secret);
		}
	});

	it('answer 404 once the street or the board is unpublished, and lead again once published', async () => {
		// Only Dunklerstraat published.
		await publish({ published: 'on', k: '5', street: 'Dunklerstraat' });
		expect((await get(`/s/${code}`)).status).toBe(404);
		expect((await get('/buurt/spoorbuurt/sweelinckstraat')).status).toBe(404);

		await publish({ published: 'on', k: '5', allStreets: 'on' });
		expect((await get(`/s/${code}`)).status).toBe(302);

		// The whole board unpublished: 404 at once, not a redirect to an empty page.
		await publish({ k: '5', allStreets: 'on' });
		const res = await get(`/s/${code}`);
		expect(res.status).toBe(404);
		expect(res.headers.get('location')).toBeNull();

		// The same code again after publishing anew (a printed flyer keeps working).
		await publish({ published: 'on', k: '5', allStreets: 'on' });
		expect((await get(`/s/${code}`)).headers.get('location')).toBe(
			'/buurt/spoorbuurt/sweelinckstraat'
		);
		for (const secret of Object.values(SECRETS)) expect(server.output()).not.toContain(secret);
	});

	it('are readable with the anon key only while their street is published', async () => {
		const asAnon = () =>
			db.transaction(async (tx) => {
				await tx.query(`select set_config('role', 'anon', true)`);
				await tx.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
				return tx.query<{ code: string; slug: string }>(
					'select code, slug from public.public_short_links order by slug'
				);
			});
		expect((await asAnon()).map((r) => r.slug)).toEqual(['dunklerstraat', 'sweelinckstraat']);
		await db.query(
			`update public.board_publication set published = false where board_id = 'spoorbuurt'`
		);
		expect(await asAnon()).toEqual([]);
	});
});
