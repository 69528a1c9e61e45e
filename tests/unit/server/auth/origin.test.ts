import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkUpgradeOrigin, readOriginPolicy } from '../../../../src/lib/server/auth/origin';

function request(headers: Record<string, string>, encrypted = false): IncomingMessage {
	return { headers, socket: { encrypted } } as unknown as IncomingMessage;
}

describe('the sync socket’s origin rule', () => {
	const plain = readOriginPolicy({});

	it('accepts exactly the request’s own origin', () => {
		const own = { host: 'localhost:3000', origin: 'http://localhost:3000', cookie: 'a=b' };
		expect(checkUpgradeOrigin(request(own), plain)).toEqual({ ok: true });
		expect(checkUpgradeOrigin(request({ ...own, origin: 'HTTP://LOCALHOST:3000' }), plain).ok).toBe(
			true
		);
		// Another port, another scheme, another host, a sibling subdomain, opaque origins.
		for (const origin of [
			'http://localhost:3001',
			'https://localhost:3000',
			'http://127.0.0.1:3000',
			'http://evil.localhost:3000',
			'null',
			'not a url'
		]) {
			expect(checkUpgradeOrigin(request({ ...own, origin }), plain).ok, origin).toBe(false);
		}
		// Over TLS the scheme is https.
		expect(
			checkUpgradeOrigin(
				request({ host: 'bord.example', origin: 'https://bord.example' }, true),
				plain
			).ok
		).toBe(true);
	});

	it('refuses a cookie without Origin, lets a client without cookies through', () => {
		expect(checkUpgradeOrigin(request({ host: 'localhost:3000', cookie: 'a=b' }), plain)).toEqual({
			ok: false,
			reason: 'origin required with a cookie'
		});
		expect(
			checkUpgradeOrigin(request({ host: 'localhost:3000', authorization: 'Bearer x' }), plain).ok
		).toBe(true);
	});

	it('uses ORIGIN when set, and proxy headers only when configured', () => {
		const behindProxy = readOriginPolicy({ ORIGIN: 'https://buurtbord.example/' });
		const req = (origin: string) =>
			request({ host: '10.0.0.5:3000', origin, cookie: 'a=b', 'x-forwarded-host': 'evil.example' });
		expect(checkUpgradeOrigin(req('https://buurtbord.example'), behindProxy).ok).toBe(true);
		expect(checkUpgradeOrigin(req('http://10.0.0.5:3000'), behindProxy).ok).toBe(false);
		// Forwarded headers nobody configured are not trusted.
		expect(checkUpgradeOrigin(req('http://evil.example'), plain).ok).toBe(false);
		const forwarded = readOriginPolicy({
			PROTOCOL_HEADER: 'X-Forwarded-Proto',
			HOST_HEADER: 'X-Forwarded-Host'
		});
		const proxied = request({
			host: '10.0.0.5:3000',
			origin: 'https://bord.example',
			cookie: 'a=b',
			'x-forwarded-proto': 'https',
			'x-forwarded-host': 'bord.example'
		});
		expect(checkUpgradeOrigin(proxied, forwarded).ok).toBe(true);
		expect(checkUpgradeOrigin(proxied, plain).ok).toBe(false);
	});
});
