import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBoardRole } from '../../src/lib/server/access';
import { openDb, type Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { freshDatabase } from '../support/drivers';
import { acceptWithAccount, inviteByLink } from '../support/invites';
import { startServer, type ServerProcess } from '../support/server-process';
import {
	generateSigningKey,
	sessionCookies,
	signSupabaseToken,
	startAuthStandIn,
	TEST_JWT_SECRET,
	type AuthStandIn,
	type SigningKey
} from '../support/supabase';

/**
 * Supabase mode: a profile starts without an organisation (nothing in a token may choose one). An
 * invitation gives it one, under the same rule as a new built-in account (invites.ts,
 * mayCreateAccountIn): the organisation of the owner who made it, or a new empty one; never
 * another organisation whose confidential notes it would then read.
 */
describe('Supabase mode: an invitation gives a profile without an organisation its organisation', () => {
	let standIn: AuthStandIn;
	let server: ServerProcess;
	let key: SigningKey;
	let cookieName: string;
	let db: Db;
	const owner = { sub: randomUUID(), email: 'olga@woonwaarts.nl' };
	const other = { sub: randomUUID(), email: 'bram@bindkracht10.nl' };
	const orgs = { woonwaarts: randomUUID(), bindkracht: randomUUID() };
	const cookieOf = async (user: { sub: string; email: string }) =>
		sessionCookies(cookieName, await signSupabaseToken(user, { url: standIn.url, key }));
	const organisationOf = async (sub: string) =>
		(
			await db.query<{ organisation_id: string | null }>(
				'select organisation_id from public.profiles where id = $1',
				[sub]
			)
		)[0]?.organisation_id;

	beforeAll(async () => {
		key = await generateSigningKey('ES256');
		standIn = await startAuthStandIn({ key });
		cookieName = `sb-${new URL(standIn.url).hostname.split('.')[0]}-auth-token`;
		// PostgreSQL: the test reads the profiles while the server runs.
		const target = await freshDatabase('postgres');
		db = await openDb({ databaseUrl: target.databaseUrl, dataDir: '' });
		await ensureDemoBoard(db);
		for (const [name, id] of [
			['Woonwaarts', orgs.woonwaarts],
			['Bindkracht10', orgs.bindkracht]
		] as const) {
			await db.query('insert into public.organisations (id, name) values ($1, $2)', [id, name]);
		}
		for (const [user, org, name] of [
			[owner, orgs.woonwaarts, 'Olga'],
			[other, orgs.bindkracht, 'Bram']
		] as const) {
			await db.query(
				'insert into public.profiles (id, organisation_id, display_name, email) values ($1, $2, $3, $4)',
				[user.sub, org, name, user.email]
			);
		}
		await setBoardRole(db, 'spoorbuurt', owner.sub, 'owner');
		await setBoardRole(db, 'spoorbuurt', other.sub, 'editor');
		server = await startServer({
			...target,
			extra: {
				PUBLIC_SUPABASE_URL: standIn.url,
				PUBLIC_SUPABASE_ANON_KEY: 'test-anon-key',
				SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
				SUPABASE_JWKS_URL: `${standIn.url}/auth/v1/.well-known/jwks.json`
			}
		});
	});
	afterAll(async () => {
		await server?.stop('SIGKILL');
		await db?.close();
		await standIn?.close();
	});

	it("joins the inviting owner's organisation", async () => {
		const invite = await inviteByLink(server, await cookieOf(owner), {
			role: 'editor',
			organisation: orgs.woonwaarts
		});
		expect(invite.token).toBeTruthy();
		const newcomer = { sub: randomUUID(), email: 'nina@woonwaarts.nl' };
		const accepted = await acceptWithAccount(server, invite.token!, await cookieOf(newcomer));
		expect(accepted.type).toBe('redirect');
		expect(await organisationOf(newcomer.sub)).toBe(orgs.woonwaarts);
	});

	it('never joins another organisation of the board, and keeps an organisation it has', async () => {
		// Olga (Woonwaarts) invites for Bindkracht10, which has members and notes of its own.
		const invite = await inviteByLink(server, await cookieOf(owner), {
			role: 'editor',
			organisation: orgs.bindkracht
		});
		expect(invite.token).toBeTruthy();
		const newcomer = { sub: randomUUID(), email: 'kees@elders.nl' };
		const accepted = await acceptWithAccount(server, invite.token!, await cookieOf(newcomer));
		// The membership is added; the organisation is not.
		expect(accepted.type).toBe('redirect');
		expect(await organisationOf(newcomer.sub)).toBeNull();

		const again = await inviteByLink(server, await cookieOf(owner), {
			role: 'viewer',
			organisation: orgs.woonwaarts
		});
		await acceptWithAccount(server, again.token!, await cookieOf(other));
		expect(await organisationOf(other.sub)).toBe(orgs.bindkracht);
	});
});
