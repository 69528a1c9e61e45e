import { describe, expect, it } from 'vitest';
import { addPin, titles, whenSynced } from '../support/clients';
import { DRIVERS } from '../support/drivers';
import { syncTestbed } from '../support/sync-testbed';

/**
 * The real server process (server/index.ts with the built app) on port 0, two Node y-websocket
 * clients, and restarts: graceful (SIGTERM) and kill -9. Against PGlite and PostgreSQL 15.
 */
describe.each(DRIVERS)('sync through the server on %s', (driver) => {
	const testbed = syncTestbed();
	const { client, server } = testbed;
	const fresh = () => testbed.fresh(driver);

	it('delivers an edit on one client to the other', async () => {
		const s = await server(await fresh());
		const a = client(s.port);
		const b = client(s.port);
		await Promise.all([whenSynced(a), whenSynced(b)]);
		addPin(a, 'p1', 'Voortuin wordt ontmoetingsplek');
		await expect.poll(() => titles(b)).toEqual(['Voortuin wordt ontmoetingsplek']);
		b.pins.get('p1')!.set('title', 'Koffieochtend');
		await expect.poll(() => titles(a)).toEqual(['Koffieochtend']);
	});

	it('keeps every edit over a graceful restart', async () => {
		const db = await fresh();
		const first = await server(db);
		const a = client(first.port);
		await whenSynced(a);
		for (let i = 0; i < 20; i++) addPin(a, `p${i}`, `pin ${i}`);
		a.pins.delete('p3');
		// SIGTERM right after the edits reach the server: the shutdown flush must store them.
		const b = client(first.port);
		await whenSynced(b);
		await expect.poll(() => b.pins.size).toBe(19);
		expect(await first.stop('SIGTERM')).toBe(0);

		const second = await server(db);
		const c = client(second.port);
		await whenSynced(c);
		expect(titles(c)).toEqual(titles(a));
		expect(c.pins.has('p3')).toBe(false);
	});

	it('loses nothing sent more than a second before kill -9, and open clients reconnect', async () => {
		const db = await fresh();
		const first = await server(db);
		const a = client(first.port);
		await whenSynced(a);
		for (let i = 0; i < 10; i++) addPin(a, `k${i}`, `voor kill ${i}`);
		// The promise to users: what reached the server more than a second ago survives a crash.
		await new Promise((r) => setTimeout(r, 1100));
		await first.stop('SIGKILL');

		// The open client keeps editing while the server is down, then reconnects by itself.
		addPin(a, 'offline', 'tijdens storing');
		const second = await server({ ...db, port: first.port });
		const b = client(second.port);
		await whenSynced(b);
		for (let i = 0; i < 10; i++) expect(b.pins.get(`k${i}`)?.get('title')).toBe(`voor kill ${i}`);
		await expect.poll(() => titles(b), { timeout: 15_000 }).toEqual(titles(a));
		expect(titles(b)).toContain('tijdens storing');
	});
});
