import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { collectErrors, visibleAddresses } from './helpers';
import { OwnServer } from './own-server';

/**
 * Presence in two and three browsers (issue 9 section 2): who is here, cursors and selections,
 * "X bewerkt dit", following a person, presenting with shared filters, and leaving.
 */
let dataDir: string;
let server: OwnServer;
let users: Record<'olga' | 'erik' | 'vera', SeededUser>;

test.beforeAll(async () => {
	// Seeding PGlite and starting a server can take a while on a busy machine.
	test.setTimeout(180_000);
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-presence-'));
	server = new OwnServer(ownPort(9), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: ''
	});
	users = await seedServerUsers(
		{ dataDir },
		{
			olga: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
			erik: { org: 'Bindkracht10', displayName: 'Erik Bewerker', boards: { spoorbuurt: 'editor' } },
			vera: { org: 'HAN', displayName: 'Vera Lezer', boards: { spoorbuurt: 'viewer' } }
		}
	);
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

// Three Chromium pages with a WebGL map each (SwiftShader) on a shared machine: more time.
test.setTimeout(180_000);

async function open(page: Page): Promise<void> {
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

/** The map's centre and zoom in a page. */
function view(page: Page): Promise<{ lon: number; lat: number; zoom: number }> {
	return page.evaluate(() => {
		const map = (
			window as unknown as {
				__buurtbordMap: { getCenter(): { lng: number; lat: number }; getZoom(): number };
			}
		).__buurtbordMap;
		const c = map.getCenter();
		return { lon: c.lng, lat: c.lat, zoom: map.getZoom() };
	});
}

/** Moves a page's map as code would (no user event: it does not stop that page's own following). */
function moveMap(page: Page, lon: number, lat: number, zoom: number): Promise<void> {
	return page.evaluate(
		([lon, lat, zoom]) =>
			(
				window as unknown as {
					__buurtbordMap: { jumpTo(o: { center: [number, number]; zoom: number }): void };
				}
			).__buurtbordMap.jumpTo({ center: [lon, lat], zoom }),
		[lon, lat, zoom] as const
	);
}

const near = (a: number, b: number) => Math.abs(a - b) < 1e-4;

test('three people see each other, their cursors, what they have open and who edits it', async ({
	browser
}) => {
	const olga = await server.signedInPage(browser, users.olga);
	const erik = await server.signedInPage(browser, users.erik);
	const vera = await server.signedInPage(browser, users.vera);
	const errors = [...collectErrors(olga), ...collectErrors(erik), ...collectErrors(vera)];
	for (const page of [olga, erik, vera]) await open(page);

	// Who is here: names, organisations and colours, also for the viewer.
	for (const page of [olga, erik, vera]) {
		const bar = page.getByTestId('presence-bar');
		await expect(bar.getByTestId('presence-person')).toHaveCount(3);
		await expect(bar).toContainText('Olga Eigenaar');
		await expect(bar).toContainText('Woonwaarts');
		await expect(bar).toContainText('Erik Bewerker');
		await expect(bar).toContainText('Bindkracht10');
		await expect(bar).toContainText('Vera Lezer');
		await expect(bar).toContainText('HAN');
	}
	const colour = await olga
		.getByTestId('presence-person')
		.filter({ hasText: 'Erik Bewerker' })
		.locator('.avatar')
		.evaluate((el) => getComputedStyle(el).backgroundColor);
	const colourAtVera = await vera
		.getByTestId('presence-person')
		.filter({ hasText: 'Erik Bewerker' })
		.locator('.avatar')
		.evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(colourAtVera).toBe(colour);

	// Olga's cursor shows on the others' maps with her name.
	const box = (await olga.getByTestId('board-map').boundingBox())!;
	await olga.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await olga.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 + 20, { steps: 5 });
	for (const page of [erik, vera]) {
		const cursor = page.locator(`[data-testid="presence-cursor"][data-user-id="${users.olga.id}"]`);
		await expect(cursor).toHaveCount(1);
		await expect(cursor).toContainText('Olga Eigenaar');
	}

	// Olga opens an address: highlighted on the others' maps and in their lists.
	const target = (await visibleAddresses(olga))[2]!;
	await olga.mouse.click(target.x, target.y);
	await expect(olga.getByTestId('address-panel')).toBeVisible();
	const addressId = target.id;
	for (const page of [erik, vera]) {
		await expect(
			page.locator(`[data-testid="presence-selection"][data-user-id="${users.olga.id}"]`)
		).toHaveCount(1);
		await expect(
			page.locator(`tr[data-row-id="${addressId}"] [data-testid="presence-mark"]`)
		).toHaveCount(1);
	}

	// Erik records a gesprek there and opens it for editing: Olga sees "Erik Bewerker bewerkt dit".
	await erik
		.getByTestId('list-view')
		.getByRole('button', { name: target.label, exact: true })
		.click();
	const panel = erik.getByTestId('address-panel');
	await expect(erik.getByTestId('presence-notice')).toContainText('Olga Eigenaar bekijkt dit');
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');
	await form.getByLabel('Datum', { exact: true }).fill('2024-05-14');
	await form.getByLabel('Gevoerd door').fill('Erik');
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();
	const item = panel.getByTestId('history-item').filter({ hasText: 'Erik' });
	await expect(item).toBeVisible();
	if (!(await form.isVisible())) await item.getByRole('button').first().click();
	await expect(form).toBeVisible();
	await expect(olga.getByTestId('presence-notice')).toContainText('Erik Bewerker bewerkt dit');
	// The viewer never shows as editing.
	await vera
		.getByTestId('list-view')
		.getByRole('button', { name: target.label, exact: true })
		.click();
	await expect(olga.getByTestId('presence-notice')).toContainText('Vera Lezer bekijkt dit');

	// Vera leaves: gone from the others' lists within seconds.
	await vera.context().close();
	for (const page of [olga, erik]) {
		await expect(page.getByTestId('presence-person')).toHaveCount(2, { timeout: 5000 });
		await expect(page.getByTestId('presence-announcement')).toContainText('Vera Lezer');
	}
	expect(errors).toEqual([]);
	await olga.context().close();
	await erik.context().close();
});

test('follow a person: the map and selection follow them; own pan or Escape stops it', async ({
	browser
}) => {
	const olga = await server.signedInPage(browser, users.olga);
	const vera = await server.signedInPage(browser, users.vera);
	const errors = [...collectErrors(olga), ...collectErrors(vera)];
	for (const page of [olga, vera]) await open(page);

	const follow = vera.getByRole('button', { name: /Volg Olga Eigenaar/ });
	await follow.click();
	await expect(follow).toHaveAttribute('aria-pressed', 'true');
	await expect(vera.getByTestId('presence-banner')).toContainText('Je volgt Olga Eigenaar');
	await expect(vera.getByTestId('presence-announcement')).toContainText(
		'Je volgt nu Olga Eigenaar'
	);

	const start = await view(olga);
	await moveMap(olga, start.lon + 0.002, start.lat + 0.001, start.zoom + 0.5);
	const moved = await view(olga);
	await expect
		.poll(async () => {
			const v = await view(vera);
			return (
				near(v.lon, moved.lon) && near(v.lat, moved.lat) && Math.abs(v.zoom - moved.zoom) < 0.02
			);
		})
		.toBe(true);

	// Olga's selection opens at Vera.
	const target = (await visibleAddresses(olga))[1]!;
	await olga.mouse.click(target.x, target.y);
	await expect(vera.getByTestId('address-panel').getByRole('heading', { level: 2 })).toContainText(
		target.label
	);

	// Escape stops following.
	await vera.keyboard.press('Escape');
	await expect(vera.getByTestId('presence-banner')).toHaveCount(0);
	await expect(vera.getByTestId('presence-announcement')).toContainText(
		'Je volgt Olga Eigenaar niet meer'
	);
	await moveMap(olga, moved.lon - 0.003, moved.lat, moved.zoom);
	// Follow again, then Vera pans herself (a drag): following stops, her map stays hers.
	await follow.click();
	await expect(vera.getByTestId('presence-banner')).toBeVisible();
	await expect.poll(async () => near((await view(vera)).lon, moved.lon - 0.003)).toBe(true);
	const vbox = (await vera.getByTestId('board-map').boundingBox())!;
	await vera.mouse.move(vbox.x + vbox.width / 2, vbox.y + vbox.height - 60);
	await vera.mouse.down();
	await vera.mouse.move(vbox.x + vbox.width / 2 - 80, vbox.y + vbox.height - 90, { steps: 8 });
	await vera.mouse.up();
	await expect(vera.getByTestId('presence-banner')).toHaveCount(0);
	const own = await view(vera);
	await moveMap(olga, moved.lon + 0.004, moved.lat, moved.zoom);
	await expect.poll(async () => near((await view(olga)).lon, moved.lon + 0.004)).toBe(true);
	expect(near((await view(vera)).lon, own.lon)).toBe(true);

	// The banner's button stops it too (keyboard users never need the map).
	await follow.focus();
	await vera.keyboard.press('Enter');
	await expect(vera.getByTestId('presence-banner')).toBeVisible();
	await vera.getByTestId('stop-following').click();
	await expect(vera.getByTestId('presence-banner')).toHaveCount(0);
	expect(errors).toEqual([]);
	await olga.context().close();
	await vera.context().close();
});

test('presenter mode: everybody follows the presenter, filters included; one steps out and back in', async ({
	browser
}) => {
	const olga = await server.signedInPage(browser, users.olga);
	const erik = await server.signedInPage(browser, users.erik);
	const vera = await server.signedInPage(browser, users.vera);
	const errors = [...collectErrors(olga), ...collectErrors(erik), ...collectErrors(vera)];
	for (const page of [olga, erik, vera]) await open(page);

	await olga.getByTestId('present-button').click();
	await expect(olga.getByTestId('presence-banner')).toContainText('Je presenteert');
	for (const page of [erik, vera]) {
		await expect(page.getByTestId('presence-banner')).toContainText('Olga Eigenaar presenteert');
		await expect(page.getByTestId('presence-announcement')).toContainText(
			'Olga Eigenaar presenteert nu'
		);
	}

	// Her view and her list filters (tab, street) reach both followers.
	const start = await view(olga);
	await moveMap(olga, start.lon + 0.001, start.lat - 0.001, start.zoom + 0.3);
	const moved = await view(olga);
	const list = olga.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	const street = list.getByRole('combobox', { name: 'Straat', exact: true });
	const streetName = await street.locator('option').nth(1).getAttribute('value');
	await street.selectOption(streetName!);
	for (const page of [erik, vera]) {
		await expect.poll(async () => near((await view(page)).lon, moved.lon)).toBe(true);
		const theirs = page.getByTestId('list-view');
		await expect(theirs.getByRole('tab', { name: 'Gesprekken' })).toHaveAttribute(
			'aria-selected',
			'true'
		);
		await expect(theirs.getByRole('combobox', { name: 'Straat', exact: true })).toHaveValue(
			streetName!
		);
	}

	// Vera steps out (keyboard: the banner's button), looks around, and steps back in.
	await vera.getByRole('button', { name: 'Zelf rondkijken' }).focus();
	await vera.keyboard.press('Enter');
	await expect(vera.getByTestId('rejoin-presenter')).toHaveText('Volg Olga Eigenaar weer');
	await moveMap(olga, moved.lon + 0.002, moved.lat, moved.zoom);
	await expect.poll(async () => near((await view(erik)).lon, moved.lon + 0.002)).toBe(true);
	expect(near((await view(vera)).lon, moved.lon)).toBe(true);
	await vera.getByTestId('rejoin-presenter').click();
	await expect(vera.getByTestId('presence-banner')).toContainText('Olga Eigenaar presenteert');
	await expect.poll(async () => near((await view(vera)).lon, moved.lon + 0.002)).toBe(true);

	// Presenting ends: nobody follows any more.
	await olga.getByTestId('present-button').click();
	for (const page of [erik, vera]) {
		await expect(page.getByTestId('presence-banner')).toHaveCount(0);
		await expect(page.getByTestId('presence-announcement')).toContainText(
			'Olga Eigenaar presenteert niet meer'
		);
	}
	expect(errors).toEqual([]);
	for (const page of [olga, erik, vera]) await page.context().close();
});

test('a follower’s own choice stops following: another address, another tab, a new gesprek', async ({
	browser
}) => {
	const olga = await server.signedInPage(browser, users.olga);
	const erik = await server.signedInPage(browser, users.erik);
	const errors = [...collectErrors(olga), ...collectErrors(erik)];
	for (const page of [olga, erik]) await open(page);
	const choose = async (page: Page, label: string) => {
		await page.getByLabel('Of kies een adres').selectOption({ label });
		await page.getByRole('button', { name: 'Adres openen' }).click();
	};
	const heading = (page: Page) =>
		page.getByTestId('address-panel').getByRole('heading', { level: 2 });
	const labels = (await olga.getByLabel('Of kies een adres').locator('option').allTextContents())
		.map((l) => l.trim())
		.filter((l) => /\d/.test(l));
	const [first, second, third] = labels as [string, string, string];

	await olga.getByTestId('present-button').click();
	await expect(erik.getByTestId('presence-banner')).toContainText('Olga Eigenaar presenteert');
	// Erik is typing in the address search when she opens an address: it opens for him too, and
	// his typing stays where it was (the panel took his focus, and the rest of the word was lost).
	const search = erik.getByLabel('Zoek een adres');
	await search.fill('Valer');
	await choose(olga, first);
	await expect(heading(erik)).toContainText(first);
	await expect(search).toBeFocused();
	await erik.keyboard.type('ius');
	await expect(search).toHaveValue('Valerius');
	await search.fill('');
	await expect(erik.getByTestId('presence-banner')).toContainText('Olga Eigenaar presenteert');

	// Erik opens another address himself: it stays open, and he no longer follows.
	await choose(erik, second);
	await expect(erik.getByTestId('rejoin-presenter')).toBeVisible();
	await expect(heading(erik)).toContainText(second);
	await olga.getByTestId('list-view').getByRole('tab', { name: 'Initiatieven' }).click();
	await expect(heading(erik)).toContainText(second);

	// Back in; then he picks another tab of the list himself.
	await erik.getByTestId('rejoin-presenter').click();
	await expect(heading(erik)).toContainText(first);
	const tabs = erik.getByTestId('list-view');
	await expect(tabs.getByRole('tab', { name: 'Initiatieven' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await tabs.getByRole('tab', { name: 'Gesprekken' }).click();
	await expect(erik.getByTestId('rejoin-presenter')).toBeVisible();
	await expect(tabs.getByRole('tab', { name: 'Gesprekken' })).toHaveAttribute(
		'aria-selected',
		'true'
	);

	// Back in; he starts a new gesprek: Olga moving on does not take his form away.
	await erik.getByTestId('rejoin-presenter').click();
	await expect(tabs.getByRole('tab', { name: 'Initiatieven' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await erik.getByTestId('address-panel').getByRole('button', { name: 'Nieuw gesprek' }).click();
	await expect(erik.getByTestId('rejoin-presenter')).toBeVisible();
	await choose(olga, third);
	await expect(heading(olga)).toContainText(third);
	await expect(heading(erik)).toContainText(first);
	await expect(erik.getByTestId('gesprek-form')).toBeVisible();
	expect(errors).toEqual([]);
	for (const page of [olga, erik]) await page.context().close();
});
