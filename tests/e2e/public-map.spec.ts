import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from './test';
import QRCode from 'qrcode';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced } from '../support/clients';
import { PUBLIC_STORY, SECRETS, seedPublicStory } from '../support/public-board';
import { OwnServer } from './own-server';
import { approveTexts } from './review-helpers';
import {
	mapRequestsOutside,
	pixelAt,
	publicMapFeature,
	renderedLabels,
	residentPhone
} from './public-map-helpers';

/**
 * The flyer's short link, followed on a phone, and the public neighbourhood map: an SVG without
 * JavaScript, upgraded to MapLibre with it, fed only from the public projection.
 */
test.describe.configure({ mode: 'serial' });

let dataDir: string;
let server: OwnServer;
let owner: SeededUser;

const PHONE = { width: 360, height: 740 };

test.beforeAll(async ({ browser }) => {
	test.setTimeout(180_000);
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-public-map-'));
	server = new OwnServer(ownPort(1), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: ''
	});
	({ owner } = await seedServerUsers(
		{ dataDir },
		{ owner: { org: 'Buurtteam', displayName: 'Eigenaar', boards: { spoorbuurt: 'owner' } } }
	));
	await server.start();
	// The professionals' work, as it arrives in the app: over the sync socket.
	const client = connectClient(server.port, 'spoorbuurt', { cookie: owner.cookie });
	try {
		await whenSynced(client);
		seedPublicStory(client.doc);
		// An owner approves the initiatieven's texts for the public pages.
		const ownerPage = await server.signedInPage(browser, owner);
		await approveTexts(ownerPage, server.url, [PUBLIC_STORY.garden, PUBLIC_STORY.coffee]);
		await ownerPage.context().close();
		await expect
			.poll(
				async () => {
					const res = await fetch(`${server.url}/buurt/spoorbuurt/kaart.json`);
					return res.ok ? JSON.stringify(await res.json()) : '';
				},
				{ timeout: 30_000 }
			)
			.toContain(PUBLIC_STORY.garden);
	} finally {
		client.destroy();
	}
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

function phone(browser: Browser, javaScriptEnabled: boolean) {
	return residentPhone(browser, PHONE, javaScriptEnabled);
}

test('the flyer shows the street page short link and its QR code; a phone follows it to the street', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const ownerPage = await server.signedInPage(browser, owner);
	await ownerPage.goto(`${server.url}/boards/spoorbuurt/instellingen`);
	const row = ownerPage.getByTestId('publication-street').filter({ hasText: 'Sweelinckstraat' });
	const shown = (await row.getByTestId('short-link').innerText()).trim();
	expect(shown).toMatch(/^127\.0\.0\.1:\d+\/s\/[23456789abcdefghjkmnpqrstuvwxyz]{7}$/);

	await row.getByRole('link', { name: 'Flyer (A5)' }).click();
	const flyer = ownerPage.getByTestId('flyer');
	await expect(flyer.getByTestId('flyer-short-link')).toHaveText(shown);
	// The QR code holds the same short link, absolute.
	const link = `http://${shown}`;
	const svg = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	await expect(flyer.getByRole('img')).toHaveAttribute(
		'src',
		`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
	);
	await ownerPage.context().close();

	// A resident types it on a phone (no account, no JavaScript needed).
	const resident = await phone(browser, false);
	const page = await resident.newPage();
	const res = await page.goto(link);
	expect(res!.status()).toBe(200);
	await expect(page).toHaveURL(`${server.url}/buurt/spoorbuurt/sweelinckstraat`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Sweelinckstraat');
	await expect(page.getByRole('heading', { name: PUBLIC_STORY.garden })).toBeVisible();
	await resident.close();
});

test('without JavaScript the neighbourhood map is the SVG', async ({ browser }) => {
	const resident = await phone(browser, false);
	const page = await resident.newPage();
	await page.goto(`${server.url}/buurt/spoorbuurt`);
	await expect(page.locator('svg.map')).toBeVisible();
	await expect(page.locator('canvas')).toHaveCount(0);
	// The street list stays the way to navigate.
	await expect(page.getByRole('link', { name: 'Sweelinckstraat' })).toBeVisible();
	await resident.close();
});

test('with JavaScript the map becomes MapLibre, fed only from the public projection, and leads to a street', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const resident = await phone(browser, true);
	const page = await resident.newPage();
	// Every text response the page gets (HTML, JSON, scripts): none may hold a secret.
	const bodies: Promise<string>[] = [];
	page.on('response', (response) => {
		const type = response.headers()['content-type'] ?? '';
		if (/json|html|javascript/.test(type)) bodies.push(response.text().catch(() => ''));
	});
	await page.goto(`${server.url}/buurt/spoorbuurt`);
	const canvas = page.locator('.public-map canvas.maplibregl-canvas');
	await expect(canvas).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('.public-map')).toHaveClass(/public-map-ready/);
	await expect(page.locator('svg.map')).toBeHidden();
	await expect(page.getByRole('region', { name: /Kaart van de buurt/ })).toBeVisible();

	// The map's data: streets and public initiatives only, nothing personal.
	const data = await (
		await resident.request.get(`${server.url}/buurt/spoorbuurt/kaart.json`)
	).text();
	expect(data).toContain(PUBLIC_STORY.garden);
	expect(data).not.toContain(SECRETS.internal);
	expect(data).not.toMatch(/sweelinckstraat-\d|Sweelinckstraat \d/);
	const everything = (await Promise.all(bodies)).join('\n');
	expect(everything).toContain(PUBLIC_STORY.garden);
	for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);

	// The keyboard passes the map: Tab goes into it and out again.
	await page.getByRole('link', { name: 'English' }).focus();
	const focused: string[] = [];
	for (let i = 0; i < 8; i++) {
		await page.keyboard.press('Tab');
		focused.push(
			await page.evaluate(
				() =>
					`${document.activeElement?.tagName}:${document.activeElement?.textContent?.trim().slice(0, 30)}`
			)
		);
	}
	expect(focused.some((f) => f.startsWith('A:Sweelinckstraat') || f.startsWith('A:Dunkler'))).toBe(
		true
	);

	// A street on the map leads to its page.
	const point = await publicMapFeature(page, 'public-streets', 'slug', 'sweelinckstraat');
	await canvas.click({ position: { x: point.x, y: point.y } });
	await expect(page).toHaveURL(/\/buurt\/spoorbuurt\/sweelinckstraat$/);
	await resident.close();
});

test('the neighbourhood page with its map passes axe and fits a phone', async ({ browser }) => {
	const resident = await phone(browser, true);
	const page: Page = await resident.newPage();
	await page.goto(`${server.url}/buurt/spoorbuurt`);
	await expect(page.locator('.public-map')).toHaveClass(/public-map-ready/, { timeout: 30_000 });
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(
		result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)
	).toEqual([]);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		PHONE.width
	);
	await resident.close();
});

test('each published street is named on the map, in glyphs the app serves itself', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const resident = await phone(browser, true);
	const page = await resident.newPage();
	const outside = mapRequestsOutside(page, server.url);
	const glyphs: { url: string; status: number }[] = [];
	page.on('response', (r) => {
		if (r.url().includes('/glyphs/')) glyphs.push({ url: r.url(), status: r.status() });
	});
	const warnings: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
	});
	await page.goto(`${server.url}/buurt/spoorbuurt`);
	await expect(page.locator('.public-map')).toHaveClass(/public-map-ready/, { timeout: 30_000 });
	// What MapLibre placed (and so drew) of the names layer: the published streets' names.
	await expect
		.poll(() => renderedLabels(page, '__publicMap', 'public-street-labels'), { timeout: 15_000 })
		.toContain('Sweelinckstraat');
	const names = await renderedLabels(page, '__publicMap', 'public-street-labels');
	expect(names.length).toBeGreaterThanOrEqual(3);
	// The glyphs came from this server, whole; nothing was asked of any other host.
	expect(glyphs.length).toBeGreaterThan(0);
	for (const g of glyphs) {
		expect(g.url.startsWith(`${server.url}/glyphs/NotoSans-Bold/`)).toBe(true);
		expect(g.status).toBe(200);
	}
	expect(outside).toEqual([]);
	expect(warnings.filter((w) => /glyph/i.test(w))).toEqual([]);
	await page.screenshot({ path: test.info().outputPath('public-map-names.png') });
	await resident.close();
});

test('the key shows the marks both maps draw: circles for streets, diamonds for initiatives', async ({
	browser
}) => {
	test.setTimeout(120_000);
	// The key.
	const noScript = await phone(browser, false);
	const plain = await noScript.newPage();
	await plain.goto(`${server.url}/buurt/spoorbuurt`);
	const key = plain.getByTestId('public-map-legend');
	await expect(key.locator('li[data-mark="circle"]')).toContainText(['Straat']);
	await expect(key.locator('li[data-mark="diamond"]')).toHaveText('Initiatief');
	await expect(key.locator('li[data-mark="diamond"] svg rect[transform^="rotate(45"]')).toHaveCount(
		1
	);
	// The SVG map: circles for streets, turned squares for initiatives, nothing else.
	const svg = plain.locator('svg.map');
	expect(await svg.locator('circle').count()).toBeGreaterThan(2);
	await expect(svg.locator('rect[transform^="rotate(45"]')).toHaveCount(2);
	await noScript.close();

	// The MapLibre map: what is on screen at an initiative is a diamond, not a circle. A diamond of
	// the same size as the street circles is coloured on its axes but not on its diagonals.
	const resident = await phone(browser, true);
	const page = await resident.newPage();
	await page.goto(`${server.url}/buurt/spoorbuurt`);
	await expect(page.locator('.public-map')).toHaveClass(/public-map-ready/, { timeout: 30_000 });
	const canvas = page.locator('.public-map canvas.maplibregl-canvas');
	const initiative = await publicMapFeature(
		page,
		'public-initiatives',
		'title',
		PUBLIC_STORY.coffee
	);
	const box = (await canvas.boundingBox())!;
	const at = (dx: number, dy: number) =>
		pixelAt(page, box.x + initiative.x + dx, box.y + initiative.y + dy);
	const orange = (p: [number, number, number]) => p[0] > 150 && p[1] < 120 && p[2] < 60;
	await expect.poll(async () => orange(await at(0, 0))).toBe(true);
	expect(orange(await at(0, -5))).toBe(true);
	expect(orange(await at(5, 0))).toBe(true);
	// A circle of radius 7 covers (4.5, 4.5); the diamond does not.
	expect(orange(await at(4.5, 4.5))).toBe(false);
	expect(orange(await at(-4.5, -4.5))).toBe(false);
	await resident.close();
});

test('an English phone gets English, a Dutch one Dutch, without ?lang', async ({ browser }) => {
	for (const [locale, lang, heading] of [
		['en-GB', 'en', 'Streets'],
		['nl-NL', 'nl', 'Straten']
	] as const) {
		const context = await browser.newContext({
			storageState: { cookies: [], origins: [] },
			viewport: PHONE,
			locale
		});
		const page = await context.newPage();
		await page.goto(`${server.url}/buurt/spoorbuurt`);
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
		// Onwards in the same language, and the map's links too.
		await page.getByRole('link', { name: 'Sweelinckstraat' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await context.close();
	}
	// The explicit choice wins over the browser's.
	const english = await browser.newContext({
		storageState: { cookies: [], origins: [] },
		locale: 'en-GB'
	});
	const page = await english.newPage();
	await page.goto(`${server.url}/buurt/spoorbuurt`);
	await page.getByRole('link', { name: 'Nederlands' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await page.getByRole('link', { name: 'Sweelinckstraat' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await english.close();
});
