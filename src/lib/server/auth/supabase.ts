import type { JWTVerifyOptions } from 'jose';
import { z } from 'zod';
import type { Db } from '../db';
import type { AuthResolver } from './resolve';
import type { SessionUser } from './sessions';

/**
 * Supabase mode: users sign in with Supabase Auth (supabase-js in the browser); this server checks
 * their access tokens itself (signature, expiry, audience, issuer) and never asks Supabase who a
 * request is from. Memberships and roles live in the same tables as with built-in accounts.
 */
export interface SupabaseConfig {
	/** The project URL without a trailing slash, e.g. https://abcd.supabase.co. */
	url: string;
	anonKey: string;
	/** What Supabase Auth writes into `iss`: `${url}/auth/v1`. */
	issuer: string;
	/** Legacy shared secret: HS256 tokens are checked with it. */
	jwtSecret?: string;
	/** Asymmetric signing keys (RS256/ES256) are fetched from here and cached. */
	jwksUrl?: string;
	/** Name of the @supabase/ssr session cookie (`sb-<project-ref>-auth-token`, maybe chunked). */
	cookieName: string;
}

export class SupabaseConfigError extends Error {
	override name = 'SupabaseConfigError';
}

/** A Supabase JWT secret is 40+ characters; a short one is a copy-paste mistake, not a key. */
const MIN_SECRET_LENGTH = 32;

/**
 * Reads Supabase mode's settings. Returns null when none of them is set (built-in accounts); throws
 * a SupabaseConfigError naming what is missing when only some are, so that a half-configured server
 * does not silently start in the other mode.
 */
export function readSupabaseConfig(
	env: Record<string, string | undefined> = process.env
): SupabaseConfig | null {
	const url = env.PUBLIC_SUPABASE_URL?.trim() || undefined;
	const anonKey = env.PUBLIC_SUPABASE_ANON_KEY?.trim() || undefined;
	const jwtSecret = env.SUPABASE_JWT_SECRET?.trim() || undefined;
	const jwksSetting = env.SUPABASE_JWKS_URL?.trim() || undefined;
	if (!url && !anonKey && !jwtSecret && !jwksSetting) return null;

	const missing = [!url && 'PUBLIC_SUPABASE_URL', !anonKey && 'PUBLIC_SUPABASE_ANON_KEY'].filter(
		Boolean
	);
	if (missing.length > 0) {
		throw new SupabaseConfigError(
			`Supabase mode is half configured: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
				'Set PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY and SUPABASE_JWT_SECRET and/or SUPABASE_JWKS_URL, ' +
				'or none of them for built-in accounts.'
		);
	}
	const base = parseHttpUrl(url!, 'PUBLIC_SUPABASE_URL');
	const projectUrl = base.href.replace(/\/+$/, '');
	if (jwtSecret && jwtSecret.length < MIN_SECRET_LENGTH) {
		throw new SupabaseConfigError(
			`SUPABASE_JWT_SECRET is too short (${jwtSecret.length} characters): use the project's JWT secret (Project settings → API).`
		);
	}
	// Without a shared secret the project signs with asymmetric keys, published at the well-known URL.
	const jwksUrl = jwksSetting
		? parseHttpUrl(jwksSetting, 'SUPABASE_JWKS_URL').href
		: jwtSecret
			? undefined
			: `${projectUrl}/auth/v1/.well-known/jwks.json`;
	return {
		url: projectUrl,
		anonKey: anonKey!,
		issuer: `${projectUrl}/auth/v1`,
		jwtSecret,
		jwksUrl,
		cookieName: `sb-${base.hostname.split('.')[0]}-auth-token`
	};
}

function parseHttpUrl(value: string, name: string): URL {
	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		throw new SupabaseConfigError(`${name} is not a URL: ${JSON.stringify(value)}`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new SupabaseConfigError(`${name} must be an http(s) URL`);
	}
	return parsed;
}

