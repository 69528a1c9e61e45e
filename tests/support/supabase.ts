import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * Supabase Auth (GoTrue) cannot run here. These helpers sign access tokens the way it does (same
 * header and claims, HS256 with the project's JWT secret or RS256/ES256 with a key published in a
 * JWKS) and serve a small stand-in of its HTTP API for the real supabase-js in a browser.
 */

/** A JWT secret of the length Supabase generates. */
export const TEST_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

export interface SigningKey {
	alg: 'RS256' | 'ES256';
	kid: string;
	privateKey: CryptoKey;
	publicJwk: JWK;
	/** SPKI PEM of the public key (for the "HS256 signed with the public key" attack). */
	publicPem: string;
}

export async function generateSigningKey(
	alg: 'RS256' | 'ES256',
	kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`
): Promise<SigningKey> {
	const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
	const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
	return { alg, kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface TokenUser {
	sub: string;
	email?: string;
	user_metadata?: Record<string, unknown>;
}

export interface SignOptions {
	/** The project URL; `iss` is `${url}/auth/v1` as Supabase writes it. */
	url: string;
	/** HS256 with this secret, or an asymmetric key with its kid. */
	key: { secret: string } | SigningKey;
	/** Seconds from now; negative for an expired token. Supabase's default is 3600. */
	expiresIn?: number;
	/** Claims to replace or add (aud, iss, role, …); undefined values remove a claim. */
	claims?: Record<string, unknown>;
	/** Header fields to override (e.g. a kid not in the JWKS). */
	header?: Record<string, unknown>;
}

/** An access token with the header and claims Supabase Auth issues after a password sign-in. */
export async function signSupabaseToken(user: TokenUser, options: SignOptions): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	const payload: Record<string, unknown> = {
		aud: 'authenticated',
		exp: now + (options.expiresIn ?? 3600),
		iat: now,
		iss: `${options.url.replace(/\/+$/, '')}/auth/v1`,
		sub: user.sub,
		email: user.email ?? '',
		phone: '',
		app_metadata: { provider: 'email', providers: ['email'] },
		user_metadata: user.user_metadata ?? { email_verified: true },
		role: 'authenticated',
		aal: 'aal1',
		amr: [{ method: 'password', timestamp: now }],
		session_id: randomUUID(),
		is_anonymous: false
	};
	for (const [name, value] of Object.entries(options.claims ?? {})) {
		if (value === undefined) delete payload[name];
		else payload[name] = value;
	}
	const key = options.key;
	const header =
		'secret' in key
			? { alg: 'HS256', typ: 'JWT', ...options.header }
			: { alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header };
	return new SignJWT(payload)
		.setProtectedHeader(header as { alg: string })
		.sign('secret' in key ? new TextEncoder().encode(key.secret) : key.privateKey);
}

/** A token with `alg: none` and no signature. */
export function unsignedToken(claims: Record<string, unknown>): string {
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** The same token with one payload claim changed after signing (signature kept). */
export function tamperToken(token: string, change: Record<string, unknown>): string {
	const [header, payload, signature] = token.split('.');
	const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
	const tampered = Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url');
	return `${header}.${tampered}.${signature}`;
}

/** The session JSON supabase-js stores, as @supabase/ssr writes it into its cookie(s). */
export function sessionCookies(
	cookieName: string,
	accessToken: string,
	options: { encoding?: 'base64url' | 'raw'; chunkSize?: number } = {}
): string {
	const session = JSON.stringify({
		access_token: accessToken,
		token_type: 'bearer',
		expires_in: 3600,
		expires_at: Math.floor(Date.now() / 1000) + 3600,
		refresh_token: randomUUID(),
		user: { id: 'ignored-by-the-server' }
	});
	const value =
		options.encoding === 'raw'
			? encodeURIComponent(session)
			: `base64-${Buffer.from(session).toString('base64url')}`;
	const size = options.chunkSize;
	if (!size || value.length <= size) return `${cookieName}=${value}`;
	const parts: string[] = [];
	for (let i = 0; i * size < value.length; i++) {
		parts.push(`${cookieName}.${i}=${value.slice(i * size, (i + 1) * size)}`);
	}
	return parts.join('; ');
}

// Stand-in server ---------------------------------------------------------------------------------

export interface StandInUser {
	id: string;
	email: string;
	password: string;
	user_metadata?: Record<string, unknown>;
}

export interface AuthStandIn {
	url: string;
	port: number;
	/** How often the JWKS was fetched. */
	jwksFetches(): number;
	/** Replaces the published keys (key rotation). */
	setKeys(keys: JWK[]): void;
	/** Sessions ended by /logout. */
	loggedOut(): number;
	/** Sessions renewed with a refresh token. */
	refreshes(): number;
	close(): Promise<void>;
}

/**
 * A stand-in for Supabase Auth's HTTP API, enough for supabase-js's password sign-in: publishes the
 * JWKS (`/auth/v1/.well-known/jwks.json`), answers `/auth/v1/token?grant_type=password` and
 * `refresh_token` with a session whose access token is signed like Supabase's, `/auth/v1/user` and
 * `/auth/v1/logout`. Not GoTrue: no sign-up, no email, no rate limits.
 */
export async function startAuthStandIn(
	options: {
		key?: SigningKey;
		users?: StandInUser[];
		port?: number;
		/** The project URL the tokens name as issuer (defaults to this server's own URL). */
		issuerUrl?: string;
		/** Lifetime of issued sessions (Supabase's default: an hour). */
		sessionSeconds?: number;
	} = {}
): Promise<AuthStandIn> {
	let keys: JWK[] = options.key ? [options.key.publicJwk] : [];
	let fetches = 0;
	let loggedOut = 0;
	let refreshes = 0;
	const refreshTokens = new Map<string, StandInUser>();
	const lifetime = options.sessionSeconds ?? 3600;
	let url = '';

	async function session(user: StandInUser) {
		const accessToken = await signSupabaseToken(
			{ sub: user.id, email: user.email, user_metadata: user.user_metadata },
			{ url: options.issuerUrl ?? url, key: options.key!, expiresIn: lifetime }
		);
		const refreshToken = randomUUID();
		refreshTokens.set(refreshToken, user);
		return {
			access_token: accessToken,
			token_type: 'bearer',
			expires_in: lifetime,
			expires_at: Math.floor(Date.now() / 1000) + lifetime,
			refresh_token: refreshToken,
			user: publicUser(user)
		};
	}

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		// The browser calls from the app's origin.
		res.setHeader('access-control-allow-origin', '*');
		res.setHeader('access-control-allow-headers', '*');
		res.setHeader('access-control-allow-methods', 'GET, POST, PUT, OPTIONS');
		if (req.method === 'OPTIONS') return send(res, 204);
		const reqUrl = new URL(req.url ?? '/', 'http://x');
		if (req.method === 'GET' && reqUrl.pathname === '/auth/v1/.well-known/jwks.json') {
			fetches++;
			return send(res, 200, { keys });
		}
		if (req.method === 'POST' && reqUrl.pathname === '/auth/v1/token') {
			const body = await readJson(req);
			const grant = reqUrl.searchParams.get('grant_type');
			if (grant === 'password') {
				const user = options.users?.find(
					(u) => u.email.toLowerCase() === String(body.email ?? '').toLowerCase()
				);
				if (!user || user.password !== body.password) {
					return send(res, 400, {
						code: 400,
						error_code: 'invalid_credentials',
						msg: 'Invalid login credentials'
					});
				}
				return send(res, 200, await session(user));
			}
			if (grant === 'refresh_token') {
				const user = refreshTokens.get(String(body.refresh_token ?? ''));
				if (!user) {
					return send(res, 400, {
						code: 400,
						error_code: 'refresh_token_not_found',
						msg: 'Invalid Refresh Token: Refresh Token Not Found'
					});
				}
				refreshTokens.delete(String(body.refresh_token));
				refreshes++;
				return send(res, 200, await session(user));
			}
			return send(res, 400, { code: 400, error_code: 'unsupported_grant_type', msg: 'grant' });
		}
		if (req.method === 'GET' && reqUrl.pathname === '/auth/v1/user') {
			const user = options.users?.[0];
			return user ? send(res, 200, publicUser(user)) : send(res, 401, {});
		}
		if (req.method === 'POST' && reqUrl.pathname === '/auth/v1/logout') {
			loggedOut++;
			return send(res, 204);
		}
		send(res, 404, { code: 404, msg: 'not in this stand-in' });
	};

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((err) => send(res, 500, { msg: String(err) }));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	url = `http://127.0.0.1:${port}`;
	return {
		url,
		port,
		jwksFetches: () => fetches,
		setKeys: (next) => (keys = next),
		loggedOut: () => loggedOut,
		refreshes: () => refreshes,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

function publicUser(user: StandInUser) {
	return {
		id: user.id,
		aud: 'authenticated',
		role: 'authenticated',
		email: user.email,
		email_confirmed_at: new Date(0).toISOString(),
		app_metadata: { provider: 'email', providers: ['email'] },
		user_metadata: user.user_metadata ?? {},
		identities: [],
		created_at: new Date(0).toISOString(),
		updated_at: new Date(0).toISOString(),
		is_anonymous: false
	};
}

function send(res: ServerResponse, status: number, body?: unknown) {
	if (body === undefined) {
		res.writeHead(status).end();
		return;
	}
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	let raw = '';
	for await (const chunk of req) raw += chunk;
	try {
		return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
