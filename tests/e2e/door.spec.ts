import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './test';
import { openBoard } from './helpers';
import { openDoorMode } from './field-helpers';

const PHONES = [
	{ width: 360, height: 740 },
	{ width: 390, height: 844 }
] as const;

/** Nothing sticks out sideways: the page does not scroll horizontally, the header fits. */
async function expectNoOverflow(page: Page, header: string): Promise<void> {
	const sizes = await page.evaluate((selector) => {
		const el = document.querySelector(selector);
		return {
			page: document.documentElement.scrollWidth,
			viewport: window.innerWidth,
			header: el ? el.scrollWidth - el.clientWidth : -1,
			// What sticks out, to name in the failure.
			wide: [...document.querySelectorAll('body *')]
				.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
				.slice(0, 5)
				.map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
		};
	}, header);
	expect(sizes.page, sizes.wide.join(', ')).toBeLessThanOrEqual(sizes.viewport);
	expect(sizes.header).toBe(0);
}

for (const size of PHONES) {
	test(`on a ${size.width}×${size.height} phone the board header fits and door mode is one thumb's work`, async ({
		page
	}, testInfo) => {
		await page.setViewportSize(size);
		await openBoard(page);
		await page.screenshot({ path: testInfo.outputPath(`board-${size.width}x${size.height}.png`) });
		await expectNoOverflow(page, '.board-header');

		await page.getByTestId('door-link').click();
		await expect(page).toHaveURL(/\/boards\/spoorbuurt\/deur$/);
		await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
		await page.getByRole('button', { name: /^Sweelinckstraat/ }).click();
		await page.getByRole('button', { name: 'Even', exact: true }).click();
		const card = page.getByTestId('door-card');
		const address = (await card.getByTestId('door-address').textContent())!;
		// Walking order: even numbers, ascending.
		const numbers = await page
			.getByTestId('door-item')
			.evaluateAll((els) =>
				els.map((e) => Number(/ (\d+)/.exec(e.textContent ?? '')?.[1] ?? Number.NaN))
			);
		expect(numbers.length).toBeGreaterThan(1);
		expect(numbers.every((n) => n % 2 === 0)).toBe(true);
		expect(numbers).toEqual([...numbers].sort((a, b) => a - b));

		// One tap for the outcome; touch targets of at least 44 px.
		const spoken = card.getByRole('button', { name: 'Gesproken', exact: true });
		await spoken.click();
		await expect(spoken).toHaveAttribute('aria-pressed', 'true');
		const box = await spoken.boundingBox();
		expect(box!.height).toBeGreaterThanOrEqual(44);
		await card.getByRole('button', { name: 'Ontmoeting', exact: true }).click();
		await card.getByLabel('Wensen toevoegen').fill('Bankje voor de deur');
		await card.getByTestId('short-list-wishes').getByRole('button', { name: 'Toevoegen' }).click();
		await card.getByLabel('Vervolgacties toevoegen').fill('Terugbellen over bankje');
		await card
			.getByTestId('short-list-follow-ups')
			.getByRole('button', { name: 'Toevoegen' })
			.click();
		await card.getByLabel('Toestemming om dit vast te leggen').check();
		await expect(card.getByTestId('short-list-wishes')).toContainText('Bankje voor de deur');
		await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');
		await page.screenshot({
			path: testInfo.outputPath(`door-${size.width}x${size.height}.png`),
			fullPage: true
		});
		await expectNoOverflow(page, '.door-header');

		const axe = await new AxeBuilder({ page }).analyze();
		expect(
			axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(' | ')})`)
		).toEqual([]);

		// Next door in one tap.
		await page.getByRole('button', { name: 'Volgende deur' }).click();
		await expect(card.getByTestId('door-address')).not.toHaveText(address);
		await expect(page.getByTestId('door-position')).toContainText('Deur 2 van');

		// The full board stays one tap away and shows what was recorded at the door.
		await page.getByRole('link', { name: /Volledig bord/ }).click();
		await expect(page).toHaveURL(/\/boards\/spoorbuurt$/);
	});
}

test('door mode lists every street with its open doors', async ({ page }) => {
	await openDoorMode(page);
	const streets = page.getByRole('button', { name: /deuren open$/ });
	await expect(streets).toHaveCount(9);
	await expect(streets.first()).toContainText(/\d+ van \d+ deuren open/);
});

test('door mode comes back at the same street, side and door after a reload', async ({ page }) => {
	await openDoorMode(page);
	const streetButton = page.getByRole('button', { name: /deuren open$/ }).nth(1);
	const street = (await streetButton.locator('.street-name').textContent())!.trim();
	await streetButton.click();
	await page.getByRole('button', { name: 'Even', exact: true }).click();
	await page.getByRole('button', { name: 'Volgende deur' }).click();
	await page.getByRole('button', { name: 'Volgende deur' }).click();
	const address = (await page.getByTestId('door-address').textContent())!.trim();
	const position = (await page.getByTestId('door-position').textContent())!.trim();

	await page.reload();
	await expect(page.getByTestId('door-address')).toHaveText(address);
	await expect(page.getByTestId('door-position')).toHaveText(position);
	await expect(page.locator('.street-bar strong')).toHaveText(street);
	await expect(page.getByRole('button', { name: 'Even', exact: true })).toHaveAttribute(
		'aria-pressed',
		'true'
	);

	// Choosing another street is kept too: the reload shows the list of streets.
	await page.getByRole('button', { name: 'Andere straat' }).click();
	await page.reload();
	await expect(page.getByRole('button', { name: /deuren open$/ }).first()).toBeVisible();
	await expect(page.getByTestId('door-card')).toHaveCount(0);

	// An address naming a street that is not in the register opens the list, not an empty walk.
	await page.goto('/boards/spoorbuurt/deur?straat=Nergensstraat&deur=x');
	await expect(page.getByRole('button', { name: /deuren open$/ }).first()).toBeVisible();
});

test('going back to the street list is kept, also when the walk began there', async ({ page }) => {
	// The page opens without a street; the address then says the street, and back the list again.
	await openDoorMode(page);
	await page
		.getByRole('button', { name: /deuren open$/ })
		.first()
		.click();
	await expect(page).toHaveURL(/straat=/);
	await page.getByRole('button', { name: 'Andere straat' }).click();
	// Was: the address kept the street (compared with the one the page opened with), and a reload
	// went back into it.
	await expect(page).toHaveURL(/\/deur$/);
	await page.reload();
	await expect(page.getByRole('button', { name: /deuren open$/ }).first()).toBeVisible();
	await expect(page.getByTestId('door-card')).toHaveCount(0);
});