// Tokens ------------------------------------------------------------------------------------------

/** The access token claims this server relies on (Supabase Auth writes more). */
export interface SupabaseClaims {
	sub: string;
	/** Expiry (seconds since the epoch), checked with CLOCK_TOLERANCE_SECONDS. */
	exp?: number;
	/** Supabase Auth's session this access token belongs to. */
	session_id?: string;
	email?: string;
	user_metadata?: Record<string, unknown>;
}

export type VerifyResult =
	| { ok: true; claims: SupabaseClaims }
	| {
			ok: false;
			/** jose's error code (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED, …) or ours. */
			reason: string;
	  };

/** A few seconds of clock difference between Supabase's servers and this one. */
export const CLOCK_TOLERANCE_SECONDS = 10;
/** Real access tokens are 1–2 kB; anything far larger is not worth parsing. */
const MAX_TOKEN_LENGTH = 16_384;

const claimsSchema = z.object({
	sub: z.uuid(),
	exp: z.number(),
	session_id: z.string().max(200).optional(),
	role: z.literal('authenticated'),
	email: z.string().max(320).optional(),
	user_metadata: z.record(z.string(), z.unknown()).nullish(),
	// Anonymous sign-ins also get role 'authenticated'; a board of personal data is not for them.
	is_anonymous: z.literal(false).optional()
});

export type TokenVerifier = (token: string) => Promise<VerifyResult>;

type Jose = typeof import('jose') & { jwks?: ReturnType<typeof import('jose').createRemoteJWKSet> };

/**
 * Checks a Supabase access token: the signature (HS256 with the secret, RS256/ES256 with a key from
 * the JWKS; never `none`, and never an HS token against a public key, since the algorithm picks
 * the key source and each source allows only its own algorithms), `exp`, `aud`, `iss`, a uuid
 * `sub` and role 'authenticated'. The only network call is the JWKS fetch, which jose caches.
 */
export function createTokenVerifier(config: SupabaseConfig): TokenVerifier {
	const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined;
	// jose (~100 modules, ~1 MB of heap) loads with the first token: a server without Supabase
	// Auth never needs it.
	let loaded: Promise<Jose> | undefined;
	const jose = () =>
		(loaded ??= import('jose').then((jose) => ({
			...jose,
			jwks: config.jwksUrl
				? jose.createRemoteJWKSet(new URL(config.jwksUrl), {
						timeoutDuration: 5_000,
						// An unknown key id refetches at most this often (key rotation), not per forged token.
						cooldownDuration: 30_000,
						cacheMaxAge: 10 * 60_000
					})
				: undefined
		})));
	const common: JWTVerifyOptions = {
		issuer: config.issuer,
		audience: 'authenticated',
		clockTolerance: CLOCK_TOLERANCE_SECONDS,
		requiredClaims: ['exp', 'sub']
	};

	return async (token) => {
		if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'too_long' };
		const { decodeProtectedHeader, jwtVerify, jwks } = await jose();
		let alg: string | undefined;
		try {
			alg = decodeProtectedHeader(token).alg;
		} catch {
			return { ok: false, reason: 'malformed' };
		}
		let payload: unknown;
		try {
			if (alg === 'HS256') {
				if (!secret) return { ok: false, reason: 'alg_not_configured' };
				({ payload } = await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] }));
			} else if (alg === 'RS256' || alg === 'ES256') {
				if (!jwks) return { ok: false, reason: 'alg_not_configured' };
				({ payload } = await jwtVerify(token, jwks, { ...common, algorithms: ['RS256', 'ES256'] }));
			} else {
				return { ok: false, reason: 'alg_not_allowed' };
			}
		} catch (err) {
			const code = (err as { code?: unknown }).code;
			const fetchFailed =
				alg !== 'HS256' &&
				(typeof code !== 'string' || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC');
			if (fetchFailed) {
				// The key set could not be fetched (network, timeout, not 200): the operator must hear
				// of it; the user is simply not signed in. The token itself is never logged.
				console.warn(`[buurtbord] Supabase JWKS unavailable: ${(err as Error).message}`);
				return { ok: false, reason: 'jwks_unavailable' };
			}
			if (typeof code === 'string') return { ok: false, reason: code };
			throw err;
		}
		const claims = claimsSchema.safeParse(payload);
		if (!claims.success) return { ok: false, reason: 'claims' };
		return {
			ok: true,
			claims: {
				sub: claims.data.sub,
				exp: claims.data.exp,
				session_id: claims.data.session_id,
				email: claims.data.email,
				user_metadata: claims.data.user_metadata ?? undefined
			}
		};
	};
}

