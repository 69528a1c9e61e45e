import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import { addInitiatiefAt, openBoard, ownerState } from './helpers';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';

// Its own server, whose writes take 9 s: as a server whose database is away or slow.
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-slow-'));
	server = new OwnServer(Number(process.env.E2E_PORT ?? 4391) + 2, {
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

test('typing without a pause for seconds is saved as it goes, without saying saving takes long', async ({
	browser
}) => {
	// The shared server, with the usual write delay.
	const page = await (await browser.newContext({ storageState: ownerState() })).newPage();
	await openBoard(page);
	await addInitiatiefAt(page, 'Dunklerstraat 8', `Zonder pauze getypt ${Date.now()}`);
	const form = page.getByTestId('initiatief-form');
	await form.getByRole('button', { name: 'Initiatief opslaan' }).click();
	const description = form.getByLabel('Beschrijving');
	await description.click();
	// About 7 s of typing, a key every 100 ms.
	await page.keyboard.type(
		'Elke eerste zaterdag koffie in het buurthuis, voor iedereen uit de straat.',
		{
			delay: 100
		}
	);
	const sync = page.getByTestId('sync-state');
	expect(await sync.getAttribute('data-slow')).toBeNull();
	await expect(sync).toHaveAttribute('data-state', 'saved');
	await page.context().close();
});
