import { expect, test } from '@playwright/test';
import {
	collectErrors,
	openBoard,
	ownerState,
	renderedPinTitles,
	visibleAddresses
} from './helpers';

test('a pin added in one browser shows in another at once, and stays after a reload', async ({
	browser
}) => {
	// Two browsers, both signed in as the board's owner.
	const alice = await browser.newContext({ storageState: ownerState() });
	const bob = await browser.newContext({ storageState: ownerState() });
	const pageA = await alice.newPage();
	const pageB = await bob.newPage();
	const errorsA = collectErrors(pageA);
	const errorsB = collectErrors(pageB);

	await openBoard(pageA);
	await openBoard(pageB);
	await expect(pageA.getByRole('heading', { level: 1, name: 'Spoorbuurt' })).toBeVisible();

	const addresses = await visibleAddresses(pageA);
	expect(addresses.length).toBeGreaterThan(10);
	const target = addresses[Math.floor(addresses.length / 2)]!;
	const title = `Koffie-ochtend ${Date.now()}`;

	// Click the address point on the map: the form opens for that address.
	await pageA.mouse.click(target.x, target.y);
	// The address opens its panel; the quick pin is one of its actions.
	await pageA.getByRole('button', { name: 'Pin bij dit adres' }).click();
	const form = pageA.getByTestId('pin-form');
	await expect(form).toBeVisible();
	await expect(form.getByRole('heading')).toContainText(target.label);
	await expect(form.getByLabel('Titel')).toBeFocused();
	await form.getByLabel('Titel').fill(`  ${title}  `);
	await form.getByLabel('Soort').selectOption('initiatief');
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(form).toBeHidden();

	// At once in the first browser: in the list and on the map.
	const itemA = pageA.getByTestId('pin-item').filter({ hasText: title });
	await expect(itemA).toBeVisible();
	await expect(itemA).toContainText('Initiatief');
	await expect(itemA).toContainText(target.label);
	await expect.poll(() => renderedPinTitles(pageA)).toContain(title);

	// Live in the second browser, without reload.
	const itemB = pageB.getByTestId('pin-item').filter({ hasText: title });
	await expect(itemB).toBeVisible();
	await expect(itemB).toContainText('Initiatief');
	await expect(itemB).toContainText(target.label);
	await expect.poll(() => renderedPinTitles(pageB)).toContain(title);

	// A reload gets it back from the server.
	await pageB.reload();
	await openBoard(pageB);
	await expect(pageB.getByTestId('pin-item').filter({ hasText: title })).toBeVisible();
	await expect.poll(() => renderedPinTitles(pageB)).toContain(title);

	// Removing it in the second browser removes it in the first.
	await pageB.getByRole('button', { name: `Pin “${title}” verwijderen` }).click();
	await expect(itemA).toHaveCount(0);
	await expect.poll(() => renderedPinTitles(pageA)).not.toContain(title);

	expect(errorsA).toEqual([]);
	expect(errorsB).toEqual([]);
	await alice.close();
	await bob.close();
});

test('the form refuses an empty title and can be cancelled', async ({ page }) => {
	const errors = collectErrors(page);
	await openBoard(page);
	const [target] = await visibleAddresses(page);
	await page.mouse.click(target!.x, target!.y);
	await page.getByRole('button', { name: 'Pin bij dit adres' }).click();
	const form = page.getByTestId('pin-form');
	await form.getByLabel('Titel').fill('   ');
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(form.getByRole('alert')).toHaveText('Vul een titel in.');
	await form.getByRole('button', { name: 'Annuleren' }).click();
	await expect(form).toBeHidden();
	expect(errors).toEqual([]);
});

test('the home page lists the demo board', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	await page.getByRole('link', { name: 'Spoorbuurt' }).click();
	await expect(page).toHaveURL(/\/boards\/spoorbuurt$/);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	expect(errors).toEqual([]);
});

test('an unknown or invalid board id gives a 404 page', async ({ page }) => {
	for (const id of ['bestaat-niet', 'A%C3%A9', 'x'.repeat(80), '..%2F..%2Fetc']) {
		const response = await page.goto(`/boards/${id}`);
		expect(response?.status(), id).toBe(404);
		await expect(page.getByTestId('error-page')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Niet gevonden');
	}
});

test('the language switch shows English', async ({ page }) => {
	const errors = collectErrors(page);
	await openBoard(page);
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await expect(page.getByTestId('connection-status')).toContainText('verbonden');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByTestId('connection-status')).toContainText('connected');
	await expect(
		page.getByText('Click an address on the map to open it: conversations, initiatives and pins.')
	).toBeVisible();
	await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	// The choice is remembered.
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Boards');
	await page.getByRole('button', { name: 'Nederlands' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Borden');
	expect(errors).toEqual([]);
});

test.describe('on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

	test('a pin can be added by choosing an address from the list, without the map', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await openBoard(page);
		const map = await page.getByTestId('board-map').boundingBox();
		expect(map!.width).toBeLessThanOrEqual(390);
		expect(map!.height).toBeGreaterThan(300);

		const title = `Geveltuin ${Date.now()}`;
		await page.getByLabel('Of kies een adres').selectOption({ label: 'Obrechtstraat 3' });
		await page.getByRole('button', { name: 'Pin toevoegen' }).click();
		const form = page.getByTestId('pin-form');
		await expect(form.getByRole('heading')).toHaveText('Nieuwe pin bij Obrechtstraat 3');
		await expect(form.getByLabel('Titel')).toBeFocused();
		await page.keyboard.type(title);
		await page.keyboard.press('Enter');
		await expect(form).toBeHidden();

		const item = page.getByTestId('pin-item').filter({ hasText: title });
		await item.scrollIntoViewIfNeeded();
		await expect(item).toBeVisible();
		await expect(item).toContainText('Gesprek');
		await expect(item).toContainText('Obrechtstraat 3');
		await expect.poll(() => renderedPinTitles(page)).toContain(title);
		expect(errors).toEqual([]);
	});
});

test('the connection status follows the network', async ({ browser }) => {
	const context = await browser.newContext({ storageState: ownerState() });
	const page = await context.newPage();
	await openBoard(page);
	const status = page.getByTestId('connection-status');
	await expect(status).toContainText('verbonden');
	await context.setOffline(true);
	await expect(status).toHaveAttribute('data-status', 'offline');
	await expect(status).toContainText('offline');
	await context.setOffline(false);
	await expect(status).toHaveAttribute('data-status', 'connected');
	await context.close();
});
