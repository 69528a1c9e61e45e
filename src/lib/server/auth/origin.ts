import type { IncomingMessage } from 'node:http';

/**
 * Which page origin may open the sync socket. A websocket upgrade is not covered by CORS or by
 * SvelteKit's form check, and the SameSite=Lax session cookie is sent along for any page of the
 * same *site* (another port on the same host, a sibling subdomain), so the server compares the
 * Origin header itself, exactly (scheme, host and port), with the app's own origin:
 *
 * - `ORIGIN` set (the public URL behind a proxy, as adapter-node reads it): that origin;
 * - else the request's own origin: its scheme (the socket's: TLS or not) and its Host header, or,
 *   only when configured as for adapter-node, the proxy's `PROTOCOL_HEADER` / `HOST_HEADER`
 *   (e.g. x-forwarded-proto / x-forwarded-host; a header nobody configured is never trusted).
 *
 * Browsers always send Origin on a websocket upgrade. A request without one is a non-browser
 * client: it is let through only when it carries no Cookie header (it authenticates with
 * `Authorization: Bearer` or `?access_token=`, which no foreign page can take from a browser).
 * A Node client that signs in with the session cookie must send Origin like a browser does.
 */
export interface OriginPolicy {
	/** The app's public origin (ORIGIN), if configured. */
	origin?: string;
	/** Header naming the scheme, set by a trusted proxy (PROTOCOL_HEADER). */
	protocolHeader?: string;
	/** Header naming the host, set by a trusted proxy (HOST_HEADER). */
	hostHeader?: string;
}

export function readOriginPolicy(
	env: Record<string, string | undefined> = process.env
): OriginPolicy {
	return {
		origin: env.ORIGIN ? new URL(env.ORIGIN).origin : undefined,
		protocolHeader: env.PROTOCOL_HEADER?.toLowerCase() || undefined,
		hostHeader: env.HOST_HEADER?.toLowerCase() || undefined
	};
}

function header(request: IncomingMessage, name: string): string | undefined {
	const value = request.headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return first?.split(',')[0]?.trim() || undefined;
}

/** The origin this request was made to, as the browser saw it; undefined when it cannot be told. */
export function ownOrigin(request: IncomingMessage, policy: OriginPolicy): string | undefined {
	if (policy.origin) return policy.origin;
	const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted;
	const scheme =
		(policy.protocolHeader && header(request, policy.protocolHeader)) ||
		(encrypted ? 'https' : 'http');
	const host = (policy.hostHeader && header(request, policy.hostHeader)) || request.headers.host;
	if (!host || (scheme !== 'http' && scheme !== 'https')) return undefined;
	try {
		const url = new URL(`${scheme}://${host}`);
		// A Host header with a path, user info or the like is not a host.
		if (url.pathname !== '/' || url.username || url.password || url.search || url.hash) {
			return undefined;
		}
		return url.origin;
	} catch {
		return undefined;
	}
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/** Whether a websocket upgrade request may go on (see OriginPolicy for the rule). */
export function checkUpgradeOrigin(request: IncomingMessage, policy: OriginPolicy): OriginVerdict {
	const origin = request.headers.origin;
	if (origin === undefined) {
		return request.headers.cookie
			? { ok: false, reason: 'origin required with a cookie' }
			: { ok: true };
	}
	const own = ownOrigin(request, policy);
	if (!own) return { ok: false, reason: 'unknown own origin' };
	let given: string;
	try {
		given = new URL(origin).origin;
	} catch {
		return { ok: false, reason: 'foreign origin' };
	}
	// "null" (sandboxed frames, file: pages) parses to the opaque origin "null": never ours.
	return given === own && given !== 'null' ? { ok: true } : { ok: false, reason: 'foreign origin' };
}
