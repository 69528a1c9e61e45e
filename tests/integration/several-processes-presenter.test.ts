import { WebsocketProvider } from 'y-websocket';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import {
	connectClient,
	upgradeHeaders,
	webSocketWithHeaders,
	whenSynced,
	type TestClient
} from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startRedis, type TestRedis } from '../support/redis';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * "Presenteren" with two Buurtbord processes behind Redis (real redis-server, PostgreSQL 15, real
 * socket clients): who presents is the board's, not a process's. A follower joining the other
 * process learns who presents; a presenter who reconnects to the other process continues the same
 * presentation (those who stepped out stay out); a presenter who signs out or loses access is gone
 * for everyone at once; and a presenter whose process is killed (-9) is gone for the others within
 * seconds, and shows again at once when their tab reconnects to the living process.
 */

const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' as const } },
	presenter: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' as const } },
	follower: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' as const } },
	removed: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' as const } },
	signedOut: { org: 'HAN', boards: { spoorbuurt: 'editor' as const } }
};

interface Seen {
	user?: { id?: string };
	presenting?: boolean;
	presentingSince?: number;
}

/** When the user presents as `client` sees it (the server's time), or undefined. */
function presentingSince(client: TestClient, userId: string): number | undefined {
	for (const state of client.provider.awareness.getStates().values()) {
		const seen = state as Seen;
		if (seen.user?.id === userId && seen.presenting) return seen.presentingSince;
	}
	return undefined;
}

/** Whether `client` has any state of this user. */
function seesUser(client: TestClient, userId: string): boolean {
	return [...client.provider.awareness.getStates().values()].some(
		(state) => (state as Seen).user?.id === userId
	);
}

function present(client: TestClient, on: boolean): void {
	const awareness = client.provider.awareness;
	awareness.setLocalState({
		...awareness.getLocalState(),
		presenting: on,
		presentingSince: on ? Date.now() : 0
	});
}

