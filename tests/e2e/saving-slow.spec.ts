import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import { addInitiatiefAt } from './helpers';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';

// Its own server, whose writes take 9 s: as a server whose database is away or slow.
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-slow-'));
	server = new OwnServer(ownPort(2), {
		BUURTBORD_DATA_DIR: dataDir,
		BUURTBORD_PERSIST_DEBOUNCE_MS: '9000',
		BUURTBORD_PERSIST_MAX_WAIT_MS: '9000'
	});
	owner = await server.seedOwner();
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

test('saving that takes long says to keep the page open, and "saved" once it is', async ({
	browser
}) => {
	test.setTimeout(60_000);
	const page = await server.signedInPage(browser, owner);
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	const sync = page.getByTestId('sync-state');
	await addInitiatiefAt(page, 'Dunklerstraat 6', `Langzaam opgeslagen ${Date.now()}`);
	await expect(sync).toHaveText(/Bezig met opslaan op de server/);
	await expect(sync).toHaveAttribute('data-slow', 'true', { timeout: 8_000 });
	await expect(sync).toHaveText(/Opslaan duurt lang\. Laat deze pagina open/);
	await expect(sync).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
	await expect(sync).toHaveText(/Alles opgeslagen op de server/);
	await page.context().close();
});
