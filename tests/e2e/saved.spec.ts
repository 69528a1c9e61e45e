import { mkdtempSync, rmSync } from 'node:fs';
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

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-saved-'));
	server = new OwnServer(Number(process.env.E2E_PORT ?? 4391) + 1, {
		BUURTBORD_DATA_DIR: dataDir,
		BUURTBORD_PERSIST_DEBOUNCE_MS: '3000',
		BUURTBORD_PERSIST_MAX_WAIT_MS: '3000'
	});
	owner = await server.seedOwner();
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
