import type { Db } from '../db';
import { hashToken, SESSION_COOKIE, validateSession, type SessionUser } from './sessions';

/** What a request carries that may identify its user (an HTTP request or a websocket upgrade). */
export interface RequestCredentials {
	/** The Cookie header. */
	cookie?: string | null;
	/** The Authorization header ("Bearer <token>"). */
	authorization?: string | null;
}

export interface ResolvedUser {
	user: SessionUser;
	/** Embedded sessions: the (possibly renewed) expiry, for refreshing the cookie. */
	session?: { token: string; expiresAt: Date };
	/**
	 * Which session this is, to end its sockets when it ends (session-events.ts): the SHA-256 of
	 * the built-in session token, or the Supabase access token's `session_id` claim.
	 */
	sessionId?: string;
	/** When these credentials stop being valid (session expiry, access token `exp`). */
	expiresAt?: Date;
}

/**
 * Turns request credentials into the signed-in user, or null. One implementation per auth mode:
 * built-in accounts (session cookie) or Supabase Auth (access token, checked by this server).
 */
export interface AuthResolver {
	readonly mode: 'embedded' | 'supabase';
	resolve(credentials: RequestCredentials): Promise<ResolvedUser | null>;
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() !== name) continue;
		const value = part.slice(eq + 1).trim();
		try {
			return decodeURIComponent(value);
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/** Built-in accounts: the session cookie set at sign-in. */
export function embeddedResolver(db: Db): AuthResolver {
	return {
		mode: 'embedded',
		async resolve({ cookie }) {
			const token = readCookie(cookie, SESSION_COOKIE);
			if (!token) return null;
			const session = await validateSession(db, token);
			return session
				? {
						user: session.user,
						session: { token, expiresAt: session.expiresAt },
						sessionId: hashToken(token),
						expiresAt: session.expiresAt
					}
				: null;
		}
	};
}
