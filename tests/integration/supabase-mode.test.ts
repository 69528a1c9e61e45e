import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBoardRole } from '../../src/lib/server/access';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { upgradeStatus } from '../support/upgrade';
import { startServer, type ServerProcess } from '../support/server-process';
import {
	generateSigningKey,
	sessionCookies,
	signSupabaseToken,
	startAuthStandIn,
	tamperToken,
	TEST_JWT_SECRET,
	type AuthStandIn,
	type SigningKey
} from '../support/supabase';

/**
 * Supabase mode with the real server process. Supabase Auth cannot run here: tokens are signed as
 * it signs them (HS256 with the project's JWT secret, ES256 with a key published in a JWKS served
 * by a local stand-in), and the server checks them itself.
 */
describe.each(DRIVERS)('Supabase mode on %s', (driver) => {
	let standIn: AuthStandIn;
	let server: ServerProcess;
	let key: SigningKey;
	let cookieName: string;
	const clients: TestClient[] = [];
	const member = { sub: randomUUID(), email: 'anna@woonwaarts.nl' };
	const outsider = { sub: randomUUID(), email: 'olaf@elders.nl' };
	const url = (path: string) => `${server.url}${path}`;
	const sign = (
		user: { sub: string; email: string },
		options: Partial<Parameters<typeof signSupabaseToken>[1]> = {}
	) => signSupabaseToken(user, { url: standIn.url, key, ...options });

	beforeAll(async () => {
		key = await generateSigningKey('ES256');
		standIn = await startAuthStandIn({ key });
		// The project URL is the stand-in's: the issuer and cookie name follow from it.
		cookieName = `sb-${new URL(standIn.url).hostname.split('.')[0]}-auth-token`;
		const target = await freshDatabase(driver);
		// The member's profile id is their Supabase user id (the token's sub); an owner made them editor.
		const db = await openDb({ databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' });
		try {
			await ensureDemoBoard(db);
			await db.query('insert into public.profiles (id, display_name, email) values ($1, $2, $3)', [
				member.sub,
				'Anna',
				member.email
			]);
			await setBoardRole(db, 'spoorbuurt', member.sub, 'editor');
		} finally {
			await db.close();
		}
		server = await startServer({
			...target,
			extra: {
				PUBLIC_SUPABASE_URL: standIn.url,
				PUBLIC_SUPABASE_ANON_KEY: 'test-anon-key',
				SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
				SUPABASE_JWKS_URL: `${standIn.url}/auth/v1/.well-known/jwks.json`
			}
		});
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await server?.stop('SIGKILL');
		await standIn?.close();
	});

	it('opens the board for a member with a valid token (cookie or Bearer; ES256 or HS256)', async () => {
		const es = await sign(member);
		const hs = await sign(member, { key: { secret: TEST_JWT_SECRET } });
		for (const headers of <Record<string, string>[]>[
			{ cookie: sessionCookies(cookieName, es) },
			{ cookie: sessionCookies(cookieName, hs, { chunkSize: 300 }) },
			{ authorization: `Bearer ${es}` }
		]) {
			const res = await fetch(url('/boards/spoorbuurt'), { headers, redirect: 'manual' });
			expect(res.status).toBe(200);
			expect(await res.text()).toContain('Spoorbuurt');
			expect(res.headers.get('cache-control')).toBe('private, no-store');
		}
		expect(standIn.jwksFetches()).toBe(1);
	});

	it('sends expired, forged and tampered tokens to the sign-in page', async () => {
		const stranger = await generateSigningKey('ES256', key.kid);
		const bad = [
			await sign(member, { expiresIn: -300 }),
			await sign(member, { key: { secret: `${TEST_JWT_SECRET}-forged` } }),
			await sign(member, { key: stranger }),
			tamperToken(await sign(outsider), { sub: member.sub }),
			await sign(member, { claims: { aud: 'anon' } }),
			await sign(member, { url: 'https://other-project.supabase.co' })
		];
		for (const token of bad) {
			for (const headers of <Record<string, string>[]>[
				{ cookie: sessionCookies(cookieName, token) },
				{ authorization: `Bearer ${token}` }
			]) {
				const res = await fetch(url('/boards/spoorbuurt'), { headers, redirect: 'manual' });
				expect(res.status).toBe(303);
				expect(res.headers.get('location')).toBe('/login?next=%2Fboards%2Fspoorbuurt');
				expect(await res.text()).not.toContain('Spoorstraat');
			}
		}
	});

	it('does not check built-in passwords: Supabase Auth signs people in', async () => {
		const res = await fetch(url('/login'), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'email=owner%40example.test&password=correct+horse+battery+staple'
		});
		expect(res.status).toBe(404);
		expect(res.headers.get('set-cookie')).toBeNull();
	});

	it('answers a valid non-member as if the board did not exist', async () => {
		const res = await fetch(url('/boards/spoorbuurt'), {
			headers: { cookie: sessionCookies(cookieName, await sign(outsider)) }
		});
		expect(res.status).toBe(404);
		expect(await res.text()).not.toContain('Spoorstraat');
	});

	it('connects the member to the sync socket by cookie, Bearer header or ?access_token=', async () => {
		const token = await sign(member);
		const byCookie = connectClient(server.port, 'spoorbuurt', {
			cookie: sessionCookies(cookieName, token)
		});
		const byHeader = connectClient(server.port, 'spoorbuurt', {
			headers: { authorization: `Bearer ${token}` }
		});
		clients.push(byCookie, byHeader);
		await Promise.all([whenSynced(byCookie), whenSynced(byHeader)]);
		// An edit over one arrives over the other: both really are connected to the board.
		addPin(byCookie, 'p-supabase', 'Buurtkoffie via Supabase');
		await expect.poll(() => titles(byHeader)).toContain('Buurtkoffie via Supabase');
		expect(await upgradeStatus(server.port, `/sync/spoorbuurt?access_token=${token}`)).toBe(101);
	});

	it('refuses the socket with 401 for forged or expired tokens and 404 for a non-member', async () => {
		const expired = await sign(member, { expiresIn: -300 });
		const forged = await sign(member, { key: { secret: `${TEST_JWT_SECRET}-forged` } });
		const tampered = tamperToken(await sign(outsider), { sub: member.sub });
		for (const token of [expired, forged, tampered]) {
			expect(
				await upgradeStatus(server.port, '/sync/spoorbuurt', {
					cookie: sessionCookies(cookieName, token)
				})
			).toBe(401);
			expect(
				await upgradeStatus(server.port, '/sync/spoorbuurt', { authorization: `Bearer ${token}` })
			).toBe(401);
			expect(await upgradeStatus(server.port, `/sync/spoorbuurt?access_token=${token}`)).toBe(401);
		}
		const valid = await sign(outsider);
		expect(
			await upgradeStatus(server.port, '/sync/spoorbuurt', { authorization: `Bearer ${valid}` })
		).toBe(404);
		expect(
			await upgradeStatus(server.port, '/sync/bestaat-niet', { authorization: `Bearer ${valid}` })
		).toBe(404);
	});
});

describe('Supabase mode configuration', () => {
	it('refuses to start with half a configuration, saying what is missing', async () => {
		const start = startServer({
			extra: { PUBLIC_SUPABASE_URL: 'https://abcdefghijkl.supabase.co' }
		});
		await expect(start).rejects.toThrow(/PUBLIC_SUPABASE_ANON_KEY is missing/);
	});
});
