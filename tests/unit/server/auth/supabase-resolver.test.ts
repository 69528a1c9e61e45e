import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { setBoardRole } from '../../../../src/lib/server/access';
import { createAccount } from '../../../../src/lib/server/auth/accounts';
import {
	readSupabaseConfig,
	supabaseResolver,
	type SupabaseConfig
} from '../../../../src/lib/server/auth/supabase';
import type { Db } from '../../../../src/lib/server/db';
import { ensureDemoBoard } from '../../../../src/lib/server/demo';
import { migratedDb } from '../../../support/db';
import { DRIVERS } from '../../../support/drivers';
import { sessionCookies, signSupabaseToken, TEST_JWT_SECRET } from '../../../support/supabase';

const URL = 'https://abcdefghijkl.supabase.co';
const config: SupabaseConfig = readSupabaseConfig({
	PUBLIC_SUPABASE_URL: URL,
	PUBLIC_SUPABASE_ANON_KEY: 'anon',
	SUPABASE_JWT_SECRET: TEST_JWT_SECRET
})!;
const key = { secret: TEST_JWT_SECRET };

describe.each(DRIVERS)('Supabase users on %s', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	it('creates the profile once, on first sight, without an organisation', async () => {
		db = await migratedDb(driver);
		const resolver = supabaseResolver(db, config);
		const sub = randomUUID();
		const token = await signSupabaseToken(
			{
				sub,
				email: 'bram@bindkracht10.nl',
				user_metadata: { full_name: 'Bram Jansen', organisation: 'Woonwaarts' }
			},
			{ url: URL, key, claims: { app_metadata: { organisation_id: randomUUID() } } }
		);
		const first = await resolver.resolve({ authorization: `Bearer ${token}` });
		expect(first).toEqual({
			expiresAt: expect.any(Date),
			sessionId: expect.any(String),
			user: {
				id: sub,
				email: 'bram@bindkracht10.nl',
				displayName: 'Bram Jansen',
				organisationId: null
			}
		});
		// Again, by cookie this time, with a newer token that names someone else: the profile stays.
		const renamed = await signSupabaseToken(
			{ sub, email: 'bram@bindkracht10.nl', user_metadata: { name: 'B.' } },
			{ url: URL, key }
		);
		const again = await resolver.resolve({ cookie: sessionCookies(config.cookieName, renamed) });
		expect(again?.user).toEqual(first?.user);
		const rows = await db.query<{ n: number }>(
			'select count(*)::int as n from public.profiles where id = $1',
			[sub]
		);
		expect(rows[0]!.n).toBe(1);
		// Memberships come only from the board_members table.
		const members = await db.query('select 1 from public.board_members where user_id = $1', [sub]);
		expect(members).toHaveLength(0);
	});

	it('names a new profile after user_metadata.name or the email, and keeps existing ones', async () => {
		db = await migratedDb(driver);
		const resolver = supabaseResolver(db, config);
		const named = await resolver.resolve({
			authorization: `Bearer ${await signSupabaseToken(
				{ sub: randomUUID(), email: 'x@han.nl', user_metadata: { name: 'Carla' } },
				{ url: URL, key }
			)}`
		});
		expect(named?.user.displayName).toBe('Carla');
		const plain = await resolver.resolve({
			authorization: `Bearer ${await signSupabaseToken(
				{ sub: randomUUID(), email: 'dirk.de.boer@han.nl' },
				{ url: URL, key }
			)}`
		});
		expect(plain?.user.displayName).toBe('dirk.de.boer');

		// A member made by an owner earlier (profile id = their Supabase user id) keeps name, organisation and role.
		await ensureDemoBoard(db);
		const existing = await createAccount(db, {
			email: 'eva@woonwaarts.nl',
			password: 'a long enough password',
			displayName: 'Eva',
			organisationName: 'Woonwaarts'
		});
		if (!existing.ok) throw new Error(existing.reason);
		await setBoardRole(db, 'spoorbuurt', existing.user.id, 'editor');
		const eva = await resolver.resolve({
			authorization: `Bearer ${await signSupabaseToken(
				{ sub: existing.user.id, email: 'eva@woonwaarts.nl', user_metadata: { name: 'Not Eva' } },
				{ url: URL, key }
			)}`
		});
		expect(eva?.user).toEqual(existing.user);
	});

	it('never takes over another profile by its email claim', async () => {
		db = await migratedDb(driver);
		const resolver = supabaseResolver(db, config);
		const owner = await createAccount(db, {
			email: 'fleur@woonwaarts.nl',
			password: 'a long enough password',
			displayName: 'Fleur',
			organisationName: 'Woonwaarts'
		});
		if (!owner.ok) throw new Error(owner.reason);
		const sub = randomUUID();
		const other = await resolver.resolve({
			authorization: `Bearer ${await signSupabaseToken(
				{ sub, email: 'FLEUR@woonwaarts.nl' },
				{ url: URL, key }
			)}`
		});
		expect(other?.user).toEqual({
			id: sub,
			email: null,
			displayName: 'FLEUR',
			organisationId: null
		});
	});

	it('resolves nobody for a missing, forged or expired token', async () => {
		db = await migratedDb(driver);
		const resolver = supabaseResolver(db, config);
		const sub = randomUUID();
		expect(await resolver.resolve({})).toBeNull();
		const forged = await signSupabaseToken(
			{ sub, email: 'g@example.test' },
			{ url: URL, key: { secret: `${TEST_JWT_SECRET}!` } }
		);
		const expired = await signSupabaseToken(
			{ sub, email: 'g@example.test' },
			{ url: URL, key, expiresIn: -600 }
		);
		expect(await resolver.resolve({ authorization: `Bearer ${forged}` })).toBeNull();
		expect(
			await resolver.resolve({ cookie: sessionCookies(config.cookieName, expired) })
		).toBeNull();
		// The Bearer header wins over the cookie: a bad header is not rescued by a good cookie.
		const valid = await signSupabaseToken({ sub, email: 'g@example.test' }, { url: URL, key });
		expect(
			await resolver.resolve({
				authorization: `Bearer ${forged}`,
				cookie: sessionCookies(config.cookieName, valid)
			})
		).toBeNull();
		// Nothing was created for the refused tokens.
		expect(await db.query('select 1 from public.profiles where id = $1', [sub])).toHaveLength(0);
	});
});
