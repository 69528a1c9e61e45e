import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedServerUsers } from '../support/accounts';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { OWNER_ONLY } from '../support/seeded-server';
import { startServer, type ServerProcess } from '../support/server-process';
import { upgradeStatus } from '../support/upgrade';

/**
 * The real server on its own PostgreSQL 15, which the tests stop (as a crash would) and start
 * again mid-session, or freeze (SIGSTOP). Nothing edited during the outage may be lost: not when
 * every client left before the database came back, not over a graceful shutdown meanwhile.
 */
describe('when PostgreSQL is unreachable', () => {
	let pg: TestPostgres;
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];
	let cookie = '';
	let paused = false;

	beforeAll(async () => {
		pg = await startPostgres();
	});
	afterAll(async () => {
		await pg?.stop();
	});
	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
		if (paused) pg.resume();
		paused = false;
	});

	const fresh = async () => {
		const databaseUrl = await pg.createDatabase();
		cookie = (await seedServerUsers({ databaseUrl }, OWNER_ONLY)).owner.cookie;
		return databaseUrl;
	};
	const server = async (databaseUrl: string, extra: Record<string, string> = {}) => {
		const s = await startServer({
			databaseUrl,
			extra: { BUURTBORD_DB_TIMEOUT_MS: '1000', LOG_LEVEL: 'info', ...extra }
		});
		servers.push(s);
		return s;
	};
	const client = (port: number) => {
		const c = connectClient(port, 'spoorbuurt', { cookie });
		clients.push(c);
		return c;
	};
	/** One value of the server's /metrics (the tests ask from loopback, which may read it). */
	const metric = async (s: ServerProcess, name: string) => {
		const text = await (await fetch(`${s.url}/metrics`)).text();
		const line = text.split('\n').find((l) => l.startsWith(`${name} `));
		return line ? Number(line.split(' ')[1]) : NaN;
	};
	/**
	 * Two connected clients; then PostgreSQL stops (new sockets are refused meanwhile, open ones go
	 * on) and both edit, until each sees the other's edits (so the server has them all).
	 */
	const editDuringOutage = async (s: ServerProcess, prefix: string) => {
		const a = client(s.port);
		const b = client(s.port);
		await Promise.all([whenSynced(a), whenSynced(b)]);
		pg.pause();
		paused = true;
		for (let i = 0; i < 10; i++) addPin(a, `${prefix}-a${i}`, `${prefix} a ${i}`);
		for (let i = 0; i < 10; i++) addPin(b, `${prefix}-b${i}`, `${prefix} b ${i}`);
		await expect.poll(() => a.pins.size, { timeout: 10_000 }).toBe(b.pins.size);
		await expect.poll(() => titles(a).filter((t) => t.startsWith(prefix)).length).toBe(20);
		await expect.poll(() => titles(b).filter((t) => t.startsWith(prefix)).length).toBe(20);
		return [a, b];
	};

	it('stores edits made while it was stopped, after every client left and the server restarted', async () => {
		const databaseUrl = await fresh();
		const s = await server(databaseUrl);
		const before = client(s.port);
		await whenSynced(before);
		addPin(before, 'before', 'voor de storing');
		await expect.poll(() => metric(s, 'buurtbord_storage_writes_total')).toBeGreaterThan(0);

		const editors = await editDuringOutage(s, 'storing');
		before.destroy();
		for (const c of editors) c.destroy();
		// Everyone left; the board stays loaded with its unstored edits and retries.
		await expect.poll(() => metric(s, 'buurtbord_sync_connections')).toBe(0);
		await expect
			.poll(() => metric(s, 'buurtbord_storage_write_failures_total'), { timeout: 15_000 })
			.toBeGreaterThanOrEqual(3);
		expect(await metric(s, 'buurtbord_boards_loaded')).toBe(1);
		expect(await metric(s, 'buurtbord_storage_pending_updates')).toBeGreaterThan(0);
		// Meanwhile the server says so at once instead of hanging.
		expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
		expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
		expect(await metric(s, 'buurtbord_database_up')).toBe(0);
		const page = await fetch(`${s.url}/boards/spoorbuurt`, { headers: { cookie } });
		expect(page.status).toBe(503);
		expect(await page.text()).toContain('tijdelijk niet beschikbaar');
		expect(await upgradeStatus(s.port, '/sync/spoorbuurt', cookie)).toBe(503);

		pg.resume();
		paused = false;
		// Stored by the retry, then unloaded: nobody has it open any more.
		await expect
			.poll(() => metric(s, 'buurtbord_storage_pending_updates'), { timeout: 40_000 })
			.toBe(0);
		await expect.poll(() => metric(s, 'buurtbord_boards_loaded'), { timeout: 10_000 }).toBe(0);
		expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
		await s.stop('SIGKILL');

		const again = await server(databaseUrl);
		const reader = client(again.port);
		await whenSynced(reader);
		expect(titles(reader).filter((t) => t.startsWith('storing'))).toHaveLength(20);
		expect(titles(reader)).toContain('voor de storing');
		const log = s.output();
		expect(log).toMatch(/"msg":"database not available/);
		expect(log).toMatch(/storing board spoorbuurt failed/);
		expect(log).not.toContain('storing a 1');
	}, 120_000);

	it('keeps unstored edits over a graceful shutdown in a spill file that the next start stores', async () => {
		const databaseUrl = await fresh();
		const spillDir = mkdtempSync(join(tmpdir(), 'buurtbord-spill-'));
		const extra = { BUURTBORD_SPILL_DIR: spillDir, BUURTBORD_SHUTDOWN_WAIT_MS: '1000' };
		const s = await server(databaseUrl, extra);
		await editDuringOutage(s, 'afsluiten');
		expect(await s.stop('SIGTERM')).toBe(0);
		expect(readdirSync(spillDir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
		expect(s.output()).toMatch(/stored at the next start/);

		pg.resume();
		paused = false;
		const again = await server(databaseUrl, extra);
		expect(readdirSync(spillDir)).toHaveLength(0);
		const reader = client(again.port);
		await whenSynced(reader);
		expect(titles(reader).filter((t) => t.startsWith('afsluiten'))).toHaveLength(20);
	}, 120_000);

	it('answers 503 at once while the database is frozen, and serves again when it thaws', async () => {
		const databaseUrl = await fresh();
		const s = await server(databaseUrl, { BUURTBORD_METRICS_TOKEN: 'geheim-meettoken' });
		// With a token set, /metrics wants it, also from loopback.
		expect((await fetch(`${s.url}/metrics`)).status).toBe(403);
		const metrics = await fetch(`${s.url}/metrics`, {
			headers: { authorization: 'Bearer geheim-meettoken' }
		});
		expect(metrics.status).toBe(200);
		expect(await metrics.text()).toMatch(/^buurtbord_sync_connections 0$/m);
		pg.freeze();
		try {
			const started = Date.now();
			const page = await fetch(`${s.url}/boards/spoorbuurt`, { headers: { cookie } });
			expect(page.status).toBe(503);
			expect(await upgradeStatus(s.port, '/sync/spoorbuurt', cookie)).toBe(503);
			expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
			// Bounded by the 1 s ping timeout (plus a loaded machine), never a hang.
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(s.output()).toMatch(/refused a page request: database not available/);
		} finally {
			pg.thaw();
		}
		await expect.poll(async () => (await fetch(`${s.url}/readyz`)).status).toBe(200);
		const c = client(s.port);
		await whenSynced(c);
	}, 60_000);
});
