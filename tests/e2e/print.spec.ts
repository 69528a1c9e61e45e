import { expect, test, type Page } from './test';
import { gotoWithScriptHeld } from './helpers';
import { demoStoryServer } from './own-server';

/**
 * The print view of the analysis page (issue 10, "Print"): a map image, its legend and the street
 * table, for the whole board or one street, in the print media and in a PDF, in black and white.
 */
const demo = demoStoryServer(5, 'print');

test('the print view holds the map image, its legend and the street table', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.goto(`${demo.server.url}/boards/spoorbuurt/analyse`);
	await page.emulateMedia({ media: 'print' });

	const image = page.getByRole('img', { name: /Kaart van \d+ adressen/ });
	await expect(image).toBeVisible();
	const box = await image.boundingBox();
	expect(box!.width).toBeGreaterThan(500);
	// One symbol per door of the demo board, street names on it.
	const doors = Number(/Kaart van (\d+)/.exec((await image.getAttribute('aria-label'))!)![1]);
	expect(doors).toBeGreaterThan(100);
	expect(await image.locator('circle, path').count()).toBeGreaterThanOrEqual(doors);
	await expect(image.locator('text', { hasText: 'Sweelinckstraat' })).toHaveCount(1);

	// The legend names every state with its count; the counts add up to the doors.
	const legend = page.getByTestId('print-legend');
	await expect(legend).toBeVisible();
	for (const label of ['Niet bezocht', 'Geen contact', 'Geweigerd', 'Gesproken'])
		await expect(legend).toContainText(label);
	const counts = await legend.locator('.n').allTextContents();
	expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(doors);

	await expect(page.getByTestId('street-coverage')).toBeVisible();
	// Controls are not printed.
	await expect(page.getByRole('button', { name: 'Toon' })).toBeHidden();

	// Black and white: the symbols are black, white or grey, never a colour.
	const colours = await image.evaluate((svg) =>
		[...svg.querySelectorAll('circle, path, line, rect')].flatMap((el) => {
			const s = getComputedStyle(el);
			return [s.fill, s.stroke];
		})
	);
	for (const c of new Set(colours)) {
		const m = /rgba?\((\d+), (\d+), (\d+)/.exec(c);
		if (m) expect(m[1] === m[2] && m[2] === m[3], `${c} is grey`).toBe(true);
	}

	// A PDF of the page has the map in it (a vector drawing: the PDF grows with it).
	const pdf = await page.pdf({ format: 'A4', landscape: true });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	expect(pdf.byteLength).toBeGreaterThan(20_000);
	await page.close();
});

/** The pages of a PDF (Chromium writes one `/Type /Page` object per sheet) and their size. */
function pdfPages(pdf: Buffer): { count: number; sizes: [number, number][] } {
	const text = pdf.toString('latin1');
	const count = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
	const sizes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(
		(m) => [Number(m[1]), Number(m[2])] as [number, number]
	);
	return { count, sizes };
}

/** Whether something above the element cuts it off (a scroll box smaller than its content). */
async function clippedBy(page: Page, testid: string): Promise<string[]> {
	return page.getByTestId(testid).evaluate((el) => {
		const out: string[] = [];
		for (let e = el.parentElement; e; e = e.parentElement) {
			const s = getComputedStyle(e);
			if (s.overflowY !== 'visible' && e.scrollHeight > e.clientHeight + 1)
				out.push(`${e.tagName}.${e.className} ${e.clientHeight}/${e.scrollHeight}`);
		}
		return out;
	});
}

