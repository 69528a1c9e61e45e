import { randomUUID } from 'node:crypto';
import { expect, test } from './test';
import {
	signSupabaseToken,
	type AuthStandIn,
	type SigningKey,
	type StandInUser
} from '../support/supabase';
import type { OwnServer } from './own-server';
import { startSupabaseBoard, type SupabaseBoard } from './supabase-board';

/*
 * Supabase mode in the browser: the real supabase-js (through @supabase/ssr's browser client) signs
 * in against a small local STAND-IN of Supabase Auth's HTTP API (tests/support/supabase.ts: the
 * password grant, JWKS, logout), because GoTrue cannot run here. The stand-in signs access tokens
 * as Supabase does with an ES256 key; the Buurtbord server finds the key through the project's JWKS
 * URL and checks every token itself.
 */
let board: SupabaseBoard;
let server: OwnServer;
let standIn: AuthStandIn;
let key: SigningKey;
const anna: StandInUser = {
	id: randomUUID(),
	email: 'anna@woonwaarts.nl',
	password: 'een lang genoeg wachtwoord',
	user_metadata: { full_name: 'Anna de Vries' }
};

test.beforeAll(async () => {
	board = await startSupabaseBoard(anna, 9);
	({ server, standIn, key } = board);
});

test.afterAll(async () => {
	await board?.close();
});

test('signs in with Supabase Auth, opens the board and its live connection, refreshes an expired session, signs out', async ({
	page,
	context
}) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	const sessionCookies = async () =>
		(await context.cookies()).filter((c) => /^sb-.+-auth-token(\.\d+)?$/.test(c.name));

	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page).toHaveURL(/\/login\?next=%2Fboards%2Fspoorbuurt$/);
	const form = page.locator('form.auth-form');
	const submit = form.getByRole('button', { name: 'Inloggen' });
	await expect(submit).toBeEnabled();

	await form.getByLabel('E-mailadres').fill(anna.email);
	await form.getByLabel('Wachtwoord').fill('niet het goede wachtwoord');
	await submit.click();
	await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
	expect(await sessionCookies()).toHaveLength(0);

	await form.getByLabel('Wachtwoord').fill(anna.password);
	await submit.click();
	await expect(page).toHaveURL(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByText('Ingelogd als Anna de Vries')).toBeVisible();
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	// The sync socket let her in with the same session cookie.
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	expect((await sessionCookies()).length).toBeGreaterThan(0);

	// An hour later the access token has expired: the server sends her to the sign-in page, where
	// supabase-js refreshes the session with its refresh token and she is back on the board.
	const cookies = (await sessionCookies()).sort((a, b) => a.name.localeCompare(b.name));
	const stored = cookies.map((c) => c.value).join('');
	expect(stored.startsWith('base64-')).toBe(true);
	const session = JSON.parse(Buffer.from(stored.slice(7), 'base64url').toString('utf8'));
	session.access_token = await signSupabaseToken(
		{ sub: anna.id, email: anna.email },
		{ url: standIn.url, key, expiresIn: -600 }
	);
	session.expires_at = Math.floor(Date.now() / 1000) - 600;
	for (const c of cookies) await context.clearCookies({ name: c.name });
	await context.addCookies([
		{
			name: cookies[0]!.name.replace(/\.\d+$/, ''),
			value: `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`,
			url: server.url,
			sameSite: 'Lax'
		}
	]);
	const expired = await page.request.get(`${server.url}/boards/spoorbuurt`, { maxRedirects: 0 });
	expect(expired.status()).toBe(303);
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page).toHaveURL(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByText('Ingelogd als Anna de Vries')).toBeVisible();
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	expect(standIn.refreshes()).toBe(1);

	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(/\/login$/);
	expect(await sessionCookies()).toHaveLength(0);
	// The server asked Supabase Auth to end the session (its refresh token stops working).
	expect(standIn.loggedOut()).toBe(1);
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page).toHaveURL(/\/login\?next=%2Fboards%2Fspoorbuurt$/);
	expect(errors).toEqual([]);
});
