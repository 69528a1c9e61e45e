import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';
import { localData, openDoorMode, waitForOfflineCopy } from './field-helpers';

// Its own server: signing out ends the session, which the shared server's other tests need.
let dataDir: string;
let server: OwnServer;
// One user per test: signing out ends that user's session on the server, so the owner who removes
// a member in the 4403 test must not be the one who signed out before.
let users: Record<'owner' | 'signer' | 'editor', SeededUser>;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-wipe-'));
	server = new OwnServer(Number(process.env.E2E_PORT ?? 4391) + 3, {
		BUURTBORD_DATA_DIR: dataDir
	});
	users = await server.seed({
		owner: {
			org: 'Buurtteam Spoorbuurt',
			displayName: 'Eigenaar',
			boards: { spoorbuurt: 'owner' }
		},
		signer: { org: 'Woonwaarts', displayName: 'Uit Logger', boards: { spoorbuurt: 'editor' } },
		editor: { org: 'Woonwaarts', displayName: 'Veld Werker', boards: { spoorbuurt: 'editor' } }
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
