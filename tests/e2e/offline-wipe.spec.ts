import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import type { SeededUser } from '../support/accounts';
import { openDb } from '../../src/lib/server/db';
import { OwnServer } from './own-server';
import { localData, openDoorMode, waitForOfflineCopy } from './field-helpers';

// Its own server: signing out ends the session, which the shared server's other tests need.
let dataDir: string;
let server: OwnServer;
// One user per test: signing out ends that user's session on the server, so the owner who removes
// a member in the 4403 test must not be the one who signed out before.
let users: Record<
	'owner' | 'signer' | 'editor' | 'walker' | 'anna' | 'bob' | 'away' | 'demoted',
	SeededUser
>;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-wipe-'));
	server = new OwnServer(ownPort(3), {
		BUURTBORD_DATA_DIR: dataDir
	});
	users = await server.seed({
		owner: {
			org: 'Buurtteam Spoorbuurt',
			displayName: 'Eigenaar',
			boards: { spoorbuurt: 'owner' }
		},
		signer: { org: 'Woonwaarts', displayName: 'Uit Logger', boards: { spoorbuurt: 'editor' } },
		editor: { org: 'Woonwaarts', displayName: 'Veld Werker', boards: { spoorbuurt: 'editor' } },
		walker: { org: 'Woonwaarts', displayName: 'Deur Loper', boards: { spoorbuurt: 'editor' } },
		anna: { org: 'Woonwaarts', displayName: 'Anna Veld', boards: { spoorbuurt: 'editor' } },
		bob: { org: 'HAN', displayName: 'Bob Ander' },
		away: { org: 'HAN', displayName: 'Ver Weg', boards: { spoorbuurt: 'editor' } },
		demoted: { org: 'HAN', displayName: 'Nu Lezer', boards: { spoorbuurt: 'editor' } }
	});
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

test('signing out wipes the board copies on the device (IndexedDB and Cache Storage)', async ({
	browser
}) => {
	const page = await server.signedInPage(browser, users.signer);
	await openDoorMode(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	const before = await localData(page);
	expect(before.databases.length).toBeGreaterThan(0);
	expect(before.caches.length).toBeGreaterThan(0);

	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(/\/login/);
	await expect.poll(() => localData(page)).toEqual({ databases: [], caches: [] });
	await page.context().close();
});

test('signing out without a connection keeps what was recorded and says why; back online it works', async ({
	browser
}) => {
	const page = await server.signedInPage(browser, users.walker);
	await openDoorMode(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	await page.getByRole('button', { name: /^Verhulststraat/ }).click();
	await page.context().setOffline(true);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	const card = page.getByTestId('door-card');
	await card.getByRole('button', { name: 'Niet thuis', exact: true }).click();
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'unsent');

	const said: string[] = [];
	page.on('dialog', (dialog) => {
		said.push(dialog.message());
		void dialog.accept();
	});
	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect.poll(() => said).toHaveLength(1);
	expect(said[0]).toContain('geen verbinding met de server');
	// Nothing wiped, still signed in, the record still waiting to be sent.
	const kept = await localData(page);
	expect(kept.databases.length).toBeGreaterThan(0);
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'unsent');

	await page.context().setOffline(false);
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});
	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(/\/login/);
	await expect.poll(() => localData(page)).toEqual({ databases: [], caches: [] });
	expect(said).toHaveLength(1);
	await page.context().close();
});

test('someone else signing in on the device after a session ended elsewhere finds nothing of it', async ({
	browser
}) => {
	const page = await server.signedInPage(browser, users.anna);
	await openDoorMode(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	expect((await localData(page)).databases.some((d) => d.includes(users.anna.id))).toBe(true);
	// Anna's session ends on the server while her phone is offline (not through this device's
	// sign-out, which wipes it).
	await page.context().setOffline(true);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	const ended = await page.request.post(`${server.url}/logout`, {
		headers: { origin: server.url },
		maxRedirects: 0
	});
	expect(ended.status()).toBeLessThan(400);
	// Anna's tab is closed; Bob signs in on the same device (same browser profile).
	const context = page.context();
	await page.close();
	await context.clearCookies();
	await server.signIn(context, users.bob);
	await context.setOffline(false);
	const bob = await context.newPage();
	await bob.goto(`${server.url}/`);
	await expect(bob.getByTestId('signed-in-user')).toContainText('Bob Ander');
	// The page wipes Anna's databases, the service worker her kept pages (each on its own time).
	await expect
		.poll(async () => {
			const { databases, caches } = await localData(bob);
			return {
				anna: databases.filter((d) => d.includes(users.anna.id)),
				keptPages: caches.includes('buurtbord-pages')
			};
		})
		.toEqual({ anna: [], keptPages: false });
	// Offline, Anna's board is not there to open.
	await context.setOffline(true);
	await bob.goto(`${server.url}/boards/spoorbuurt/deur`).catch(() => undefined);
	await expect(bob.getByText('Anna Veld')).toHaveCount(0);
	await context.close();
});

test('losing access to the board (4403) wipes its copies on the device', async ({ browser }) => {
	test.setTimeout(120_000);
	const page = await server.signedInPage(browser, users.editor);
	await openDoorMode(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');

	const owner = await server.signedInPage(browser, users.owner);
	await owner.goto(`${server.url}/boards/spoorbuurt/leden`);
	const row = owner.getByTestId('member-row').filter({ hasText: 'Veld Werker' });
	await row.getByRole('button', { name: 'Veld Werker van het bord verwijderen' }).click();
	await expect(row).toHaveCount(0);

	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'revoked');
	await expect.poll(() => localData(page)).toEqual({ databases: [], caches: [] });
	await page.context().close();
	await owner.context().close();
});

test('removed from the board while the phone could not reach the server: told, and its copies go', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const page = await server.signedInPage(browser, users.away);
	await openDoorMode(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	// The connection drops (the server is away), and meanwhile the owner removes the member: the
	// phone never gets the close code, only refused reconnects.
	await server.stop();
	const db = await openDb({ dataDir });
	try {
		await db.query('delete from public.board_members where user_id = $1', [users.away.id]);
	} finally {
		await db.close();
	}
	await server.start();
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'revoked', {
		timeout: 60_000
	});
	await expect.poll(() => localData(page)).toEqual({ databases: [], caches: [] });
	await page.context().close();
});

test('made viewer while records waited on the phone: a reload shows the board as stored, not them', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const page = await server.signedInPage(browser, users.demoted);
	await openDoorMode(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	await page.getByRole('button', { name: /^Obrechtstraat/ }).click();
	const card = page.getByTestId('door-card');
	const door = (await card.getByTestId('door-address').textContent())!.trim();
	// The server is away while a door is recorded; meanwhile the member becomes a viewer.
	await server.stop();
	await card.getByRole('button', { name: 'Geweigerd', exact: true }).click();
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'unsent');
	const db = await openDb({ dataDir });
	try {
		await db.query(`update public.board_members set role = 'viewer' where user_id = $1`, [
			users.demoted.id
		]);
	} finally {
		await db.close();
	}
	await server.start();
	await page.reload();
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
		timeout: 30_000
	});
	await expect(page.getByTestId('sync-state')).not.toHaveAttribute('data-state', 'unsent');
	// The reload comes back at the same door.
	const shown = page.getByTestId('door-card');
	await expect(shown.getByTestId('door-address')).toHaveText(door);
	await expect(shown.getByRole('button', { name: 'Geweigerd', exact: true })).not.toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await page.context().close();
});
