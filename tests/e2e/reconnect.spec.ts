import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { renderedPinTitles } from './helpers';

/*
 * This test runs its own server (not the shared webServer), so that it can kill it with
 * SIGKILL and start it again on the same data folder and port.
 */
const port = Number(process.env.E2E_PORT ?? 4391) + 1;
const base = `http://127.0.0.1:${port}`;
let dataDir: string;
let server: ChildProcess | null = null;

async function startServer(): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BUURTBORD_DATA_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	await new Promise<void>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('[buurtbord] listening on')) resolve();
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
	});
	return child;
}

async function killServer(): Promise<void> {
	if (!server || server.exitCode !== null) return;
	const exited = once(server, 'exit');
	server.kill('SIGKILL');
	await exited;
	server = null;
}

function pageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	return errors;
}

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-reconnect-'));
	server = await startServer();
});

test.afterAll(async () => {
	await killServer();
	rmSync(dataDir, { recursive: true, force: true });
});

test('pages reconnect by themselves after kill -9 and converge', async ({ browser }) => {
	test.setTimeout(120_000);
	const pages = await Promise.all([browser.newContext(), browser.newContext()]).then((contexts) =>
		Promise.all(contexts.map((c) => c.newPage()))
	);
	const [a, b] = pages as [Page, Page];
	const errors = pages.map(pageErrors);
	for (const page of pages) {
		await page.goto(`${base}/boards/spoorbuurt`);
		await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
		await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	}

	async function addPin(page: Page, address: string, title: string) {
		await page.getByLabel('Of kies een adres').selectOption({ label: address });
		await page.getByRole('button', { name: 'Pin toevoegen' }).click();
		await page.getByTestId('pin-form').getByLabel('Titel').fill(title);
		await page.getByTestId('pin-form').getByRole('button', { name: 'Toevoegen' }).click();
		await expect(page.getByTestId('pin-item').filter({ hasText: title })).toBeVisible();
	}

	const before = `Voor de herstart ${Date.now()}`;
	await addPin(a, 'Dunklerstraat 2', before);
	await expect(b.getByTestId('pin-item').filter({ hasText: before })).toBeVisible();

	await killServer();
	for (const page of pages) {
		await expect(page.getByTestId('connection-status')).toHaveAttribute(
			'data-status',
			'reconnecting'
		);
		await expect(page.getByTestId('connection-status')).toContainText('opnieuw verbinden');
	}

	// Edited while the server is down (next door, so that it is in view on both maps): kept locally, sent when the connection is back.
	const during = `Tijdens de storing ${Date.now()}`;
	await addPin(b, 'Dunklerstraat 4', during);

	server = await startServer();
	for (const page of pages) {
		await expect(page.getByTestId('connection-status')).toHaveAttribute(
			'data-status',
			'connected',
			{ timeout: 20_000 }
		);
		for (const title of [before, during]) {
			await expect(page.getByTestId('pin-item').filter({ hasText: title })).toBeVisible();
		}
	}
	await expect.poll(() => renderedPinTitles(a)).toContain(during);

	// And a fresh page gets both from the server.
	await a.reload();
	await expect(a.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	await expect(a.getByTestId('pin-item').filter({ hasText: before })).toBeVisible();
	await expect(a.getByTestId('pin-item').filter({ hasText: during })).toBeVisible();

	expect(errors.flat()).toEqual([]);
	await Promise.all(pages.map((page) => page.context().close()));
});
