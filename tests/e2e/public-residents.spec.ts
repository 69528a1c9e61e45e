import { expect, test, type Browser, type Page } from './test';
import { demoStoryServer } from './own-server';
import { publicMapFeature, residentPhone } from './public-map-helpers';

/**
 * The residents' public pages of the demo board as a resident meets them on a phone (390 × 844):
 * which round the overview's numbers are from, where the header and a "not found" page lead,
 * large text, and the map's key and links.
 */
const demo = demoStoryServer(10, 'public-residents');

const PHONE = { width: 390, height: 844 };

function phone(browser: Browser, javaScriptEnabled = false) {
	return residentPhone(browser, PHONE, javaScriptEnabled);
}

test('the overview says which round its numbers are from, as the street page does', async ({
	browser
}) => {
	const page = await (await phone(browser)).newPage();
	const url = demo.server.url;
	await page.goto(`${url}/buurt/spoorbuurt/sweelinckstraat`);
	const spoken = page
		.getByTestId('heard')
		.getByRole('row')
		.filter({ hasText: 'Gesproken huishoudens' })
		.getByRole('cell');
	const [first, second] = await spoken.allInnerTexts();
	expect(Number(first)).not.toBe(Number(second));

	await page.goto(`${url}/buurt/spoorbuurt`);
	const line = page.getByRole('listitem').filter({ hasText: 'Sweelinckstraat' });
	await expect(line).toContainText(`Ronde 2: we spraken met ${second} huishoudens.`);
	await page.goto(`${url}/buurt/spoorbuurt?lang=en`);
	await expect(line).toContainText(`Round 2: we talked with ${second} households.`);
});

