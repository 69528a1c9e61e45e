import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';

/*
 * A server with a remote basemap configured. There is no internet here: the tests answer the
 * style request themselves (page.route), or refuse it to see the fallback to the offline style.
 */
const STYLE_URL = 'http://basemap.test/styles/standaard.json';
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-basemap-'));
	server = new OwnServer(Number(process.env.E2E_PORT ?? 4391) + 2, {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: STYLE_URL
	});
	owner = await server.seedOwner();
	await server.start();
});

// Every test's browser is signed in on this server as the demo board's owner.
test.beforeEach(async ({ context }) => {
	await server.signIn(context, owner);
});

test.afterAll(async () => {
	await server.stop('SIGTERM');
	rmSync(dataDir, { recursive: true, force: true });
});

function styleLayerIds(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const map = window.__buurtbordMap as unknown as {
			getStyle(): { layers: { id: string }[] };
		};
		return map.getStyle().layers.map((layer) => layer.id);
	});
}

async function openMap(page: Page) {
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
}

test('uses the configured basemap with our layers on top, crediting Kadaster', async ({ page }) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.route(STYLE_URL, (route) =>
		route.fulfill({
			contentType: 'application/json',
			headers: { 'access-control-allow-origin': '*' },
			body: JSON.stringify({
				version: 8,
				sources: {},
				layers: [
					{ id: 'brt-achtergrond', type: 'background', paint: { 'background-color': '#e4ecd9' } }
				]
			})
		})
	);
	await openMap(page);
	// The board's own layers on top of the base: addresses and pins, then notities and
	// initiatieven (added by the content layers once the map has loaded).
	await expect
		.poll(() => styleLayerIds(page))
		.toEqual([
			'brt-achtergrond',
			'addresses',
			'analysis-cluster-circles',
			'analysis-cluster-points',
			'addresses-selected',
			'pins',
			'notities',
			'initiatieven-selected',
			'initiatieven'
		]);
	await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('Kadaster');
	await expect(page.getByText('De achtergrondkaart is niet bereikbaar')).toHaveCount(0);
	expect(errors).toEqual([]);
});

test('falls back to the offline style when the basemap cannot be reached', async ({ page }) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.route(STYLE_URL, (route) => route.abort('connectionrefused'));
	await openMap(page);
	expect(await styleLayerIds(page)).toContain('streets');
	expect(await styleLayerIds(page)).toContain('addresses');
	await expect(page.getByText('De achtergrondkaart is niet bereikbaar')).toBeVisible();
	await expect(page.locator('.maplibregl-ctrl-attrib')).not.toContainText('Kadaster');
	expect(errors).toEqual([]);
});
