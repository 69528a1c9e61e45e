import { randomUUID } from 'node:crypto';
import { expect, test } from './test';
import type { StandInUser } from '../support/supabase';
import { startSupabaseBoard, type SupabaseBoard } from './supabase-board';

/*
 * Supabase mode with a board left open: the access token in the cookie expires (after an hour on
 * Supabase; here the local stand-in of Supabase Auth issues 40-second sessions: inside supabase-js's
 * renewal margin, and longer than its 30-second refresh tick, so the cookie never holds an expired
 * token for long), and the sync socket's reconnects must carry a fresh one. The open page renews
 * the session itself, without a reload.
 */
let board: SupabaseBoard;
const bert: StandInUser = {
	id: randomUUID(),
	email: 'bert@bindkracht10.nl',
	password: 'een lang genoeg wachtwoord',
	user_metadata: { full_name: 'Bert Bakker' }
};

test.beforeAll(async () => {
	board = await startSupabaseBoard(bert, 10, { sessionSeconds: 40 });
});

test.afterAll(async () => {
	await board?.close();
});

// Signs in through Supabase Auth itself, not with the shared owner's session.
test.use({ storageState: { cookies: [], origins: [] } });
test.setTimeout(180_000);

test('an open board renews the Supabase session in its cookie, and the socket reconnects with it', async ({
	page,
	context
}) => {
	const { server, standIn } = board;
	const accessCookie = async () =>
		(await context.cookies())
			.filter((c) => /^sb-.+-auth-token(\.\d+)?$/.test(c.name))
			.map((c) => c.value)
			.join('');

	await page.goto(`${server.url}/login?next=%2Fboards%2Fspoorbuurt`);
	const form = page.locator('form.auth-form');
	await expect(form.getByRole('button', { name: 'Inloggen' })).toBeEnabled();
	await form.getByLabel('E-mailadres').fill(bert.email);
	await form.getByLabel('Wachtwoord').fill(bert.password);
	await form.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	const signedIn = await accessCookie();
	const signedInHeader = (await context.cookies())
		.filter((c) => /^sb-.+-auth-token(\.\d+)?$/.test(c.name))
		.map((c) => `${c.name}=${c.value}`)
		.join('; ');
	const before = standIn.refreshes();

	// No navigation: the board page itself renews the session and the cookie follows.
	await expect.poll(() => standIn.refreshes(), { timeout: 45_000 }).toBeGreaterThan(before);
	await expect.poll(accessCookie).not.toBe(signedIn);

	// Wait until the token she signed in with has expired: the server now refuses it.
	await expect
		.poll(
			async () =>
				(
					await fetch(`${server.url}/boards/spoorbuurt`, {
						headers: { cookie: signedInHeader },
						redirect: 'manual'
					})
				).status,
			{ timeout: 90_000, intervals: [2_000] }
		)
		.toBe(303);

	// The server restarts (a deploy): the socket reconnects with the renewed cookie and is let in.
	await server.stop('SIGTERM');
	await expect(page.getByTestId('connection-status')).not.toHaveAttribute(
		'data-status',
		'connected'
	);
	await server.start();
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
		timeout: 30_000
	});
});
