import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process';

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
