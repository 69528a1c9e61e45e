import { createHash } from 'node:crypto';
import type { Db } from '../db';

/** At most this many failed sign-ins per key within the window; the next attempt waits. */
export const MAX_FAILURES = 5;
/**
 * At most this many failed sign-ins per client address within the window, whatever the email: each
 * attempt costs a password hash (tens of megabytes and a thread for a while), so a flood with ever
 * new addresses from one client stalled the server for everyone (300 at once: pages took 45 s).
 */
export const MAX_FAILURES_PER_ADDRESS = 50;
export const WINDOW_MS = 15 * 60 * 1000;

export type ThrottleResult = { allowed: true } | { allowed: false; retryAfterMinutes: number };

/**
 * Throttling key: the normalised email address together with the client's address, as a SHA-256
 * digest. Fixed in length whatever a sign-in form carries (a key of a few kilobytes of random text
 * no longer fits the key's index, and the sign-in failed with a server error), and the table of
 * failed attempts holds no email address typed by anyone.
 */
export function throttleKey(email: string, ip: string): string {
	return createHash('sha256').update(`${email.trim().toLowerCase()}|${ip}`).digest('base64url');
}

/** Throttling key of a client address alone (MAX_FAILURES_PER_ADDRESS). */
export function addressKey(ip: string): string {
	return `address:${createHash('sha256').update(ip).digest('base64url')}`;
}

/**
 * Takes one attempt for this key, or says for how long none is allowed. The attempt is counted
 * as a failure *before* the password is checked (a success clears it, see clearFailures), and the
 * count and the insert happen under a transaction-scoped advisory lock on the key: of any number
 * of simultaneous attempts, from one process or several on the same database, at most
 * MAX_FAILURES per window get evaluated. The lock is taken in its own statement, so the count
 * that follows reads every attempt committed before it (READ COMMITTED takes a snapshot per
 * statement). Works the same on PGlite (one connection, so already serial) and PostgreSQL.
 */
export async function takeAttempt(
	db: Db,
	key: string,
	maxFailures: number = MAX_FAILURES
): Promise<ThrottleResult> {
	return db.transaction(async (tx) => {
		await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 7001))', [key]);
		// Every key's attempts older than the window, not only this key's: attempts with ever new
		// addresses would otherwise stay in the table for good.
		await tx.query(
			`delete from public.login_attempts where at <= now() - $1 * interval '1 millisecond'`,
			[WINDOW_MS]
		);
		const [row] = await tx.query<{ failures: number; wait_ms: number | null }>(
			`select count(*)::int as failures,
			        extract(epoch from (min(at) + $2 * interval '1 millisecond' - now())) * 1000 as wait_ms
			 from (
			   select at from public.login_attempts
			   where key = $1 and at > now() - $2 * interval '1 millisecond'
			   order by at desc
			   limit $3
			 ) recent`,
			[key, WINDOW_MS, maxFailures]
		);
		if (row && row.failures >= maxFailures) {
			// The oldest of the last MAX_FAILURES failures leaving the window frees the next attempt.
			const waitMs = Math.max(0, Number(row.wait_ms ?? 0));
			return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil(waitMs / 60_000)) };
		}
		await tx.query('insert into public.login_attempts (key) values ($1)', [key]);
		return { allowed: true };
	});
}

/** A successful sign-in clears the key's failures (including the attempt it took). */
export async function clearFailures(db: Db, key: string): Promise<void> {
	await db.query('delete from public.login_attempts where key = $1', [key]);
}
