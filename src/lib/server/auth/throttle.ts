import type { Queryable } from '../db';

/** At most this many failed sign-ins per key within the window; the next attempt waits. */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

export type ThrottleResult = { allowed: true } | { allowed: false; retryAfterMinutes: number };

/** Throttling key: the normalised email address together with the client's address. */
export function throttleKey(email: string, ip: string): string {
	return `${email.trim().toLowerCase()}|${ip}`;
}

/** Whether another sign-in attempt may be made for this key now, and if not, for how long not. */
export async function checkThrottle(db: Queryable, key: string): Promise<ThrottleResult> {
	const [row] = await db.query<{ failures: number; wait_ms: number | null }>(
		`select count(*)::int as failures,
		        extract(epoch from (min(at) + $2 * interval '1 millisecond' - now())) * 1000 as wait_ms
		 from (
		   select at from public.login_attempts
		   where key = $1 and at > now() - $2 * interval '1 millisecond'
		   order by at desc
		   limit $3
		 ) recent`,
		[key, WINDOW_MS, MAX_FAILURES]
	);
	if (!row || row.failures < MAX_FAILURES) return { allowed: true };
	// The oldest of the last MAX_FAILURES failures leaving the window frees the next attempt.
	const waitMs = Math.max(0, Number(row.wait_ms ?? 0));
	return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil(waitMs / 60_000)) };
}

/** Records a failed sign-in, and forgets this key's failures that fell out of the window. */
export async function recordFailure(db: Queryable, key: string): Promise<void> {
	await db.query(
		`delete from public.login_attempts where key = $1 and at <= now() - $2 * interval '1 millisecond'`,
		[key, WINDOW_MS]
	);
	await db.query('insert into public.login_attempts (key) values ($1)', [key]);
}

/** A successful sign-in clears the key's failures. */
export async function clearFailures(db: Queryable, key: string): Promise<void> {
	await db.query('delete from public.login_attempts where key = $1', [key]);
}