describe('the presenter across processes', () => {
	let redis: TestRedis;
	let users: Record<keyof typeof CAST, SeededUser>;
	let a: ServerProcess;
	let b: ServerProcess;
	const clients: TestClient[] = [];
	const providers: WebsocketProvider[] = [];

	const client = async (server: ServerProcess, user: SeededUser) => {
		const c = connectClient(server.port, 'spoorbuurt', { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};
	/** The same tab (document and awareness) connecting again, to another process. */
	const reconnect = (tab: TestClient, server: ServerProcess, user: SeededUser) => {
		tab.provider.destroy();
		const provider = new WebsocketProvider(
			`ws://127.0.0.1:${server.port}/sync`,
			'spoorbuurt',
			tab.doc,
			{
				WebSocketPolyfill: webSocketWithHeaders(
					upgradeHeaders(server.port, { cookie: user.cookie })
				),
				awareness: tab.provider.awareness,
				disableBc: true
			}
		);
		providers.push(provider);
		return provider;
	};

	beforeAll(async () => {
		redis = await startRedis();
		const { databaseUrl } = (await freshDatabase('postgres')) as { databaseUrl: string };
		users = await seedServerUsers({ databaseUrl }, CAST);
		const env = { databaseUrl, extra: { REDIS_URL: redis.url } };
		[a, b] = await Promise.all([startServer(env), startServer(env)]);
	}, 120_000);

	// Every test starts with nobody on the board.
	afterEach(async () => {
		for (const p of providers.splice(0)) p.destroy();
		for (const c of clients.splice(0)) c.destroy();
		const check = await client(b, users.owner);
		await expect.poll(() => check.provider.awareness.getStates().size, { timeout: 5000 }).toBe(1);
		clients.splice(0).forEach((c) => c.destroy());
	});

	afterAll(async () => {
		for (const p of providers) p.destroy();
		for (const c of clients) c.destroy();
		for (const s of [a, b]) await s?.stop('SIGKILL');
		await redis?.stop();
	});

	it('a follower who joins the other process learns who presents, with the same start', async () => {
		const presenter = await client(a, users.presenter);
		const watcher = await client(a, users.follower);
		present(presenter, true);
		await expect.poll(() => presentingSince(watcher, users.presenter.id)).toBeGreaterThan(0);
		const since = presentingSince(watcher, users.presenter.id);
		// Process b has not loaded the board yet; then a second follower joins the loaded board.
		const first = await client(b, users.follower);
		await expect.poll(() => presentingSince(first, users.presenter.id)).toBe(since);
		const second = await client(b, users.follower);
		await expect.poll(() => presentingSince(second, users.presenter.id)).toBe(since);
	});

	it('a presenter who reconnects to the other process continues the same presentation', async () => {
		const presenter = await client(a, users.presenter);
		const follower = await client(b, users.follower);
		present(presenter, true);
		await expect.poll(() => presentingSince(follower, users.presenter.id)).toBeGreaterThan(0);
		const since = presentingSince(follower, users.presenter.id);
		// The network goes: process a closes the socket, the others see the presenter go.
		presenter.provider.disconnect();
		await expect.poll(() => presentingSince(follower, users.presenter.id)).toBeUndefined();
		// Back, through the load balancer, on process b: the same presentation.
		reconnect(presenter, b, users.presenter);
		await expect.poll(() => presentingSince(follower, users.presenter.id)).toBe(since);
		present(presenter, false);
		await expect.poll(() => presentingSince(follower, users.presenter.id)).toBeUndefined();
		presenter.destroy();
	});

	it('a presenter who loses access or signs out is gone on every process at once', async () => {
		const removed = await client(a, users.removed);
		const signedOut = await client(a, users.signedOut);
		const follower = await client(b, users.follower);
		present(removed, true);
		present(signedOut, true);
		await expect.poll(() => presentingSince(follower, users.removed.id)).toBeGreaterThan(0);
		await expect.poll(() => presentingSince(follower, users.signedOut.id)).toBeGreaterThan(0);

		const res = await fetch(`${b.url}/boards/spoorbuurt/leden?/remove`, {
			method: 'POST',
			headers: {
				cookie: users.owner.cookie,
				origin: b.url,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			},
			body: new URLSearchParams({ userId: users.removed.id })
		});
		expect(((await res.json()) as { type: string }).type).toBe('success');
		await expect
			.poll(() => seesUser(follower, users.removed.id), { timeout: 2000, interval: 20 })
			.toBe(false);

		const out = await fetch(`${b.url}/logout`, {
			method: 'POST',
			headers: { cookie: users.signedOut.cookie, origin: b.url },
			redirect: 'manual'
		});
		expect(out.status).toBe(303);
		await expect
			.poll(() => seesUser(follower, users.signedOut.id), { timeout: 2000, interval: 20 })
			.toBe(false);
		removed.provider.disconnect();
		signedOut.provider.disconnect();
	});

	it('a presenter whose process is killed is gone within seconds, and back at once on the living one', async () => {
		const presenter = await client(a, users.presenter);
		const follower = await client(b, users.follower);
		present(presenter, true);
		await expect.poll(() => presentingSince(follower, users.presenter.id)).toBeGreaterThan(0);
		const since = presentingSince(follower, users.presenter.id);

		await a.stop('SIGKILL');
		const killedAt = Date.now();
		await expect
			.poll(() => seesUser(follower, users.presenter.id), { timeout: 10_000, interval: 50 })
			.toBe(false);
		// Far sooner than the awareness timeout (30 s).
		expect(Date.now() - killedAt).toBeLessThan(10_000);

		// The tab reconnects to process b: shown again, still the same presentation.
		const provider = reconnect(presenter, b, users.presenter);
		const back = Date.now();
		await expect
			.poll(() => presentingSince(follower, users.presenter.id), { timeout: 5000, interval: 20 })
			.toBe(since);
		expect(Date.now() - back).toBeLessThan(5000);
		// And its changes show: it stops presenting.
		present(presenter, false);
		await expect.poll(() => presentingSince(follower, users.presenter.id)).toBeUndefined();
		expect(seesUser(follower, users.presenter.id)).toBe(true);
		provider.disconnect();
	});
});