test('the header leads residents to the neighbourhood, not to the sign-in page', async ({
	browser
}) => {
	const page = await (await phone(browser)).newPage();
	await page.goto(`${demo.server.url}/buurt/spoorbuurt/sweelinckstraat?lang=en`);
	const brand = page.getByRole('banner').getByRole('link', { name: /Buurtbord/ });
	await expect(brand).toHaveAccessibleName('Buurtbord · Neighbourhood overview');
	await brand.click();
	await expect(page).toHaveURL(`${demo.server.url}/buurt/spoorbuurt?lang=en`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Spoorbuurt');
	await expect(page.locator('a[href="/"]')).toHaveCount(0);
});

test('a street, neighbourhood or link that is not there says so in residents’ words, with the way back', async ({
	browser
}) => {
	const page = await (await phone(browser)).newPage();
	const url = demo.server.url;
	const notFound = page.getByTestId('error-page');

	// A street that is not (or no longer) published: the way back to its neighbourhood.
	let res = await page.goto(`${url}/buurt/spoorbuurt/nietbestaand`);
	expect(res!.status()).toBe(404);
	await expect(notFound).toContainText('Deze straat staat niet (meer) op Buurtbord.');
	await expect(notFound).not.toContainText('bord bestaat niet');
	await expect(page.locator('a[href="/"]')).toHaveCount(0);
	await notFound.getByRole('link', { name: 'Alle straten van Spoorbuurt' }).click();
	await expect(page).toHaveURL(`${url}/buurt/spoorbuurt`);

	res = await page.goto(`${url}/buurt/spoorbuurt/nietbestaand?lang=en`);
	expect(res!.status()).toBe(404);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(notFound).toContainText('This street is not (or no longer) on Buurtbord.');
	await notFound.getByRole('link', { name: 'All streets of Spoorbuurt' }).click();
	await expect(page).toHaveURL(`${url}/buurt/spoorbuurt?lang=en`);

	// Typed from a flyer with capitals: the street's page.
	res = await page.goto(`${url}/buurt/Spoorbuurt/Sweelinckstraat`);
	expect(res!.status()).toBe(200);
	await expect(page).toHaveURL(`${url}/buurt/spoorbuurt/sweelinckstraat`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Sweelinckstraat');

	// No such neighbourhood (also with a NUL byte): no link to the professionals' sign-in page.
	for (const path of ['/buurt/bestaatniet', '/buurt/%00', '/buurt/a%00b/x']) {
		res = await page.goto(`${url}${path}`);
		expect(res!.status(), path).toBe(404);
		await expect(notFound).toContainText('Deze buurt staat niet (meer) op Buurtbord.');
		await expect(page.getByRole('link')).toHaveCount(0);
	}

	// A flyer's short link that leads nowhere: the same kind of page, not JSON.
	for (const path of ['/s/abvdbf', '/s/%27%22']) {
		res = await page.goto(`${url}${path}`);
		expect(res!.status(), path).toBe(404);
		expect(res!.headers()['content-type']).toMatch(/^text\/html/);
		await expect(notFound).toContainText('Deze link leidt nergens (meer) heen.');
	}
});

/** Words of the initiative cards' values that the browser broke over two lines. */
function brokenWords(page: Page): Promise<string[]> {
	return page.locator('[data-testid="public-initiative"] dd').evaluateAll((dds) => {
		const broken: string[] = [];
		for (const dd of dds) {
			const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				const text = node.textContent ?? '';
				for (const match of text.matchAll(/\S+/g)) {
					const range = document.createRange();
					range.setStart(node, match.index);
					range.setEnd(node, match.index + match[0].length);
					const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
					if (lines.size > 1) broken.push(match[0]);
				}
			}
		}
		return broken;
	});
}

test('on a 390 px phone words stay whole, and with text at 200 % nothing makes the page wider than the screen', async ({
	browser
}) => {
	const context = await phone(browser, true);
	const page = await context.newPage();
	const url = demo.server.url;
	const paths = [
		'/buurt/spoorbuurt',
		'/buurt/spoorbuurt/sweelinckstraat',
		'/buurt/spoorbuurt/valeriusstraat?lang=en'
	];
	// "Waar: Sweelinckstraat", not "Sweelinckstraa|t".
	for (const path of paths) {
		await page.goto(`${url}${path}`);
		await expect(page.getByTestId('public-initiative').first()).toBeVisible();
		expect(await brokenWords(page), path).toEqual([]);
	}

	// The browser's own text size setting (Chromium: Settings → Appearance → Font size).
	const cdp = await context.newCDPSession(page);
	await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
	for (const path of paths) {
		await page.goto(`${url}${path}`);
		expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(
			'32px'
		);
		const widths = await page.evaluate(() => {
			const main = document.querySelector('main')!;
			return {
				document: document.documentElement.scrollWidth,
				viewport: window.innerWidth,
				main: main.scrollWidth - main.clientWidth
			};
		});
		expect(widths.document, path).toBe(PHONE.width);
		expect(widths.viewport, path).toBe(PHONE.width);
		expect(widths.main, `${path}: <main> scrolls sideways`).toBe(0);
	}
	// The table of what we heard scrolls in its own region, which the keyboard can reach.
	await page.goto(`${url}/buurt/spoorbuurt/sweelinckstraat`);
	const region = page.getByRole('region', { name: 'Wat we hoorden in uw straat' });
	await expect(region).toHaveAttribute('tabindex', '0');
	expect(await region.evaluate((r) => r.scrollWidth > r.clientWidth)).toBe(true);
});

test('the map has a key, and an initiative leads to the street of its place', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const page = await (await phone(browser, true)).newPage();
	const url = demo.server.url;
	await page.goto(`${url}/buurt/spoorbuurt`);
	const key = page.getByRole('list', { name: 'Uitleg bij de kaart' });
	await expect(key.getByRole('listitem')).toHaveText([
		'Straat (het midden, nooit een huis)',
		'Initiatief'
	]);
	await page.goto(`${url}/buurt/spoorbuurt?lang=en`);
	await expect(page.getByRole('list', { name: 'Map key' })).toContainText('Initiative');

	// "Waar: Valeriusstraat" on its card: the map leads there, not to a street it is also near.
	const card = page
		.getByTestId('public-initiative')
		.filter({ hasText: 'Voortuinen als ontmoetingsplek' });
	await expect(card).toContainText('Valeriusstraat');
	await expect(page.locator('.public-map')).toHaveClass(/public-map-ready/, { timeout: 30_000 });
	const target = await publicMapFeature(
		page,
		'public-initiatives',
		'title',
		'Voortuinen als ontmoetingsplek'
	);
	expect(target.properties.href).toBe('/buurt/spoorbuurt/valeriusstraat?lang=en');
	await page
		.locator('.public-map canvas.maplibregl-canvas')
		.click({ position: { x: target.x, y: target.y } });
	await expect(page).toHaveURL(`${url}/buurt/spoorbuurt/valeriusstraat?lang=en`);
});
