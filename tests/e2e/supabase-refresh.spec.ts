import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { setBoardRole } from '../../src/lib/server/access';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import {
	generateSigningKey,
	startAuthStandIn,
	type AuthStandIn,
	type StandInUser
} from '../support/supabase';
import { OwnServer } from './own-server';

/*
 * Supabase mode with a board left open: the access token in the cookie expires (after an hour on
 * Supabase; here the local stand-in of Supabase Auth issues one-minute sessions, inside supabase-js's
 * renewal margin), and the sync socket's reconnects must carry a fresh one. The open page renews
 * the session itself, without a reload.
 */
let dataDir: string;
let standIn: AuthStandIn;
let server: OwnServer;
const bert: StandInUser = {
	id: randomUUID(),
	email: 'bert@bindkracht10.nl',
	password: 'een lang genoeg wachtwoord',
	user_metadata: { full_name: 'Bert Bakker' }
};

test.beforeAll(async () => {
	standIn = await startAuthStandIn({
		key: await generateSigningKey('ES256'),
		users: [bert],
		sessionSeconds: 60
	});
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-supabase-refresh-'));
	const db = await openDb({ dataDir });
	try {
		await ensureDemoBoard(db);
		await db.query('insert into public.profiles (id, display_name, email) values ($1, $2, $3)', [
			bert.id,
			'Bert Bakker',
			bert.email
		]);
		await setBoardRole(db, 'spoorbuurt', bert.id, 'editor');
	} finally {
		await db.close();
	}
	server = new OwnServer(Number(process.env.E2E_PORT ?? 4391) + 10, {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: '',
		PUBLIC_SUPABASE_URL: standIn.url,
		PUBLIC_SUPABASE_ANON_KEY: 'test-anon-key'
	});
	await server.start();
});

test.afterAll(async () => {
	await server?.stop('SIGTERM');
	await standIn?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

// Signs in through Supabase Auth itself, not with the shared owner's session.
test.use({ storageState: { cookies: [], origins: [] } });
test.setTimeout(180_000);

test('an open board renews the Supabase session in its cookie, and the socket reconnects with it', async ({
	page,
	context
}) => {
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
