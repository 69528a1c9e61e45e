import { afterEach, describe, expect, it } from 'vitest';
import { authenticate, createAccount } from '../../../../src/lib/server/auth/accounts';
import { MAX_FAILURES } from '../../../../src/lib/server/auth/throttle';
import type { Db } from '../../../../src/lib/server/db';
import { migratedDb } from '../../../support/db';
import { DRIVERS } from '../../../support/drivers';

const PASSWORD = 'a long enough password';
const IP = '203.0.113.7';

async function anna(db: Db) {
	const created = await createAccount(db, {
		email: 'Anna@Woonwaarts.nl',
		password: PASSWORD,
		displayName: 'Anna de Vries',
		organisationName: 'Woonwaarts'
	});
	if (!created.ok) throw new Error(created.reason);
	return created.user;
}

describe.each(DRIVERS)('built-in accounts on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('signs in with the right password (email in any case) and not with a wrong one', async () => {
		db = await migratedDb(driver);
		const user = await anna(db);
		const ok = await authenticate(db, ' anna@WOONWAARTS.nl ', PASSWORD, IP);
		expect(ok).toEqual({ ok: true, user });
		expect(await authenticate(db, 'anna@woonwaarts.nl', PASSWORD + '!', IP)).toEqual({
			ok: false,
			reason: 'invalid_credentials'
		});
		// An unknown address fails the same way.
		expect(await authenticate(db, 'nobody@woonwaarts.nl', PASSWORD, IP)).toEqual({
			ok: false,
			reason: 'invalid_credentials'
		});
		const stored = await db.query<{ password_hash: string }>(
			'select password_hash from public.local_credentials'
		);
		expect(stored[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(stored[0]!.password_hash).not.toContain(PASSWORD);
	});

	it('throttles after five failures, even the right password, and says for how long', async () => {
		db = await migratedDb(driver);
		await anna(db);
		for (let i = 0; i < MAX_FAILURES; i++) {
			expect(await authenticate(db, 'anna@woonwaarts.nl', `wrong ${i}`, IP)).toMatchObject({
				reason: 'invalid_credentials'
			});
		}
		expect(await authenticate(db, 'anna@woonwaarts.nl', PASSWORD, IP)).toEqual({
			ok: false,
			reason: 'throttled',
			retryAfterMinutes: 15
		});
		// Another address (another key) is not held up.
		expect((await authenticate(db, 'anna@woonwaarts.nl', PASSWORD, '198.51.100.1')).ok).toBe(true);
		// Once the failures are older than the window, the right password works again.
		await db.query("update public.login_attempts set at = at - interval '10 minutes'");
		expect(await authenticate(db, 'anna@woonwaarts.nl', PASSWORD, IP)).toMatchObject({
			reason: 'throttled',
			retryAfterMinutes: 5
		});
		await db.query("update public.login_attempts set at = at - interval '6 minutes'");
		expect((await authenticate(db, 'anna@woonwaarts.nl', PASSWORD, IP)).ok).toBe(true);
	});

	it('clears the failures on a successful sign-in', async () => {
		db = await migratedDb(driver);
		await anna(db);
		for (let i = 0; i < MAX_FAILURES - 1; i++) {
			await authenticate(db, 'anna@woonwaarts.nl', 'wrong', IP);
		}
		expect((await authenticate(db, 'anna@woonwaarts.nl', PASSWORD, IP)).ok).toBe(true);
		// Those of the email; the client address keeps its count (MAX_FAILURES_PER_ADDRESS).
		expect(
			await db.query("select 1 from public.login_attempts where key not like 'address:%'")
		).toHaveLength(0);
		expect(await authenticate(db, 'anna@woonwaarts.nl', 'wrong', IP)).toMatchObject({
			reason: 'invalid_credentials'
		});
	});

	it('refuses a second account for the same email address, in any case', async () => {
		db = await migratedDb(driver);
		await anna(db);
		const again = await createAccount(db, {
			email: 'ANNA@woonwaarts.NL',
			password: 'another long password',
			displayName: 'Anna 2',
			organisationName: 'Bindkracht10'
		});
		expect(again).toMatchObject({ ok: false, reason: 'duplicate_email' });
		// Nothing of the refused account was kept.
		expect(await db.query('select 1 from public.profiles')).toHaveLength(1);
		expect(await db.query('select 1 from public.organisations')).toHaveLength(1);
	});

	it('validates the email address and password length, and reuses an organisation by name', async () => {
		db = await migratedDb(driver);
		const bad = await createAccount(db, {
			email: 'not-an-email',
			password: 'short',
			displayName: ' ',
			organisationName: 'HAN'
		});
		expect(bad.ok).toBe(false);
		if (bad.ok || bad.reason !== 'invalid') throw new Error('expected invalid');
		expect(Object.keys(bad.errors).sort()).toEqual(['displayName', 'email', 'password']);
		expect(bad.errors.password).toMatch(/at least 12 characters/);
		expect(await db.query('select 1 from public.organisations')).toHaveLength(0);

		const first = await anna(db);
		const colleague = await createAccount(db, {
			email: 'bert@woonwaarts.nl',
			password: PASSWORD,
			displayName: 'Bert',
			organisationName: 'woonwaarts'
		});
		expect(colleague.ok && colleague.user.organisationId).toBe(first.organisationId);
	});

	it('gives the API roles no access to credentials, sessions or login attempts', async () => {
		db = await migratedDb(driver);
		const rows = await db.query<{ role: string; tbl: string; any: boolean }>(
			`select r.role, t.tbl,
			        has_table_privilege(r.role, t.tbl, 'select, insert, update, delete') as any
			 from unnest(array['anon', 'authenticated']) r(role),
			      unnest(array['public.local_credentials', 'public.sessions', 'public.login_attempts']) t(tbl)`
		);
		expect(rows).toHaveLength(6);
		expect(rows.filter((r) => r.any)).toEqual([]);
		const policies = await db.query(
			"select 1 from pg_policies where tablename in ('local_credentials', 'sessions', 'login_attempts')"
		);
		expect(policies).toHaveLength(0);
	});
});
