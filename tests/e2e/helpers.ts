import { join } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { formatAddress } from '../../src/lib/geo/address';
import { decodeRegister, type CompactRegister } from '../../src/lib/geo/register';
import { ANALYSIS_POINT_LAYERS } from '../../src/lib/map/analysis-features';

/** The first owner of the shared e2e server, created through /setup by owner.setup.ts. */
export const OWNER = {
	name: 'Olga Eigenaar',
	email: 'olga@buurtteam.test',
	password: 'spoorbuurt-e2e-wachtwoord',
	organisation: 'Buurtteam Spoorbuurt'
} as const;

/**
 * That owner's signed-in browser state (cookies). Every test's own `page` starts with it; pass it
 * to browser.newContext({ storageState: ownerState() }) for a second browser on the shared server.
 */
export function ownerState(): string {
	const dir = process.env.BUURTBORD_E2E_DIR;
	if (!dir) throw new Error('BUURTBORD_E2E_DIR is not set (run through playwright.config.ts)');
	return join(dir, 'owner.json');
}

/** Signs in through the real form; waits until the page has left /login. */
export async function signInThroughForm(
	page: Page,
	email: string,
	password: string,
	language: 'nl' | 'en' = 'nl'
): Promise<void> {
	const labels =
		language === 'nl'
			? { email: 'E-mailadres', password: 'Wachtwoord', submit: 'Inloggen' }
			: { email: 'Email address', password: 'Password', submit: 'Sign in' };
	await page.getByLabel(labels.email).fill(email);
	await page.getByLabel(labels.password).fill(password);
	await page.getByRole('main').getByRole('button', { name: labels.submit }).click();
	await expect(page).not.toHaveURL(/\/login(\?|$)/);
}

/** Collects uncaught page errors, console errors and Svelte's warnings, to assert that there are none. */
export function collectErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`console: ${message.text()}`);
		// Svelte's runtime warnings (a derived read after its component went, …): fixed, not ignored.
		else if (message.type() === 'warning' && message.text().includes('svelte.dev/e/')) {
			errors.push(`svelte warning: ${message.text()}`);
		}
	});
	return errors;
}

/** The part of the MapLibre map the tests use (exposed as window.__buurtbordMap). */
interface TestMap {
	project(lngLat: [number, number]): { x: number; y: number };
	queryRenderedFeatures(options: { layers: string[] }): {
		properties: Record<string, unknown>;
		geometry: { type: string; coordinates: unknown };
	}[];
	getCanvas(): HTMLCanvasElement;
	getLayer(id: string): unknown;
	loaded(): boolean;
	isMoving(): boolean;
	once(event: 'idle', listener: () => void): void;
}

declare global {
	interface Window {
		__buurtbordMap?: TestMap;
	}
}

/** Opens a board and waits until its map is drawn and its document connected; `server`: another server's URL. */
export async function openBoard(page: Page, boardId = 'spoorbuurt', server = ''): Promise<void> {
	const response = await page.goto(`${server}/boards/${boardId}`);
	expect(response?.status()).toBe(200);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

/**
 * Two browsers of the owner (contexts of their own, as two people would have) with the demo board
 * open in both, and the errors each page reports.
 */
export async function twoBrowsers(browser: Browser) {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errors = [pageA, pageB].map(collectErrors);
	await openBoard(pageA);
	await openBoard(pageB);
	return { pageA, pageB, errors };
}

export interface ScreenAddress {
	id: string;
	label: string;
	x: number;
	y: number;
}

/** Labels of the board's addresses by id, from the register the board page loads. */
async function addressLabels(page: Page): Promise<Map<string, string>> {
	const board = /\/boards\/[^/?#]+/.exec(new URL(page.url()).pathname)?.[0];
	if (!board) throw new Error(`not a board page: ${page.url()}`);
	// The page's own server (a test may run one of its own next to the shared one).
	const response = await page.request.get(new URL(`${board}/adressen.json`, page.url()).href);
	expect(response.status()).toBe(200);
	const register = decodeRegister((await response.json()) as CompactRegister);
	return new Map(register.map((a) => [a.id, formatAddress(a)]));
}

/** The id of the board's address with this label (as formatAddress writes it). */
export async function addressIdByLabel(page: Page, label: string): Promise<string> {
	const id = [...(await addressLabels(page))].find(([, l]) => l === label)?.[0];
	if (!id) throw new Error(`no address ${label} in the register`);
	return id;
}

/**
 * Address points as rendered (the analysis layer's single-address points: the map keeps no
 * other copy of every address), with their position on the page and the address's label; only
 * those well inside the map and away from its controls (zoom buttons top right, attribution
 * bottom right, analysis panel top left).
 */
export async function visibleAddresses(page: Page): Promise<ScreenAddress[]> {
	// Right after a panel opens or closes, the map has not followed yet: its points still move.
	await mapSettled(page);
	const box = await page.getByTestId('board-map').boundingBox();
	if (!box) throw new Error('map not visible');
	// The analysis points come once the register and the document are in.
	await expect
		.poll(
			() =>
				page.evaluate(
					(layers) => layers.some((id) => window.__buurtbordMap?.getLayer(id)),
					ANALYSIS_POINT_LAYERS
				),
			{ message: 'analysis points on the map', timeout: 30_000 }
		)
		.toBe(true);
	const points = await page.evaluate(async (layers) => {
		const map = window.__buurtbordMap;
		if (!map) throw new Error('map not exposed');
		// A map still flying (after a search, a follow) or loading its points would move or
		// miss them.
		if (map.isMoving() || !map.loaded())
			await new Promise<void>((resolve) => map.once('idle', resolve));
		const existing = layers.filter((id) => map.getLayer(id));
		return map.queryRenderedFeatures({ layers: existing }).map((f) => {
			const [lon, lat] = f.geometry.coordinates as [number, number];
			const { x, y } = map.project([lon, lat]);
			return { id: String(f.properties.id), x, y };
		});
	}, ANALYSIS_POINT_LAYERS);
	const labels = await addressLabels(page);
	const margin = 40;
	const seen = new Set<string>();
	return points
		.filter(
			(p) =>
				p.x > margin &&
				p.y > margin &&
				p.x < box.width - 80 &&
				p.y < box.height - margin &&
				!(p.x < 360 && p.y < 320) &&
				labels.has(p.id) &&
				!seen.has(p.id) &&
				seen.add(p.id)
		)
		.map((p) => ({ ...p, label: labels.get(p.id)!, x: box.x + p.x, y: box.y + p.y }))
		.sort((a, b) => a.id.localeCompare(b.id));
}

/** Whether the map canvas has followed a layout change (e.g. a panel opening or closing). */
function canvasFitsMap(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const map = document.querySelector('[data-testid="board-map"]');
		const canvas = map?.querySelector('canvas');
		if (!map || !canvas) return false;
		return (
			Math.abs(canvas.clientWidth - map.clientWidth) < 2 &&
			Math.abs(canvas.clientHeight - map.clientHeight) < 2
		);
	});
}