// Cookies -----------------------------------------------------------------------------------------

const BASE64_PREFIX = 'base64-';

/** All cookies of a Cookie header, by name (the first one wins, as browsers send the most specific first). */
function parseCookies(header: string): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		if (!name || cookies.has(name)) continue;
		let value = part.slice(eq + 1).trim();
		if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
		try {
			cookies.set(name, decodeURIComponent(value));
		} catch {
			// Not ours or garbled: skip it.
		}
	}
	return cookies;
}

/** The names of the session cookie and its chunks present in a Cookie header (for sign-out). */
export function supabaseCookieNames(
	header: string | null | undefined,
	cookieName: string
): string[] {
	if (!header) return [];
	const chunk = new RegExp(
		`^${cookieName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(0|[1-9]\\d*)$`
	);
	return [...parseCookies(header).keys()].filter((name) => name === cookieName || chunk.test(name));
}

/**
 * The access token from @supabase/ssr's session cookie: `<name>` or chunks `<name>.0`, `<name>.1`…
 * (read as @supabase/ssr combines them: the whole cookie first, else the chunks in order until one
 * is missing), the value JSON or `base64-` + base64url(JSON) of supabase-js's session
 * (`{ access_token, refresh_token, … }`; very old helpers stored `[access_token, refresh_token, …]`).
 */
export function readSupabaseSessionToken(
	header: string | null | undefined,
	cookieName: string
): string | null {
	if (!header) return null;
	const cookies = parseCookies(header);
	let raw = cookies.get(cookieName);
	if (!raw) {
		const chunks: string[] = [];
		for (let i = 0; ; i++) {
			const chunk = cookies.get(`${cookieName}.${i}`);
			if (!chunk) break;
			chunks.push(chunk);
		}
		raw = chunks.join('');
	}
	if (!raw || raw.length > 4 * MAX_TOKEN_LENGTH) return null;
	let json = raw;
	if (raw.startsWith(BASE64_PREFIX)) {
		const encoded = raw.slice(BASE64_PREFIX.length);
		if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encoded)) return null;
		json = Buffer.from(encoded, 'base64url').toString('utf8');
	}
	let session: unknown;
	try {
		session = JSON.parse(json);
	} catch {
		return null;
	}
	const token = Array.isArray(session)
		? session[0]
		: (session as { access_token?: unknown } | null)?.access_token;
	return typeof token === 'string' && token.length > 0 ? token : null;
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | null | undefined): string | null {
	const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
	return match ? match[1]! : null;
}

// Profiles ----------------------------------------------------------------------------------------

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;

/** The display name for a new profile: the name the user gave Supabase, else the email's local part. */
export function displayNameFor(claims: SupabaseClaims): string {
	const meta = claims.user_metadata ?? {};
	for (const key of ['full_name', 'name'] as const) {
		const value = meta[key];
		if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
	}
	const local = claims.email?.split('@')[0]?.trim();
	if (local) return local.slice(0, 200);
	return `user-${claims.sub.slice(0, 8)}`;
}

interface ProfileRow {
	id: string;
	email: string | null;
	display_name: string;
	organisation_id: string | null;
}

