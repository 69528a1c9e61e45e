import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticate, createAccount } from '../../src/lib/server/auth/accounts';
import { MAX_FAILURES, MAX_FAILURES_PER_ADDRESS } from '../../src/lib/server/auth/throttle';
import type { Db } from '../../src/lib/server/db';
import { migratedDb } from '../support/db';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startSeededServer } from '../support/seeded-server';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * Sign-in throttling under concurrency (issue 8.1): a burst of wrong passwords sent at the same
 * moment must not all be evaluated. At most MAX_FAILURES per email + address get a "wrong
 * password" answer; the rest are throttled (429), also when the burst is spread over two server
 * processes on one PostgreSQL database.
 */
const BURST = 41;

function signIn(base: string, email: string, password: string): Promise<number> {
	return fetch(`${base}/login`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			// As a form without JavaScript posts (a fetch would get JSON with status 200).
			accept: 'text/html',
			origin: base
		},
		body: new URLSearchParams({ email, password }).toString(),
		redirect: 'manual'
	}).then(async (res) => {
		await res.body?.cancel();
		return res.status;
	});
}

function tally(statuses: number[]): Record<number, number> {
	const out: Record<number, number> = {};
	for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
	return out;
}

describe.each(DRIVERS)('sign-in throttling under a burst (%s)', (driver) => {
	let db: Db | undefined;
	afterAll(async () => {
		await db?.close();
	});

	it('evaluates at most five of 41 simultaneous wrong passwords', async () => {
		db = await migratedDb(driver);
		const created = await createAccount(db, {
			email: 'anna@woonwaarts.nl',
			password: 'a long enough password',
			displayName: 'Anna',
			organisationName: 'Woonwaarts'
		});
		expect(created.ok).toBe(true);
		const results = await Promise.all(
			Array.from({ length: BURST }, (_, i) =>
				authenticate(db!, 'anna@woonwaarts.nl', `wrong ${i}`, '203.0.113.9')
			)
		);
		const reasons = results.map((r) => (r.ok ? 'ok' : r.reason));
		expect(reasons.filter((r) => r === 'invalid_credentials')).toHaveLength(MAX_FAILURES);
		expect(reasons.filter((r) => r === 'throttled')).toHaveLength(BURST - MAX_FAILURES);
		// Even the right password now waits.
		expect(
			await authenticate(db, 'anna@woonwaarts.nl', 'a long enough password', '203.0.113.9')
		).toMatchObject({ reason: 'throttled' });
	}, 120_000);

	it('takes a sign-in with kilobytes of random text as email as a wrong one, keeping no address', async () => {
		db ??= await migratedDb(driver);
		const long = `${randomBytes(6000).toString('base64url')}@woonwaarts.nl`;
		for (let i = 0; i < MAX_FAILURES; i++) {
			expect(await authenticate(db!, long, 'wrong', '203.0.113.10')).toEqual({
				ok: false,
				reason: 'invalid_credentials'
			});
		}
		expect(await authenticate(db!, long, 'wrong', '203.0.113.10')).toMatchObject({
			reason: 'throttled'
		});
		const keys = await db!.query<{ key: string }>('select key from public.login_attempts');
		expect(keys.length).toBeGreaterThan(0);
		for (const { key } of keys) {
			expect(key.length).toBeLessThanOrEqual(64);
			expect(key).not.toContain('@');
		}
	});

	it('forgets the attempts of every address once they are older than the window', async () => {
		db ??= await migratedDb(driver);
		await authenticate(db!, 'someone-else@woonwaarts.nl', 'wrong', '203.0.113.11');
		await db!.query("update public.login_attempts set at = at - interval '16 minutes'");
		await authenticate(db!, 'a-third@woonwaarts.nl', 'wrong', '203.0.113.12');
		// The third's attempt, counted for its email and for its address.
		expect(await db!.query('select 1 from public.login_attempts')).toHaveLength(2);
	});

	it('evaluates at most 50 wrong sign-ins from one address, whatever the emails', async () => {
		db ??= await migratedDb(driver);
		const results = [];
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 10; i++) {
			results.push(await authenticate(db!, `nieuw-${i}@woonwaarts.nl`, 'wrong', '203.0.113.13'));
		}
		const reasons = results.map((r) => (r.ok ? 'ok' : r.reason));
		expect(reasons.filter((r) => r === 'invalid_credentials')).toHaveLength(
			MAX_FAILURES_PER_ADDRESS
		);
		expect(reasons.slice(MAX_FAILURES_PER_ADDRESS)).toEqual(Array(10).fill('throttled'));
		// Another address is not held up.
		expect(await authenticate(db!, 'nieuw-0@woonwaarts.nl', 'wrong', '203.0.113.14')).toEqual({
			ok: false,
			reason: 'invalid_credentials'
		});
	}, 120_000);
});

