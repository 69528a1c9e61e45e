import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';

/**
 * Every response says that no other site may frame it (clickjacking: a hostile page laying its own
 * buttons over a signed-in member's board, members or erasure page), that it is not to be sniffed
 * as another type, and that other sites get at most the origin as referrer. Before, pages were sent
 * without any of these headers. The browser side: tests/e2e/session-origin.spec.ts.
 */
describe('security headers', () => {
	let server: ServerProcess;
	let cookie: string;

	beforeAll(async () => {
		const seeded = await startSeededServer();
		server = seeded.server;
		cookie = seeded.users.owner.cookie;
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	async function headersOf(path: string, signedIn: boolean) {
		const res = await fetch(`${server.url}${path}`, {
			headers: signedIn ? { cookie } : {},
			redirect: 'manual'
		});
		await res.arrayBuffer();
		return { status: res.status, headers: res.headers };
	}

	it.each([
		['the board page', '/boards/spoorbuurt', true],
		['the members page', '/boards/spoorbuurt/leden', true],
		['the analysis page', '/boards/spoorbuurt/analyse', true],
		['the sign-in page', '/login', false],
		['a resident page', '/buurt/spoorbuurt', false],
		['the public map data', '/buurt/spoorbuurt/kaart.json', false],
		['a redirect to the sign-in page', '/boards/spoorbuurt', false],
		['an unknown page', '/bestaat-niet', false],
		['the health answer', '/healthz', false]
	])('are sent with %s', async (_label, path, signedIn) => {
		const { status, headers } = await headersOf(path, signedIn);
		expect(status).toBeLessThan(500);
		expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(headers.get('x-frame-options')).toBe('DENY');
		expect(headers.get('x-content-type-options')).toBe('nosniff');
		expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});

	it('are sent with the static files of the build', async () => {
		const page = await (await fetch(`${server.url}/login`)).text();
		const asset = page.match(/\/_app\/immutable\/[^"']+\.js/)?.[0];
		expect(asset).toBeDefined();
		const { status, headers } = await headersOf(asset!, false);
		expect(status).toBe(200);
		expect(headers.get('x-content-type-options')).toBe('nosniff');
		expect(headers.get('x-frame-options')).toBe('DENY');
	});
});
