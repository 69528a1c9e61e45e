import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { setPublication } from '../../src/lib/server/public/store';
import { publicStoryServer } from '../support/public-store';
import type { ServerProcess } from '../support/server-process';

/**
 * The public pages' cache in the server against PostgreSQL 15: a page's data request never takes
 * the page's place (nor the other way round), and a change written by someone else (another
 * process, or an owner through the Supabase API) reaches the pages without a restart.
 */
describe('the public page cache', () => {
	let db: Db;
	let server: ServerProcess;
	let close: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		({ db, server, close } = await publicStoryServer());
	}, 120_000);
	afterAll(async () => {
		await close?.();
	});

	const get = (path: string) => fetch(`${server.url}${path}`);
	const type = (res: Response) => res.headers.get('content-type') ?? '';

	it('keeps a page and its data request apart, whichever comes first', async () => {
		// The data request first: before the fix it was stored as the page itself.
		const data = await get('/buurt/spoorbuurt/sweelinckstraat/__data.json');
		expect(data.status).toBe(200);
		expect(type(data)).toMatch(/^application\/json/);
		for (let i = 0; i < 2; i++) {
			const page = await get('/buurt/spoorbuurt/sweelinckstraat');
			expect(type(page)).toMatch(/^text\/html/);
			expect(await page.text()).toContain('<html');
		}
		// The page first, then its data request.
		expect(type(await get('/buurt/spoorbuurt'))).toMatch(/^text\/html/);
		const boardData = await get('/buurt/spoorbuurt/__data.json');
		expect(type(boardData)).toMatch(/^application\/json/);
	});

	it('an unpublishing written elsewhere hides the pages without a restart', async () => {
		expect((await get('/buurt/spoorbuurt/sweelinckstraat')).status).toBe(200);
		// As another process (or the owner through the Supabase API) does it: not through this server.
		await setPublication(db, 'spoorbuurt', { published: false, k: 5, streets: null });
		for (const path of ['/buurt/spoorbuurt', '/buurt/spoorbuurt/sweelinckstraat']) {
			await expect.poll(async () => (await get(path)).status, { timeout: 5000 }).toBe(404);
		}
		await setPublication(db, 'spoorbuurt', { published: true, k: 5, streets: null });
		await expect
			.poll(async () => (await get('/buurt/spoorbuurt')).status, { timeout: 5000 })
			.toBe(200);
	});
});
