import { expect, test } from './test';
import {
	addInitiatiefAt,
	collectErrors,
	initiatiefRow,
	openBoard,
	ownerState,
	renderedTitles,
	visibleAddresses
} from './helpers';

test('a notitie added at an address in one browser shows in another at once, and stays after a reload', async ({
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
	const text = `Koffie-ochtend ${Date.now()}`;

	// Click the address point on the map: its panel opens; a notitie is one of its actions.
	await pageA.mouse.click(target.x, target.y);
	await expect(pageA.getByTestId('address-panel')).toContainText(target.label);
	await pageA.getByRole('button', { name: 'Notitie bij dit adres' }).click();
	const form = pageA.getByTestId('notitie-form');
	await form.getByLabel('Tekst').fill(text);
	await form.getByRole('button', { name: 'Notitie opslaan' }).click();
	await expect(form.getByRole('button', { name: 'Notitie verwijderen' })).toBeVisible();

	// At once on the first map, and live on the second, without reload.
	await expect.poll(() => renderedTitles(pageA, 'notities')).toContain(text);
	await expect.poll(() => renderedTitles(pageB, 'notities')).toContain(text);

	// A reload gets it back from the server.
	await pageB.reload();
	await openBoard(pageB);
	await expect.poll(() => renderedTitles(pageB, 'notities')).toContain(text);

	// Removing it in the first browser removes it in the second.
	await form.getByRole('button', { name: 'Notitie verwijderen' }).click();
	await expect.poll(() => renderedTitles(pageA, 'notities')).not.toContain(text);
	await expect.poll(() => renderedTitles(pageB, 'notities')).not.toContain(text);

	expect(errorsA).toEqual([]);
	expect(errorsB).toEqual([]);
	await alice.close();
	await bob.close();
});

test('an address offers its real actions, and no pin form any more', async ({ page }) => {
	const errors = collectErrors(page);
	await openBoard(page);
	const [target] = await visibleAddresses(page);
	await page.mouse.click(target!.x, target!.y);
	const panel = page.getByTestId('address-panel');
	await expect(panel).toContainText(target!.label);
	for (const name of ['Nieuw gesprek', 'Initiatief bij dit adres', 'Notitie bij dit adres']) {
		await expect(panel.getByRole('button', { name })).toBeVisible();
	}
	await expect(page.getByRole('button', { name: /pin/i })).toHaveCount(0);
	await expect(page.getByTestId('pin-form')).toHaveCount(0);
	// An empty notitie is refused; closing the form leaves nothing behind.
	await panel.getByRole('button', { name: 'Notitie bij dit adres' }).click();
	const form = page.getByTestId('notitie-form');
	await form.getByRole('button', { name: 'Notitie opslaan' }).click();
	await expect(form.getByRole('alert')).toBeVisible();
	await form.getByRole('button', { name: 'Sluiten' }).click();
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

test('the keyboard focus shows as a ring with at least 3:1 contrast on the page', async ({
	page
}) => {
	await page.goto('/');
	const link = page.getByRole('link', { name: 'Spoorbuurt' });
	await expect(link).toBeVisible();
	// Tab until the board link has the focus (a keyboard focus, so :focus-visible applies).
	for (let i = 0; i < 20 && !(await link.evaluate((el) => el === document.activeElement)); i++)
		await page.keyboard.press('Tab');
	await expect(link).toBeFocused();
	const ring = await link.evaluate((el) => {
		const style = getComputedStyle(el);
		return {
			width: parseFloat(style.outlineWidth),
			outline: style.outlineColor,
			page:
				getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)'
					? getComputedStyle(document.body).backgroundColor
					: getComputedStyle(document.documentElement).backgroundColor
		};
	});
	expect(ring.width).toBeGreaterThanOrEqual(2);
	const luminance = (css: string) => {
		const [r, g, b] = css
			.match(/\d+(\.\d+)?/g)!
			.slice(0, 3)
			.map(Number);
		const channel = (v: number) => {
			const c = v / 255;
			return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		};
		return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
	};
	const [light, dark] = [luminance(ring.page), luminance(ring.outline)].sort((a, b) => b - a);
	expect((light! + 0.05) / (dark! + 0.05)).toBeGreaterThanOrEqual(3);
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
		page.getByText('Click an address on the map to open it: conversations, initiatives and notes.')
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

	test('an initiatief can be added by choosing an address from the list, without the map', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await openBoard(page);
		const map = await page.getByTestId('board-map').boundingBox();
		expect(map!.width).toBeLessThanOrEqual(390);
		expect(map!.height).toBeGreaterThan(300);

		const title = `Geveltuin ${Date.now()}`;
		await addInitiatiefAt(page, 'Obrechtstraat 3', title);
		const row = await initiatiefRow(page, title);
		await row.scrollIntoViewIfNeeded();
		await expect(row).toBeVisible();
		await expect(row).toContainText('Obrechtstraat 3');
		await expect.poll(() => renderedTitles(page, 'initiatieven')).toContain(title);
		expect(errors).toEqual([]);
	});

	test('an open address and its gesprek form get the room to be used, and no page scrolls sideways', async ({
		page
	}) => {
		await openBoard(page);
		await page.getByLabel('Of kies een adres').selectOption({ label: 'Obrechtstraat 5' });
		await page.getByRole('button', { name: 'Adres openen' }).click();
		const panel = page.getByTestId('address-panel');
		// Focus goes to the opened address (keyboard and screen reader users, and the phone scrolls).
		await expect(panel.getByRole('heading', { level: 2 })).toBeFocused();
		await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
		const form = page.getByTestId('gesprek-form');
		await expect(form).toBeVisible();
		// Was squeezed into a strip of 24 px.
		expect((await page.getByTestId('editor-panel').boundingBox())!.height).toBeGreaterThan(400);
		for (const path of ['', '/deur', '/analyse', '/leden', '/audit']) {
			await page.goto(`/boards/spoorbuurt${path}`);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			const wide = await page.evaluate(() =>
				[document.documentElement, document.querySelector('main')!].map(
					(el) => el.scrollWidth - el.clientWidth
				)
			);
			expect(wide, path).toEqual([0, 0]);
		}
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
