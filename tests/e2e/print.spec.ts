import { expect, test } from './test';
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

test('one street can be printed on its own', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.goto(`${demo.server.url}/boards/spoorbuurt/analyse`);
	await page.getByLabel('Afdrukken voor').selectOption('Sweelinckstraat');
	await page.getByRole('button', { name: 'Toon' }).click();
	await expect(page).toHaveURL(/street=Sweelinckstraat/);
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
	await expect(page).toHaveURL(/street=Sweelinckstraat/);
	await expect(page.getByRole('heading', { name: 'Straat: Sweelinckstraat' })).toBeVisible();
	await page.close();
});
