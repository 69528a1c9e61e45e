import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { startServer, tempDataDir, type ServerProcess } from '../support/server-process';

/**
 * SvelteKit refuses form POSTs whose Origin differs from the server's own. Over plain http without
 * ORIGIN set, adapter-node assumed https and so refused every form POST; the server now tells it
 * the real scheme. Cross-site form POSTs must still be refused.
 */
describe('form posts and the origin check', () => {
	let server: ServerProcess;
	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	const post = (origin: string) =>
		fetch(`${server.url}/boards/spoorbuurt`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
			body: 'a=1'
		});

	it('lets a same-origin form post through to the route', async () => {
		const res = await post(server.url);
		expect(await res.text()).not.toContain('Cross-site');
		expect(res.status).not.toBe(403);
	});

	it('refuses a cross-site form post', async () => {
		const res = await post('http://evil.example');
		expect(res.status).toBe(403);
	});

	it('does not take the scheme from the client', async () => {
		const res = await fetch(`${server.url}/boards/spoorbuurt`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url.replace('http:', 'https:'),
				'x-buurtbord-scheme': 'https'
			},
			body: 'a=1'
		});
		expect(res.status).toBe(403);
	});
});

/**
 * SvelteKit checks the origin of form posts only. A page of a sibling site (another port of the
 * same host here; a sibling subdomain in production) sends the SameSite=Lax session cookie along,
 * and signed a member out with a bodiless POST to /logout, or posted JSON to the endpoints. Every
 * request that changes something from another origin is refused now.
 */
describe('requests from a page of another origin', () => {
	let server: ServerProcess;
	let cookie: string;
	beforeAll(async () => {
		const dataDir = tempDataDir();
		const users = await seedServerUsers(
			{ dataDir },
			{ owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } } }
		);
		cookie = users.owner.cookie;
		server = await startServer({ dataDir });
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	const signedIn = async () =>
		(await fetch(`${server.url}/boards/spoorbuurt`, { headers: { cookie }, redirect: 'manual' }))
			.status === 200;

	it('cannot sign a member out, nor post JSON in their name', async () => {
		const sibling = `http://127.0.0.1:${server.port + 1}`;
		const logout = await fetch(`${server.url}/logout`, {
			method: 'POST',
			headers: { cookie, origin: sibling },
			redirect: 'manual'
		});
		expect(logout.status).toBe(403);
		expect(await signedIn()).toBe(true);
		for (const origin of [sibling, 'null', 'http://evil.example']) {
			const audit = await fetch(`${server.url}/boards/spoorbuurt/audit`, {
				method: 'POST',
				headers: { cookie, origin, 'content-type': 'application/json' },
				body: JSON.stringify({ gesprekId: 'g-1' })
			});
			expect(audit.status).toBe(403);
		}
	});

	it('lets the app’s own page and clients without an Origin through', async () => {
		const audit = await fetch(`${server.url}/boards/spoorbuurt/audit`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ gesprekId: 'bestaat-niet' })
		});
		expect(audit.status).toBe(404);
		const logout = await fetch(`${server.url}/logout`, {
			method: 'POST',
			headers: { cookie, origin: server.url },
			redirect: 'manual'
		});
		expect(logout.status).toBe(303);
		expect(await signedIn()).toBe(false);
	});
});

/** Raw bytes and headers as they travel (fetch would undo the compression). */
function rawGet(url: string, headers: Record<string, string>) {
	return new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>(
		(resolve, reject) => {
			const req = request(url, { headers }, (res) => {
				let bytes = 0;
				res.on('data', (chunk: Buffer) => (bytes += chunk.length));
				res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes }));
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end();
		}
	);
}

/**
 * The board page carries the address register: it travels compressed to a browser that accepts
 * it (issue #10: 29 MB of HTML at 50,000 addresses), as it is to a client that does not.
 */
describe('compressed responses', () => {
	let server: ServerProcess;
	let owner: SeededUser;
	beforeAll(async () => {
		const dataDir = tempDataDir();
		({ owner } = await seedServerUsers(
			{ dataDir },
			{ owner: { org: 'Buurtteam', displayName: 'Eigenaar', boards: { spoorbuurt: 'owner' } } }
		));
		server = await startServer({ dataDir });
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	it('sends the board page gzip or brotli when accepted, and plain otherwise', async () => {
		const page = `${server.url}/boards/spoorbuurt`;
		const plain = await rawGet(page, { cookie: owner.cookie });
		expect(plain.status).toBe(200);
		expect(plain.headers['content-encoding']).toBeUndefined();
		const gzip = await rawGet(page, { cookie: owner.cookie, 'accept-encoding': 'gzip' });
		expect(gzip.status).toBe(200);
		expect(gzip.headers['content-encoding']).toBe('gzip');
		expect(gzip.headers['vary']).toMatch(/accept-encoding/i);
		expect(gzip.bytes * 3).toBeLessThan(plain.bytes);
		const br = await rawGet(page, { cookie: owner.cookie, 'accept-encoding': 'br, gzip' });
		expect(br.headers['content-encoding']).toBe('br');
		// The page itself is still private and never cached.
		expect(gzip.headers['cache-control']).toBe('private, no-store');
	});

	it('leaves the health answers alone', async () => {
		const health = await rawGet(`${server.url}/healthz`, { 'accept-encoding': 'gzip' });
		expect(health.status).toBe(200);
		expect(health.headers['content-encoding']).toBeUndefined();
	});
});

/**
 * An answer given before the request's body was read (not signed in, a refused form action) leaves
 * the connection usable: the next request a client sends on it (browsers and fetch reuse
 * connections) gets its answer, not a reset. Bad requests of all sorts: http-fuzz.test.ts.
 */
describe('answers before the body was read', () => {
	let server: ServerProcess;
	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	/** Requests one after another on one kept-alive connection. */
	async function onOneConnection(
		requests: { method: string; path: string; headers?: Record<string, string>; body?: string }[]
	): Promise<(number | string)[]> {
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		const sockets = new Set<unknown>();
		const statuses: (number | string)[] = [];
		try {
			for (const r of requests) {
				statuses.push(
					await new Promise<number | string>((resolve) => {
						const req = request(
							`${server.url}${r.path}`,
							{ method: r.method, headers: { origin: server.url, ...r.headers }, agent },
							(res) => {
								res.resume();
								res.on('end', () => resolve(res.statusCode!));
							}
						);
						req.on('socket', (socket) => sockets.add(socket));
						req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
						req.end(r.body);
					})
				);
			}
		} finally {
			agent.destroy();
		}
		expect(sockets.size).toBe(1);
		return statuses;
	}

	it('keeps the connection usable after a large refused form post', async () => {
		const form = { 'content-type': 'application/x-www-form-urlencoded' };
		const body = `text=${'x'.repeat(400_000)}`;
		const statuses = await onOneConnection([
			{ method: 'POST', path: '/logout?/default', headers: form, body },
			{ method: 'GET', path: '/healthz' },
			{ method: 'POST', path: '/boards/spoorbuurt/adressen/import', headers: form, body },
			{ method: 'GET', path: '/healthz' }
		]);
		expect(statuses).toEqual([400, 200, 401, 200]);
	});
});
