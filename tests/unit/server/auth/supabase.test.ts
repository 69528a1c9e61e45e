import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	bearerToken,
	createTokenVerifier,
	readSupabaseConfig,
	readSupabaseSessionToken,
	supabaseCookieNames,
	supabaseSignOut,
	SupabaseConfigError,
	type SupabaseConfig
} from '../../../../src/lib/server/auth/supabase';
import {
	generateSigningKey,
	sessionCookies,
	signSupabaseToken,
	startAuthStandIn,
	tamperToken,
	TEST_JWT_SECRET,
	unsignedToken,
	type AuthStandIn,
	type SigningKey
} from '../../../support/supabase';

const URL = 'https://abcdefghijkl.supabase.co';
const ANON = 'anon-key';
const user = { sub: randomUUID(), email: 'anna@woonwaarts.nl' };

function hsConfig(): SupabaseConfig {
	return readSupabaseConfig({
		PUBLIC_SUPABASE_URL: URL,
		PUBLIC_SUPABASE_ANON_KEY: ANON,
		SUPABASE_JWT_SECRET: TEST_JWT_SECRET
	})!;
}

describe('Supabase configuration', () => {
	it('is off when nothing is set', () => {
		expect(readSupabaseConfig({})).toBeNull();
		expect(readSupabaseConfig({ PUBLIC_SUPABASE_URL: ' ' })).toBeNull();
	});

	it('refuses half a configuration, naming what is missing', () => {
		expect(() => readSupabaseConfig({ PUBLIC_SUPABASE_URL: URL })).toThrow(
			/PUBLIC_SUPABASE_ANON_KEY is missing/
		);
		expect(() =>
			readSupabaseConfig({ PUBLIC_SUPABASE_ANON_KEY: ANON, SUPABASE_JWT_SECRET: TEST_JWT_SECRET })
		).toThrow(/PUBLIC_SUPABASE_URL is missing/);
		expect(() => readSupabaseConfig({ SUPABASE_JWT_SECRET: TEST_JWT_SECRET })).toThrow(
			SupabaseConfigError
		);
		expect(() =>
			readSupabaseConfig({
				PUBLIC_SUPABASE_URL: URL,
				PUBLIC_SUPABASE_ANON_KEY: ANON,
				SUPABASE_JWT_SECRET: 'short'
			})
		).toThrow(/too short/);
		expect(() =>
			readSupabaseConfig({ PUBLIC_SUPABASE_URL: 'not a url', PUBLIC_SUPABASE_ANON_KEY: ANON })
		).toThrow(/not a URL/);
	});

	it('uses the secret for HS256, else the project JWKS; issuer and cookie follow the URL', () => {
		expect(hsConfig()).toEqual({
			url: URL,
			anonKey: ANON,
			issuer: `${URL}/auth/v1`,
			jwtSecret: TEST_JWT_SECRET,
			jwksUrl: undefined,
			cookieName: 'sb-abcdefghijkl-auth-token'
		});
		const jwks = readSupabaseConfig({
			PUBLIC_SUPABASE_URL: `${URL}/`,
			PUBLIC_SUPABASE_ANON_KEY: ANON
		})!;
		expect(jwks.jwtSecret).toBeUndefined();
		expect(jwks.jwksUrl).toBe(`${URL}/auth/v1/.well-known/jwks.json`);
		expect(jwks.issuer).toBe(`${URL}/auth/v1`);
		const both = readSupabaseConfig({
			PUBLIC_SUPABASE_URL: URL,
			PUBLIC_SUPABASE_ANON_KEY: ANON,
			SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
			SUPABASE_JWKS_URL: 'http://127.0.0.1:9/keys'
		})!;
		expect(both.jwtSecret).toBe(TEST_JWT_SECRET);
		expect(both.jwksUrl).toBe('http://127.0.0.1:9/keys');
	});
});

