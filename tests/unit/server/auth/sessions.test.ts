import { afterEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../../../src/lib/server/auth/accounts';
import {
	SESSION_TTL_MS,
	createSession,
	hashToken,
	invalidateAllForUser,
	invalidateSession,
	sessionCookieOptions,
	validateSession
} from '../../../../src/lib/server/auth/sessions';
import type { Db } from '../../../../src/lib/server/db';
import { migratedDb } from '../../../support/db';
import { DRIVERS } from '../../../support/drivers';

async function account(db: Db, email = 'anna@woonwaarts.nl'): Promise<string> {
	const created = await createAccount(db, {
		email,
		password: 'a long enough password',
		displayName: 'Anna',
		organisationName: 'Woonwaarts'
	});
	if (!created.ok) throw new Error(created.reason);
	return created.user.id;
}

describe.each(DRIVERS)('sessions on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('knows the user by the cookie token, which is stored only as its hash', async () => {
		db = await migratedDb(driver);
		const userId = await account(db);
		const { token, expiresAt } = await createSession(db, userId);
		expect(Buffer.from(token, 'base64url')).toHaveLength(32);
		expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(SESSION_TTL_MS - 60_000);

		const session = await validateSession(db, token);
		expect(session?.user).toMatchObject({
			id: userId,
			email: 'anna@woonwaarts.nl',
			displayName: 'Anna'
		});

		// Every column of every session row, as text: the raw token appears nowhere.
		const rows = await db.query<{ row: string }>('select s::text as row from public.sessions s');
		expect(rows).toHaveLength(1);
		expect(rows.filter((r) => r.row.includes(token))).toHaveLength(0);
		expect(rows[0]!.row).toContain(hashToken(token));

		expect(await validateSession(db, 'not-a-token')).toBeNull();
		expect(await validateSession(db, hashToken(token))).toBeNull();
		expect(await validateSession(db, undefined)).toBeNull();
	});

	it('rejects an expired session and deletes it', async () => {
		db = await migratedDb(driver);
		const userId = await account(db);
		const { token } = await createSession(db, userId);
		await db.query("update public.sessions set expires_at = now() - interval '1 second'");
		expect(await validateSession(db, token)).toBeNull();
		expect(await db.query('select 1 from public.sessions')).toHaveLength(0);
	});

	it('extends a session that is in use (sliding expiry)', async () => {
		db = await migratedDb(driver);
		const { token } = await createSession(db, await account(db));
		await db.query(
			"update public.sessions set last_seen_at = now() - interval '2 days', expires_at = now() + interval '1 day'"
		);
		const session = await validateSession(db, token);
		expect(session!.expiresAt.getTime() - Date.now()).toBeGreaterThan(SESSION_TTL_MS - 60_000);
	});

	it('signs out one session, or all of a user', async () => {
		db = await migratedDb(driver);
		const anna = await account(db);
		const bob = await account(db, 'bob@bindkracht10.nl');
		const first = await createSession(db, anna);
		const second = await createSession(db, anna);
		const bobs = await createSession(db, bob);

		await invalidateSession(db, first.token);
		expect(await validateSession(db, first.token)).toBeNull();
		expect(await validateSession(db, second.token)).not.toBeNull();

		await invalidateAllForUser(db, anna);
		expect(await validateSession(db, second.token)).toBeNull();
		expect((await validateSession(db, bobs.token))?.user.id).toBe(bob);
	});

	it('ends the sessions of a deleted profile', async () => {
		db = await migratedDb(driver);
		const anna = await account(db);
		const { token } = await createSession(db, anna);
		await db.query('delete from public.profiles where id = $1', [anna]);
		expect(await validateSession(db, token)).toBeNull();
		expect(await db.query('select 1 from public.local_credentials')).toHaveLength(0);
	});
});

describe('the session cookie', () => {
	it('is httpOnly, SameSite=Lax, for the whole site, and Secure over https', () => {
		const expires = new Date(Date.now() + 1000);
		expect(sessionCookieOptions(new URL('https://buurtbord.example/b/x'), expires)).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: true,
			expires
		});
		expect(sessionCookieOptions(new URL('http://localhost:5173/'), expires).secure).toBe(false);
	});
});
