import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';
import { renderedLabels } from './public-map-helpers';

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
	server = new OwnServer(ownPort(2), {
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

test('the offline map names the streets of the register, in glyphs the app serves itself', async ({
	page
}) => {
	await page.route(STYLE_URL, (route) => route.abort('connectionrefused'));
	const glyphs: { url: string; status: number }[] = [];
	page.on('response', (r) => {
		if (r.url().includes('/glyphs/')) glyphs.push({ url: r.url(), status: r.status() });
	});
	await openMap(page);
	// Close to one of the sketched streets (once the register has come): its name is drawn along it.
	const sketched = () =>
		page.evaluate(() => {
			const map = window.__buurtbordMap as unknown as import('maplibre-gl').Map;
			const line = map.querySourceFeatures('streets')[0];
			if (!line) return null;
			const [a, b] = (line.geometry as GeoJSON.LineString).coordinates as [number, number][];
			map.jumpTo({ center: [(a![0] + b![0]) / 2, (a![1] + b![1]) / 2], zoom: 17 });
			return String(line.properties.name);
		});
	await expect.poll(sketched, { timeout: 15_000 }).not.toBeNull();
	const street = (await sketched())!;
	await expect
		.poll(() => renderedLabels(page, '__buurtbordMap', 'street-labels'), { timeout: 15_000 })
		.toContain(street);
	await page.screenshot({ path: test.info().outputPath('board-map-names.png') });
	// Not shown zoomed out, where the names would crowd the doors.
	await page.evaluate(() =>
		(window.__buurtbordMap as unknown as import('maplibre-gl').Map).jumpTo({ zoom: 14 })
	);
	await expect.poll(() => renderedLabels(page, '__buurtbordMap', 'street-labels')).toEqual([]);
	expect(glyphs.length).toBeGreaterThan(0);
	for (const g of glyphs) {
		expect(g.url.startsWith(`${server.url}/glyphs/NotoSans-Regular/`)).toBe(true);
		expect(g.status).toBe(200);
	}
});