describe('HS256 tokens (legacy JWT secret)', () => {
	const config = hsConfig();
	const verify = createTokenVerifier(config);
	const sign = (options: Partial<Parameters<typeof signSupabaseToken>[1]> = {}) =>
		signSupabaseToken(user, { url: URL, key: { secret: TEST_JWT_SECRET }, ...options });

	it('accepts a valid token and returns its user', async () => {
		const result = await verify(await sign());
		expect(result).toEqual({
			ok: true,
			claims: {
				sub: user.sub,
				exp: expect.any(Number),
				session_id: expect.any(String),
				email: user.email,
				user_metadata: { email_verified: true }
			}
		});
	});

	it('refuses an expired token (beyond a few seconds of clock skew)', async () => {
		expect(await verify(await sign({ expiresIn: -120 }))).toEqual({
			ok: false,
			reason: 'ERR_JWT_EXPIRED'
		});
		// Just expired, within the tolerance: still fine.
		expect((await verify(await sign({ expiresIn: -2 }))).ok).toBe(true);
	});

	it('refuses a token signed with another secret', async () => {
		const forged = await sign({ key: { secret: `${TEST_JWT_SECRET}-but-not-quite` } });
		expect(await verify(forged)).toEqual({
			ok: false,
			reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
		});
	});

	it('refuses a token whose payload was changed after signing', async () => {
		const tampered = tamperToken(await sign(), { sub: randomUUID() });
		expect(await verify(tampered)).toEqual({
			ok: false,
			reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
		});
		const longer = tamperToken(await sign({ expiresIn: -3600 }), {
			exp: Math.floor(Date.now() / 1000) + 3600
		});
		expect((await verify(longer)).ok).toBe(false);
	});

	it('refuses alg none', async () => {
		const claims = JSON.parse(
			Buffer.from((await sign()).split('.')[1]!, 'base64url').toString('utf8')
		);
		expect(await verify(unsignedToken(claims))).toEqual({ ok: false, reason: 'alg_not_allowed' });
	});

	it('refuses the wrong audience, issuer, a non-uuid sub, another role, an anonymous user', async () => {
		expect(await verify(await sign({ claims: { aud: 'anon' } }))).toEqual({
			ok: false,
			reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED'
		});
		expect(await verify(await sign({ claims: { aud: undefined } }))).toMatchObject({ ok: false });
		expect(
			await verify(await sign({ claims: { iss: 'https://other.supabase.co/auth/v1' } }))
		).toEqual({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
		expect(
			await verify(await sign({ url: 'https://abcdefghijkl.supabase.co.evil.example' }))
		).toMatchObject({ ok: false });
		expect(await verify(await sign({ claims: { sub: 'admin' } }))).toEqual({
			ok: false,
			reason: 'claims'
		});
		expect(await verify(await sign({ claims: { role: 'service_role' } }))).toEqual({
			ok: false,
			reason: 'claims'
		});
		expect(await verify(await sign({ claims: { is_anonymous: true } }))).toEqual({
			ok: false,
			reason: 'claims'
		});
		expect(await verify(await sign({ claims: { exp: undefined } }))).toMatchObject({ ok: false });
	});

	it('refuses the project anon key itself (a signed JWT, but of role anon without a user)', async () => {
		const anonKey = await signSupabaseToken(
			{ sub: randomUUID() },
			{
				url: URL,
				key: { secret: TEST_JWT_SECRET },
				claims: { aud: undefined, sub: undefined, role: 'anon', iss: 'supabase' }
			}
		);
		expect((await verify(anonKey)).ok).toBe(false);
	});

	it('refuses garbage without throwing', async () => {
		for (const token of ['', 'abc', 'a.b.c', 'x'.repeat(20_000), `${'a'.repeat(10)}..`]) {
			expect((await verify(token)).ok).toBe(false);
		}
	});
});

describe('RS256 and ES256 tokens against a JWKS', () => {
	let standIn: AuthStandIn;
	let rsa: SigningKey;
	let ec: SigningKey;
	let config: SupabaseConfig;

	beforeAll(async () => {
		rsa = await generateSigningKey('RS256');
		ec = await generateSigningKey('ES256');
		standIn = await startAuthStandIn({ port: 0 });
		standIn.setKeys([rsa.publicJwk, ec.publicJwk]);
		config = readSupabaseConfig({
			PUBLIC_SUPABASE_URL: URL,
			PUBLIC_SUPABASE_ANON_KEY: ANON,
			SUPABASE_JWKS_URL: `${standIn.url}/auth/v1/.well-known/jwks.json`
		})!;
	});
	afterAll(async () => {
		await standIn.close();
	});

	it('accepts RS256 and ES256 tokens, fetching the key set once', async () => {
		const verify = createTokenVerifier(config);
		const before = standIn.jwksFetches();
		for (const key of [rsa, ec, rsa, ec]) {
			const result = await verify(await signSupabaseToken(user, { url: URL, key }));
			expect(result).toMatchObject({ ok: true, claims: { sub: user.sub } });
		}
		expect(standIn.jwksFetches() - before).toBe(1);
	});

	it('refuses expired, tampered and wrongly signed asymmetric tokens', async () => {
		const verify = createTokenVerifier(config);
		expect(
			await verify(await signSupabaseToken(user, { url: URL, key: ec, expiresIn: -60 }))
		).toEqual({ ok: false, reason: 'ERR_JWT_EXPIRED' });
		const valid = await signSupabaseToken(user, { url: URL, key: rsa });
		expect(await verify(tamperToken(valid, { email: 'mallory@example.test' }))).toEqual({
			ok: false,
			reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
		});
		// A key of the attacker's own, claiming the published key's id.
		const stranger = await generateSigningKey('ES256', ec.kid);
		expect(await verify(await signSupabaseToken(user, { url: URL, key: stranger }))).toEqual({
			ok: false,
			reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
		});
	});

	it('refuses a key id that is not in the JWKS', async () => {
		const verify = createTokenVerifier(config);
		const unknown = await generateSigningKey('RS256', 'not-published');
		expect(await verify(await signSupabaseToken(user, { url: URL, key: unknown }))).toEqual({
			ok: false,
			reason: 'ERR_JWKS_NO_MATCHING_KEY'
		});
	});

	it('refuses HS256 tokens when only a JWKS is configured, also one keyed with the public key', async () => {
		const verify = createTokenVerifier(config);
		const hs = await signSupabaseToken(user, { url: URL, key: { secret: TEST_JWT_SECRET } });
		expect(await verify(hs)).toEqual({ ok: false, reason: 'alg_not_configured' });
		// The classic confusion attack: HMAC keyed with the published public key.
		for (const key of [rsa, ec]) {
			const confused = await signSupabaseToken(user, {
				url: URL,
				key: { secret: key.publicPem },
				header: { kid: key.kid }
			});
			expect((await verify(confused)).ok).toBe(false);
		}
	});

	it('with both a secret and a JWKS, each algorithm is checked with its own key only', async () => {
		const verify = createTokenVerifier({ ...config, jwtSecret: TEST_JWT_SECRET });
		expect((await verify(await signSupabaseToken(user, { url: URL, key: ec }))).ok).toBe(true);
		expect(
			(await verify(await signSupabaseToken(user, { url: URL, key: { secret: TEST_JWT_SECRET } })))
				.ok
		).toBe(true);
		const confused = await signSupabaseToken(user, {
			url: URL,
			key: { secret: rsa.publicPem },
			header: { kid: rsa.kid }
		});
		expect(await verify(confused)).toEqual({
			ok: false,
			reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
		});
	});

	it('signs out: ends the session at Supabase Auth and names every cookie chunk to delete', async () => {
		const project = readSupabaseConfig({
			PUBLIC_SUPABASE_URL: standIn.url,
			PUBLIC_SUPABASE_ANON_KEY: ANON
		})!;
		const token = await signSupabaseToken(user, { url: standIn.url, key: ec });
		const cookie = `theme=dark; ${sessionCookies(project.cookieName, token, { chunkSize: 200 })}`;
		const before = standIn.loggedOut();
		const names = await supabaseSignOut(project, { cookie });
		expect(standIn.loggedOut()).toBe(before + 1);
		expect(names.length).toBeGreaterThan(1);
		expect(names.every((n) => n.startsWith(`${project.cookieName}.`))).toBe(true);
		// Supabase unreachable: the cookies still go.
		const offline = { ...project, url: 'http://127.0.0.1:9' };
		expect(await supabaseSignOut(offline, { cookie })).toEqual(names);
	});

	it('signs nobody in when the JWKS cannot be fetched', async () => {
		const verify = createTokenVerifier({ ...config, jwksUrl: 'http://127.0.0.1:9/jwks.json' });
		expect(await verify(await signSupabaseToken(user, { url: URL, key: rsa }))).toEqual({
			ok: false,
			reason: 'jwks_unavailable'
		});
	});
});

describe('the @supabase/ssr session cookie', () => {
	const name = 'sb-abcdefghijkl-auth-token';
	const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

	it('reads a base64- cookie and a plain (URI-encoded JSON) one', () => {
		expect(readSupabaseSessionToken(sessionCookies(name, token), name)).toBe(token);
		expect(readSupabaseSessionToken(sessionCookies(name, token, { encoding: 'raw' }), name)).toBe(
			token
		);
		// Among other cookies, in any order.
		expect(
			readSupabaseSessionToken(`theme=dark; ${sessionCookies(name, token)}; lang=nl`, name)
		).toBe(token);
	});

	it('joins chunked cookies .0, .1, … in order', () => {
		const chunked = sessionCookies(name, token, { chunkSize: 40 });
		expect(chunked.split(';').length).toBeGreaterThan(3);
		expect(readSupabaseSessionToken(chunked, name)).toBe(token);
		// Sent in another order by the browser: still assembled by index.
		const shuffled = chunked.split('; ').reverse().join('; ');
		expect(readSupabaseSessionToken(shuffled, name)).toBe(token);
		expect(supabaseCookieNames(`x=1; ${chunked}`, name).sort()).toEqual(
			chunked
				.split('; ')
				.map((c) => c.split('=')[0])
				.sort()
		);
		// A missing middle chunk leaves an unreadable session.
		const parts = chunked.split('; ');
		expect(readSupabaseSessionToken([parts[0], ...parts.slice(2)].join('; '), name)).toBeNull();
	});

	it('reads the legacy array form and ignores other projects and garbage', () => {
		const legacy = `${name}=${encodeURIComponent(JSON.stringify([token, 'refresh', null]))}`;
		expect(readSupabaseSessionToken(legacy, name)).toBe(token);
		expect(readSupabaseSessionToken(sessionCookies('sb-other-auth-token', token), name)).toBeNull();
		for (const value of ['base64-%%%', 'base64-e30', '{"access_token":5}', 'null', '%E0%A4%A']) {
			expect(readSupabaseSessionToken(`${name}=${value}`, name)).toBeNull();
		}
		expect(readSupabaseSessionToken(undefined, name)).toBeNull();
	});

	it('reads a Bearer header', () => {
		expect(bearerToken(`Bearer ${token}`)).toBe(token);
		expect(bearerToken(`bearer  ${token} `)).toBe(token);
		expect(bearerToken(`Basic ${token}`)).toBeNull();
		expect(bearerToken(null)).toBeNull();
	});
});
