import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { addInitiatiefAt, initiatiefRow, renderedTitles } from './helpers';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';

// Its own server, so that it can be killed with SIGKILL and started again on the same folder.
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;

function pageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	return errors;
}

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-reconnect-'));
	server = new OwnServer(ownPort(1), { BUURTBORD_DATA_DIR: dataDir });
	owner = await server.seedOwner();
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

test('pages reconnect by themselves after kill -9 and converge', async ({ browser }) => {
	test.setTimeout(120_000);
	const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
	for (const context of contexts) await server.signIn(context, owner);
	const pages = await Promise.all(contexts.map((c) => c.newPage()));
	const [a, b] = pages as [Page, Page];
	const errors = pages.map(pageErrors);
	for (const page of pages) {
		await page.goto(`${server.url}/boards/spoorbuurt`);
		await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
		await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	}

	async function addInitiatief(page: Page, address: string, title: string) {
		await addInitiatiefAt(page, address, title);
		await expect(await initiatiefRow(page, title)).toBeVisible();
	}

	const before = `Voor de herstart ${Date.now()}`;
	await addInitiatief(a, 'Dunklerstraat 2', before);
	await expect(await initiatiefRow(b, before)).toBeVisible();

	await server.stop('SIGKILL');
	for (const page of pages) {
		await expect(page.getByTestId('connection-status')).toHaveAttribute(
			'data-status',
			'reconnecting'
		);
		await expect(page.getByTestId('connection-status')).toContainText('opnieuw verbinden');
	}

	// Edited while the server is down (next door, so that it is in view on both maps): kept locally, sent when the connection is back.
	const during = `Tijdens de storing ${Date.now()}`;
	await addInitiatief(b, 'Dunklerstraat 4', during);

	await server.start();
	for (const page of pages) {
		await expect(page.getByTestId('connection-status')).toHaveAttribute(
			'data-status',
			'connected',
			{ timeout: 20_000 }
		);
		for (const title of [before, during]) {
			await expect(await initiatiefRow(page, title)).toBeVisible();
		}
	}
	await expect.poll(() => renderedTitles(a, 'initiatieven')).toContain(during);

	// And a fresh page gets both from the server.
	await a.reload();
	await expect(a.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	await expect(await initiatiefRow(a, before)).toBeVisible();
	await expect(await initiatiefRow(a, during)).toBeVisible();

	expect(errors.flat()).toEqual([]);
	await Promise.all(pages.map((page) => page.context().close()));
});