// Was a defect: printing gave one A4 sheet with the app's header, the back link and the top of the
// map; the legend and every table were cut off, because the app shell stayed a screen-high scroll
// box in print.
for (const scope of ['', 'Valeriusstraat']) {
	test(`printed ${scope || 'for the whole board'}: every table on as many A4 sheets as it takes, no app header`, async ({
		browser
	}) => {
		const page = await demo.server.signedInPage(browser, demo.owner);
		await page.setViewportSize({ width: 1280, height: 800 });
		const query = scope ? `?street=${scope}` : '';
		await page.goto(`${demo.server.url}/boards/spoorbuurt/analyse${query}`);
		await expect(page.getByTestId('street-coverage')).toBeVisible();
		await page.emulateMedia({ media: 'print' });

		// The app's header and the way back are not printed; the page's own title is.
		await expect(page.getByRole('button', { name: 'Uitloggen' })).toBeHidden();
		await expect(page.getByRole('button', { name: 'English' })).toBeHidden();
		await expect(page.getByRole('link', { name: /Terug naar de kaart/ })).toBeHidden();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Analyse');

		// Nothing is cut off: the legend and the tables down to the last one are in the document,
		// which is as long as its content (not one screen high).
		for (const id of ['print-legend', 'street-coverage', 'assignee-coverage', 'rounds-table']) {
			await expect(page.getByTestId(id)).toBeVisible();
			expect(await clippedBy(page, id), `${id} is cut off`).toEqual([]);
		}
		const { height, bottom } = await page.evaluate(() => ({
			height: document.documentElement.scrollHeight,
			bottom: document.querySelector('[data-testid="rounds-table"]')!.getBoundingClientRect().bottom
		}));
		expect(height).toBeGreaterThan(800);
		expect(bottom).toBeLessThanOrEqual(height);
		const rows = page.getByTestId('street-coverage').locator('tbody tr');
		if (scope) await expect(rows.first()).toHaveAttribute('data-street', scope);
		else
			for (const street of ['Dunklerstraat', 'Valeriusstraat', 'Sweelinckstraat'])
				await expect(
					rows.filter({ has: page.getByRole('rowheader', { name: street }) })
				).toHaveCount(1);

		// The PDF: A4 landscape as the page asks (842 × 595 points), more than one sheet.
		const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
		expect(pdf.count).toBeGreaterThan(1);
		expect(pdf.sizes).toHaveLength(pdf.count);
		for (const [w, h] of pdf.sizes) {
			expect(Math.round(w)).toBe(842);
			expect(Math.round(h)).toBe(595);
		}
		await page.close();
	});
}

test('A3 can be chosen instead of A4, landscape', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.goto(`${demo.server.url}/boards/spoorbuurt/analyse`);
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
	await page.getByLabel('Papier').selectOption('A3');
	await page.emulateMedia({ media: 'print' });
	const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
	expect(pdf.count).toBeGreaterThan(0);
	for (const [w, h] of pdf.sizes) {
		expect(Math.round(w)).toBe(1191);
		expect(Math.round(h)).toBe(842);
	}
	await page.close();
});

test('one street can be printed on its own', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.goto(`${demo.server.url}/boards/spoorbuurt/analyse`);
	await page.getByLabel('Afdrukken voor').selectOption('Sweelinckstraat');
	await page.getByRole('button', { name: 'Toon' }).click();
	await expect(page).toHaveURL(/straat=Sweelinckstraat/);
	await expect(page.getByRole('heading', { name: 'Straat: Sweelinckstraat' })).toBeVisible();
	await expect(
		page.getByRole('img', { name: 'Kaart van 18 adressen', exact: false })
	).toBeVisible();
	const rows = page.getByTestId('street-coverage').locator('tbody tr');
	await expect(rows.first()).toHaveAttribute('data-street', 'Sweelinckstraat');
	await page.close();
});

test('a street chosen while the page script is still loading stays chosen', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const release = await gotoWithScriptHeld(page, `${demo.server.url}/boards/spoorbuurt/analyse`);
	await page.getByLabel('Afdrukken voor').selectOption('Sweelinckstraat');
	await release();
	await expect(page.getByLabel('Afdrukken voor')).toHaveValue('Sweelinckstraat');
	await page.getByRole('button', { name: 'Toon' }).click();
	await expect(page).toHaveURL(/straat=Sweelinckstraat/);
	await expect(page.getByRole('heading', { name: 'Straat: Sweelinckstraat' })).toBeVisible();
	await page.close();
});