/** Waits until the map canvas has followed a layout change (e.g. the panel opening). */
export async function mapSettled(page: Page): Promise<void> {
	await expect.poll(() => canvasFitsMap(page)).toBe(true);
}

/**
 * One address's point on the page (see visibleAddresses), once the map has followed the last
 * layout change and draws it: right after a panel closes, the points still move.
 */
export async function addressOnScreen(page: Page, id: string): Promise<ScreenAddress> {
	let found: ScreenAddress | undefined;
	await expect
		.poll(
			async () => {
				found = (await visibleAddresses(page)).find((a) => a.id === id);
				return found !== undefined;
			},
			{ message: `address ${id} drawn on the map` }
		)
		.toBe(true);
	return found!;
}

/**
 * Titles of the initiatieven, notities or (legacy) pins rendered on the map (a notitie's first
 * line).
 */
export function renderedTitles(
	page: Page,
	layer: 'initiatieven' | 'notities' | 'pins'
): Promise<string[]> {
	return page.evaluate((id) => {
		const map = window.__buurtbordMap;
		if (!map) return [];
		return map.queryRenderedFeatures({ layers: [id] }).map((f) => String(f.properties.title));
	}, layer);
}

/** The map's centre (longitude, latitude). */
export function mapCenter(page: Page): Promise<{ lng: number; lat: number }> {
	return page.evaluate(() => {
		const map = window.__buurtbordMap as unknown as { getCenter(): { lng: number; lat: number } };
		const { lng, lat } = map.getCenter();
		return { lng, lat };
	});
}

/** Opens an address through the sidebar's picker (no map click): its panel shows. */
export async function openAddressFromPicker(page: Page, address: string): Promise<void> {
	await page.getByLabel('Of kies een adres').selectOption({ label: address });
	await page.getByRole('button', { name: 'Adres openen' }).click();
	await expect(page.getByTestId('address-panel')).toContainText(address);
}

/** Adds an initiatief at an address through its panel, as a user does; the form stays open. */
export async function addInitiatiefAt(page: Page, address: string, title: string): Promise<void> {
	await openAddressFromPicker(page, address);
	await page.getByRole('button', { name: 'Initiatief bij dit adres' }).click();
	const form = page.getByTestId('initiatief-form');
	await form.getByLabel('Titel').fill(title);
	await form.getByRole('button', { name: 'Initiatief opslaan' }).click();
	await expect(form.getByRole('heading', { level: 2 })).toContainText(title);
}

/** The row of an initiatief in the list view's Initiatieven tab (the tab is chosen first). */
export async function initiatiefRow(page: Page, title: string) {
	const list = page.getByTestId('list-view');
	// The tabs are the page's script: a click before it runs (a page just opened) does nothing.
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await list.getByRole('tab', { name: 'Initiatieven' }).click();
	return list.getByTestId('initiatief-table').getByRole('row').filter({ hasText: title });
}

/**
 * Opens a page whose script is held back, as on a slow phone: the server's HTML is there and can
 * be used, the app's code is not loaded until the returned `release()`, which resolves once the
 * page has hydrated (the root layout marks `<html data-hydrated>`).
 */
export async function gotoWithScriptHeld(page: Page, url: string): Promise<() => Promise<void>> {
	const scripts = '**/_app/immutable/**/*.js';
	let open!: () => void;
	const gate = new Promise<void>((resolve) => (open = resolve));
	await page.route(scripts, async (route) => {
		await gate;
		await route.continue();
	});
	await page.goto(url, { waitUntil: 'domcontentloaded' });
	await expect(page.locator('html')).not.toHaveAttribute('data-hydrated');
	return async () => {
		open();
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await page.unroute(scripts);
	};
}
