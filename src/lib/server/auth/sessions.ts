import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { emitSessionEnded } from './session-events';

/** A session lasts this long after it was last used (sliding expiry). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** The expiry moves forward at most once per this interval, not on every request. */
const RENEW_AFTER_MS = 24 * 60 * 60 * 1000;

export const SESSION_COOKIE = 'buurtbord_session';

export interface SessionUser {
	id: string;
	email: string | null;
	displayName: string;
	organisationId: string | null;
}

export interface ValidSession {
	user: SessionUser;
	expiresAt: Date;
}

/** SHA-256 of the token: all the database ever sees of it. */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

/** Starts a session; the returned token goes into the cookie and is stored only as its hash. */
export async function createSession(
	db: Queryable,
	userId: string
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const [row] = await db.query<{ expires_at: Date }>(
		`insert into public.sessions (id_hash, user_id, expires_at)
		 values ($1, $2, now() + $3 * interval '1 millisecond')
		 returning expires_at`,
		[hashToken(token), userId, SESSION_TTL_MS]
	);
	return { token, expiresAt: new Date(row!.expires_at) };
}

/** The signed-in user for a cookie token, or null; an expired session is deleted. */
export async function validateSession(
	db: Queryable,
	token: string | undefined | null
): Promise<ValidSession | null> {
	if (!token || token.length > 200) return null;
	const idHash = hashToken(token);
	const [row] = await db.query<{
		user_id: string;
		email: string | null;
		display_name: string;
		organisation_id: string | null;
		expires_at: Date;
		expired: boolean;
		renew: boolean;
	}>(
		`select s.user_id, p.email, p.display_name, p.organisation_id, s.expires_at,
		        s.expires_at <= now() as expired,
		        s.last_seen_at <= now() - $2 * interval '1 millisecond' as renew
		 from public.sessions s join public.profiles p on p.id = s.user_id
		 where s.id_hash = $1`,
		[idHash, RENEW_AFTER_MS]
	);
	if (!row) return null;
	if (row.expired) {
		await db.query('delete from public.sessions where id_hash = $1', [idHash]);
		emitSessionEnded({ sessionId: idHash });
		return null;
	}
	let expiresAt = new Date(row.expires_at);
	if (row.renew) {
		const [renewed] = await db.query<{ expires_at: Date }>(
			`update public.sessions
			 set last_seen_at = now(), expires_at = now() + $2 * interval '1 millisecond'
			 where id_hash = $1
			 returning expires_at`,
			[idHash, SESSION_TTL_MS]
		);
		if (renewed) expiresAt = new Date(renewed.expires_at);
	}
	return {
		user: {
			id: row.user_id,
			email: row.email,
			displayName: row.display_name,
			organisationId: row.organisation_id
		},
		expiresAt
	};
}

/**
 * Signs out one session (by its cookie token). Its open sync sockets are closed
 * (session-events.ts), whether or not the row was still there.
 */
export async function invalidateSession(db: Queryable, token: string): Promise<void> {
	const idHash = hashToken(token);
	await db.query('delete from public.sessions where id_hash = $1', [idHash]);
	emitSessionEnded({ sessionId: idHash });
}

/**
 * Signs a user out everywhere: what a password change or the removal of the account must call.
 * Every open sync socket of the user is closed.
 */
export async function invalidateAllForUser(db: Queryable, userId: string): Promise<void> {
	await db.query('delete from public.sessions where user_id = $1', [userId]);
	emitSessionEnded({ userId });
}

/** Removes expired sessions (for a periodic job). Returns how many went. */
export async function deleteExpiredSessions(db: Queryable): Promise<number> {
	const rows = await db.query<{ id_hash: string }>(
		'delete from public.sessions where expires_at <= now() returning id_hash'
	);
	for (const row of rows) emitSessionEnded({ sessionId: row.id_hash });
	return rows.length;
}

export interface SessionCookieOptions {
	path: '/';
	httpOnly: true;
	sameSite: 'lax';
	secure: boolean;
	expires: Date;
}

/** Options for SvelteKit's cookies.set: httpOnly, SameSite=Lax, Secure when served over https. */
export function sessionCookieOptions(url: URL, expiresAt: Date): SessionCookieOptions {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	};
}