function toUser(row: ProfileRow): SessionUser {
	return {
		id: row.id,
		email: row.email,
		displayName: row.display_name,
		organisationId: row.organisation_id
	};
}

/**
 * The profile of a Supabase user, created on first sight (id = the token's `sub`). No organisation:
 * that and every membership come from invitations and owners, never from what a token says.
 */
export async function ensureProfile(db: Db, claims: SupabaseClaims): Promise<SessionUser> {
	const select = () =>
		db.query<ProfileRow>(
			'select id, email, display_name, organisation_id from public.profiles where id = $1',
			[claims.sub]
		);
	const [existing] = await select();
	if (existing) return toUser(existing);
	const email = claims.email && EMAIL_PATTERN.test(claims.email) ? claims.email : null;
	const insert = (withEmail: string | null) =>
		db.query(
			`insert into public.profiles (id, display_name, email) values ($1, $2, $3)
			 on conflict (id) do nothing`,
			[claims.sub, displayNameFor(claims), withEmail]
		);
	try {
		await insert(email);
	} catch (err) {
		if ((err as { code?: unknown }).code !== '23505') throw err;
		// Another profile (e.g. a built-in account) has this address: never merge identities on an
		// email claim; this user starts without one.
		console.warn(`[buurtbord] Supabase user ${claims.sub}: email already used by another profile`);
		await insert(null);
	}
	const [created] = await select();
	if (!created) throw new Error(`profile ${claims.sub} was not created`);
	return toUser(created);
}

// Resolver ----------------------------------------------------------------------------------------

export interface SupabaseResolver extends AuthResolver {
	readonly mode: 'supabase';
	readonly config: SupabaseConfig;
	verify: TokenVerifier;
}

/**
 * Supabase mode's AuthResolver: the access token from `Authorization: Bearer` (API clients, the
 * sync socket's ?access_token=) or from the @supabase/ssr session cookie (browsers).
 */
export function supabaseResolver(db: Db, config: SupabaseConfig): SupabaseResolver {
	const verify = createTokenVerifier(config);
	return {
		mode: 'supabase',
		config,
		verify,
		async resolve({ cookie, authorization }) {
			const token =
				bearerToken(authorization) ?? readSupabaseSessionToken(cookie, config.cookieName);
			if (!token) return null;
			const result = await verify(token);
			if (!result.ok) return null;
			const { exp, session_id } = result.claims;
			return {
				user: await ensureProfile(db, result.claims),
				sessionId: session_id,
				// The verifier accepts the token until exp + its clock tolerance.
				expiresAt: exp ? new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000) : undefined
			};
		}
	};
}

export function isSupabaseResolver(auth: AuthResolver): auth is SupabaseResolver {
	return auth.mode === 'supabase' && 'config' in auth;
}

/**
 * Signing out in Supabase mode: asks Supabase Auth to end this session (so its refresh token can
 * no longer mint access tokens: best effort, a few seconds at most, an already expired access
 * token cannot do it) and returns the session cookie names to delete. An access token already
 * handed out stays valid until its `exp`, as with any Supabase project.
 */
export async function supabaseSignOut(
	config: SupabaseConfig,
	credentials: { cookie?: string | null; authorization?: string | null }
): Promise<string[]> {
	const token =
		bearerToken(credentials.authorization) ??
		readSupabaseSessionToken(credentials.cookie, config.cookieName);
	if (token) {
		try {
			const res = await fetch(`${config.url}/auth/v1/logout?scope=local`, {
				method: 'POST',
				headers: { apikey: config.anonKey, authorization: `Bearer ${token}` },
				signal: AbortSignal.timeout(3_000)
			});
			await res.body?.cancel();
		} catch (err) {
			console.warn(`[buurtbord] Supabase sign-out not confirmed: ${(err as Error).message}`);
		}
	}
	return supabaseCookieNames(credentials.cookie, config.cookieName);
}