describe('sign-in throttling against the real server', () => {
	const servers: ServerProcess[] = [];
	afterAll(async () => {
		await Promise.all(servers.map((s) => s.stop('SIGKILL')));
	});

	it('answers a burst of 41 wrong passwords with at most five 400s, the rest 429', async () => {
		const seeded = await startSeededServer();
		servers.push(seeded.server);
		const { email } = seeded.users.owner;
		const statuses = await Promise.all(
			Array.from({ length: BURST }, (_, i) => signIn(seeded.server.url, email, `wrong ${i}`))
		);
		const counts = tally(statuses);
		expect(counts[400] ?? 0).toBeLessThanOrEqual(MAX_FAILURES);
		expect((counts[400] ?? 0) + (counts[429] ?? 0)).toBe(BURST);
		expect(counts[429]).toBeGreaterThanOrEqual(BURST - MAX_FAILURES);
	}, 120_000);

	it('answers a sign-in with kilobytes of random text as email as a wrong one, not a 500', async () => {
		const seeded = await startSeededServer();
		servers.push(seeded.server);
		const long = `${randomBytes(6000).toString('base64url')}@woonwaarts.nl`;
		expect(await signIn(seeded.server.url, long, 'wrong')).toBe(400);
		expect(seeded.server.output()).not.toMatch(/error .* on \/login/);
		// The owner still signs in.
		expect(
			await signIn(seeded.server.url, seeded.users.owner.email, seeded.users.owner.password)
		).toBe(303);
	}, 120_000);

	it('answers a flood of sign-ins with ever new emails with at most 50 password checks', async () => {
		const seeded = await startSeededServer();
		servers.push(seeded.server);
		const statuses = await Promise.all(
			Array.from({ length: 150 }, (_, i) => signIn(seeded.server.url, `vloed-${i}@x.nl`, 'wrong'))
		);
		const counts = tally(statuses);
		expect(counts[400] ?? 0).toBeLessThanOrEqual(MAX_FAILURES_PER_ADDRESS);
		expect((counts[400] ?? 0) + (counts[429] ?? 0)).toBe(150);
	}, 120_000);

	it('holds across two server processes on one PostgreSQL database', async () => {
		const target = await freshDatabase('postgres');
		const seeded = await startSeededServer(target);
		servers.push(seeded.server);
		const second = await startServer(target);
		servers.push(second);
		const { email } = seeded.users.owner;
		// Both processes see the client as 127.0.0.1, so the key is the same.
		const statuses = await Promise.all(
			Array.from({ length: BURST }, (_, i) =>
				signIn(i % 2 ? second.url : seeded.server.url, email, `wrong ${i}`)
			)
		);
		const counts = tally(statuses);
		expect(counts[400] ?? 0).toBeLessThanOrEqual(MAX_FAILURES);
		expect((counts[400] ?? 0) + (counts[429] ?? 0)).toBe(BURST);
	}, 120_000);
});
