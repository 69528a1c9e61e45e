import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import { addInitiatiefAt, initiatiefRow } from './helpers';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';

// Its own server, with a long write delay (so that applied and stored are seconds apart), that
// the test kills with SIGKILL and starts again on the same folder.
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;
let signer: SeededUser;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-saved-'));
	server = new OwnServer(ownPort(1), {
		BUURTBORD_DATA_DIR: dataDir,
		BUURTBORD_PERSIST_DEBOUNCE_MS: '2000',
		BUURTBORD_PERSIST_MAX_WAIT_MS: '2000'
	});
	({ owner, signer } = await server.seed({
		owner: {
			org: 'Buurtteam Spoorbuurt',
			displayName: 'Eigenaar',
			boards: { spoorbuurt: 'owner' }
		},
		signer: { org: 'Woonwaarts', displayName: 'Uit Logger', boards: { spoorbuurt: 'editor' } }
	}));
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

test('"Alles opgeslagen" only once the server stored it: closing the page and a crash then lose nothing', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const context = await browser.newContext();
	await server.signIn(context, owner);
	const page = await context.newPage();
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	const sync = page.getByTestId('sync-state');
	await expect(sync).toHaveAttribute('data-state', 'saved');

	const title = `Opgeslagen voor de storing ${Date.now()}`;
	await addInitiatiefAt(page, 'Dunklerstraat 2', title);
	// The server has it at once, its database only after the write delay: the page says so.
	await expect(sync).toHaveAttribute('data-state', 'saving');
	await expect(sync).toHaveText(/Bezig met opslaan op de server/);
	await expect(sync).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
	await expect(sync).toHaveText(/Alles opgeslagen op de server/);

	// Trusting the badge, the user closes the page; then the server crashes.
	await context.close();
	await server.stop('SIGKILL');
	await server.start();

	const other = await browser.newContext();
	await server.signIn(other, owner);
	const fresh = await other.newPage();
	await fresh.goto(`${server.url}/boards/spoorbuurt`);
	await expect(fresh.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	await expect(await initiatiefRow(fresh, title)).toBeVisible();
	await other.close();
});

test('signing out right after a change waits for it to be stored instead of asking', async ({
	browser
}) => {
	test.setTimeout(60_000);
	const page = await server.signedInPage(browser, signer);
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	const said: string[] = [];
	page.on('dialog', (dialog) => {
		said.push(dialog.message());
		void dialog.accept();
	});
	const title = `Bankje vlak voor het afmelden ${Date.now()}`;
	await addInitiatiefAt(page, 'Dunklerstraat 4', title);
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'saving');
	await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
	await expect(page).toHaveURL(/\/login/);
	expect(said).toEqual([]);
	await page.context().close();

	const other = await server.signedInPage(browser, owner);
	await other.goto(`${server.url}/boards/spoorbuurt`);
	await expect(await initiatiefRow(other, title)).toBeVisible();
	await other.context().close();
});
