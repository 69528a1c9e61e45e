import { expect, test, type Page } from './test';
import {
	addressIdByLabel,
	collectErrors,
	mapSettled,
	openBoard,
	ownerState,
	visibleAddresses
} from './helpers';

interface FullMap {
	project(lngLat: [number, number]): { x: number; y: number };
	unproject(point: [number, number]): { lng: number; lat: number };
	queryRenderedFeatures(options: { layers: string[] }): {
		properties: Record<string, unknown>;
		geometry: { coordinates: unknown };
	}[];
	getFilter(layer: string): unknown;
	getCanvas(): HTMLCanvasElement;
	getContainer(): HTMLElement;
}
const fullMap = () => (window as unknown as { __buurtbordMap: FullMap }).__buurtbordMap;

/** Lon/lat of the rendered initiatief with this title, or null. */
function initiatiefAt(page: Page, title: string): Promise<[number, number] | null> {
	return page.evaluate(
		([title, getMap]) => {
			const map = (0, eval)(getMap)() as FullMap;
			const f = map
				.queryRenderedFeatures({ layers: ['initiatieven'] })
				.find((x) => x.properties.title === title);
			return f ? (f.geometry.coordinates as [number, number]) : null;
		},
		[title, `(${fullMap.toString()})`] as const
	);
}

async function recordGesprek(
	page: Page,
	index: number,
	{ heldBy, themes, followUp }: { heldBy: string; themes: string[]; followUp?: string }
): Promise<string> {
	const addresses = await visibleAddresses(page);
	const target = addresses[index % addresses.length]!;
	await page.mouse.click(target.x, target.y);
	const panel = page.getByTestId('address-panel');
	await expect(panel.getByRole('heading', { level: 2 })).toContainText(target.label);
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');
	await form.getByLabel('Datum', { exact: true }).fill('2024-05-14');
	await form.getByLabel('Gevoerd door').fill(heldBy);
	for (const t of themes) await form.getByRole('checkbox', { name: t }).check();
	if (followUp) {
		await form.getByRole('button', { name: 'Vervolgactie toevoegen' }).click();
		await form.getByLabel('Wat', { exact: true }).fill(followUp);
		await form.getByLabel('Wie', { exact: true }).fill('Bas');
		await form.getByLabel('Uiterlijk').fill('2024-06-01');
	}
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panel.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	return target.label;
}

test('a gesprek with themes and a follow-up shows in the address history and the list', async ({
	page
}) => {
	const errors = collectErrors(page);
	await openBoard(page);
	const addresses = await visibleAddresses(page);
	const target = addresses[3]!;
	await page.mouse.click(target.x, target.y);
	const panel = page.getByTestId('address-panel');
	await expect(panel).toBeVisible();
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');

	// Invalid input: the message is at the field and nothing is stored.
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(form.getByRole('alert')).toHaveText(['Vul dit veld in.']);
	await expect(form.getByLabel('Gevoerd door')).toHaveAttribute('aria-invalid', 'true');
	await expect(panel.getByTestId('history-item')).toHaveCount(0);

	const heldBy = `Wijkcoach ${Date.now()}`;
	await form.getByLabel('Gevoerd door').fill(heldBy);
	await form.getByLabel('Uitkomst').selectOption({ label: 'Gesproken' });
	await form.getByRole('checkbox', { name: 'Groen', exact: true }).check();
	await form.getByRole('checkbox', { name: 'Eenzaamheid' }).check();
	await form.getByRole('button', { name: 'Vervolgactie toevoegen' }).click();
	await form.getByLabel('Wat', { exact: true }).fill('Voortuin samen opknappen');
	await form.getByLabel('Wie', { exact: true }).fill('Bas');
	await form.getByLabel('Uiterlijk').fill('2024-06-01');
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();

	const item = panel.getByTestId('history-item').filter({ hasText: heldBy });
	await expect(item).toContainText('Groen');
	await expect(item).toContainText('Eenzaamheid');
	await expect(item).toContainText('Voortuin samen opknappen (Bas) · 2024-06-01');
	await expect(panel.getByRole('heading', { level: 4 })).toHaveText(
		'Ronde 1 (voor de werkzaamheden)'
	);

	const list = page.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	const row = list.getByRole('row').filter({ hasText: target.label });
	await expect(row).toContainText('Gesproken');
	await expect(row).toContainText('Groen');
	expect(errors).toEqual([]);
});

test('an initiatief at a free point can be dragged, and moves in the other browser', async ({
	browser
}) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errorsA = collectErrors(pageA);
	const errorsB = collectErrors(pageB);
	await openBoard(pageA);
	await openBoard(pageB);

	// A free spot: the point of a grid farthest from every address.
	const box = (await pageA.getByTestId('board-map').boundingBox())!;
	const addresses = await visibleAddresses(pageA);
	let best = { x: 0, y: 0, d: -1 };
	for (let x = box.x + 380; x < box.x + box.width - 100; x += 20) {
		for (let y = box.y + 60; y < box.y + box.height - 60; y += 20) {
			const d = Math.min(...addresses.map((a) => Math.hypot(a.x - x, a.y - y)));
			if (d > best.d) best = { x, y, d };
		}
	}
	expect(best.d).toBeGreaterThan(20);

	const title = `Buurtmoestuin ${Date.now()}`;
	await pageA.getByRole('button', { name: 'Initiatief op de kaart zetten' }).click();
	await expect(pageA.getByTestId('placing-hint')).toBeVisible();
	await pageA.mouse.click(best.x, best.y);
	const form = pageA.getByTestId('initiatief-form');
	await form.getByLabel('Titel').fill(title);
	await form.getByLabel('Status').selectOption({ label: 'In voorbereiding' });
	await form.getByRole('checkbox', { name: 'Ontmoeting' }).check();
	// A front garden on a free point still involves households: link one.
	const involved = form.getByTestId('initiatief-addresses');
	await expect(involved).toContainText('Nog geen adressen.');
	await involved.getByLabel('Adres kiezen').selectOption({ label: 'Sweelinckstraat 3' });
	await involved.getByRole('button', { name: 'Adres toevoegen' }).click();
	await expect(involved.getByRole('listitem')).toHaveText(['Sweelinckstraat 3 ×']);
	await form.getByRole('button', { name: 'Initiatief opslaan' }).click();
	await expect.poll(() => initiatiefAt(pageB, title)).not.toBeNull();
	const before = (await initiatiefAt(pageB, title))!;

	// Drag it in A, once A's own map draws it and stands still (else the drag pans the map).
	await mapSettled(pageA);
	await expect
		.poll(async () =>
			(await pageA.evaluate(() => window.__buurtbordMap?.isMoving() ?? true))
				? null
				: initiatiefAt(pageA, title)
		)
		.not.toBeNull();
	const mapBox = (await pageA.getByTestId('board-map').boundingBox())!;
	const start = await pageA.evaluate(
		([lon, lat]) =>
			(window as unknown as { __buurtbordMap: FullMap }).__buurtbordMap.project([lon, lat]),
		before
	);
	const from = { x: mapBox.x + start.x, y: mapBox.y + start.y };
	// Whole pixels: the browser's mouse events carry whole-pixel positions, while the map may sit
	// at a fractional offset (below a header whose height is not a whole number of pixels).
	const to = { x: Math.round(from.x + 60), y: Math.round(from.y + 40) };
	await pageA.mouse.move(from.x, from.y);
	await pageA.mouse.down();
	await pageA.mouse.move(from.x + 20, from.y + 10, { steps: 3 });
	await pageA.mouse.move(to.x, to.y, { steps: 5 });
	await pageA.mouse.up();
	const expected = await pageA.evaluate(
		([x, y]) => (window as unknown as { __buurtbordMap: FullMap }).__buurtbordMap.unproject([x, y]),
		[to.x - mapBox.x, to.y - mapBox.y] as const
	);

	// The new place arrives in B (live, no reload).
	await expect
		.poll(async () => {
			const at = await initiatiefAt(pageB, title);
			return at
				? Math.max(Math.abs(at[0] - expected.lng), Math.abs(at[1] - expected.lat))
				: Infinity;
		})
		.toBeLessThan(1e-5);
	const after = (await initiatiefAt(pageB, title))!;
	expect(after[0]).not.toBeCloseTo(before[0], 6);
	expect(errorsA).toEqual([]);
	expect(errorsB).toEqual([]);
});

test('two browsers typing in the same note both keep their text', async ({ browser }) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errorsA = collectErrors(pageA);
	const errorsB = collectErrors(pageB);
	await openBoard(pageA);
	await openBoard(pageB);
	const heldBy = `Opbouwwerker ${Date.now()}`;
	const label = await recordGesprek(pageA, 7, { heldBy, themes: ['Ontmoeting'] });

	// B finds the address in the list and opens the same gesprek.
	const list = pageB.getByTestId('list-view');
	await list.getByRole('button', { name: label, exact: true }).click();
	const panelB = pageB.getByTestId('address-panel');
	await panelB.getByTestId('history-item').filter({ hasText: heldBy }).getByRole('button').click();
	const notesA = pageA.getByTestId('gesprek-notes');
	const notesB = pageB.getByTestId('gesprek-notes');
	await expect(notesB).toBeVisible();

	await notesA.click();
	await notesB.click();
	const textA = 'Alice: wil graag de koffieochtend organiseren. ';
	const textB = 'Bob: buurman helpt met de tuin. ';
	await Promise.all([
		notesA.pressSequentially(textA, { delay: 15 }),
		notesB.pressSequentially(textB, { delay: 15 })
	]);
	for (const notes of [notesA, notesB]) {
		await expect.poll(() => notes.inputValue()).toContain(textA);
		await expect.poll(() => notes.inputValue()).toContain(textB);
	}
	await expect.poll(() => notesB.inputValue()).toBe(await notesA.inputValue());
	expect(errorsA).toEqual([]);
	expect(errorsB).toEqual([]);
});

test('typing over selected text in the notes replaces it, and the other browser sees the same', async ({
	browser
}) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errorsA = collectErrors(pageA);
	await openBoard(pageA);
	await openBoard(pageB);
	const heldBy = `Opbouwwerker ${Date.now()}`;
	const label = await recordGesprek(pageA, 8, { heldBy, themes: ['Groen'] });
	const notes = pageA.getByTestId('gesprek-notes');
	await notes.click();
	await notes.pressSequentially('Begin. Eind.');
	// Select "Eind" and type over it, as a user does (also what pasting over a selection does).
	await notes.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(7, 11));
	await notes.pressSequentially('Slot');
	await expect(notes).toHaveValue('Begin. Slot.');
	await notes.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 5));
	await pageA.keyboard.insertText('Start');
	await expect(notes).toHaveValue('Start. Slot.');

	const list = pageB.getByTestId('list-view');
	await list.getByRole('button', { name: label, exact: true }).click();
	await pageB
		.getByTestId('address-panel')
		.getByTestId('history-item')
		.filter({ hasText: heldBy })
		.getByRole('button')
		.click();
	await expect(pageB.getByTestId('gesprek-notes')).toHaveValue('Start. Slot.');
	expect(errorsA).toEqual([]);
});

test('undo undoes only one’s own change', async ({ browser }) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errorsA = collectErrors(pageA);
	const errorsB = collectErrors(pageB);
	await openBoard(pageA);
	await openBoard(pageB);
	const nameA = `Thema van A ${Date.now()}`;
	const nameB = `Thema van B ${Date.now()}`;
	for (const [page, name] of [
		[pageA, nameA],
		[pageB, nameB]
	] as const) {
		await page.getByRole('button', { name: "Thema's beheren" }).click();
		const manager = page.getByTestId('thema-manager');
		await manager.getByLabel('Naam', { exact: true }).fill(name);
		await manager.getByRole('button', { name: 'Thema toevoegen' }).click();
	}
	const rowsA = pageA.getByTestId('thema-manager').getByTestId('thema-row');
	const rowsB = pageB.getByTestId('thema-manager').getByTestId('thema-row');
	for (const rows of [rowsA, rowsB]) {
		await expect(rows.getByLabel(`Naam van ${nameA}`)).toBeVisible();
		await expect(rows.getByLabel(`Naam van ${nameB}`)).toBeVisible();
	}

	// A undoes (keyboard): A's theme goes in both browsers, B's stays in both.
	await pageA.locator('body').click({ position: { x: 5, y: 5 } });
	await pageA.keyboard.press('Control+z');
	for (const rows of [rowsA, rowsB]) {
		await expect(rows.getByLabel(`Naam van ${nameA}`)).toHaveCount(0);
		await expect(rows.getByLabel(`Naam van ${nameB}`)).toBeVisible();
	}
	// Redo brings it back; the button undoes it again.
	await pageA.keyboard.press('Control+Shift+z');
	await expect(rowsB.getByLabel(`Naam van ${nameA}`)).toBeVisible();
	await pageA.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(rowsB.getByLabel(`Naam van ${nameA}`)).toHaveCount(0);
	await expect(rowsA.getByLabel(`Naam van ${nameB}`)).toBeVisible();
	await expect(rowsB.getByLabel(`Naam van ${nameB}`)).toBeVisible();
	expect(errorsA).toEqual([]);
	expect(errorsB).toEqual([]);
});

test('the list view works by keyboard, and its selection follows to the map and back', async ({
	page
}) => {
	const errors = collectErrors(page);
	await openBoard(page);
	const heldBy = `Woonconsulent ${Date.now()}`;
	const label = await recordGesprek(page, 11, { heldBy, themes: ['Vergrijzing'] });
	await page.getByTestId('address-panel').getByRole('button', { name: 'Sluiten' }).click();

	const list = page.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Adressen' }).focus();
	await page.keyboard.press('ArrowRight');
	await expect(list.getByRole('tab', { name: 'Gesprekken' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await expect(list.getByRole('tab', { name: 'Gesprekken' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(list.getByLabel('Thema')).toBeFocused();
	await list.getByLabel('Thema').selectOption({ label: 'Vergrijzing' });
	const rows = list.getByTestId('gesprek-table').locator('tbody tr');
	await expect(rows.filter({ hasText: label })).toHaveCount(1);
	const count = await rows.count();
	await expect(list.getByTestId('list-count')).toHaveText(`${count} resultaten`);
	await expect(list.getByTestId('list-count')).toHaveAttribute('role', 'status');

	// Arrow keys walk the rows; Enter selects.
	await rows.first().getByRole('button').focus();
	for (let i = 0; i < count; i++) {
		if (
			await rows
				.filter({ hasText: label })
				.getByRole('button')
				.evaluate((b) => b === document.activeElement)
		)
			break;
		await page.keyboard.press('ArrowDown');
	}
	await expect(rows.filter({ hasText: label }).getByRole('button')).toBeFocused();
	await page.keyboard.press('Enter');
	const panel = page.getByTestId('address-panel');
	await expect(panel.getByRole('heading', { level: 2 })).toContainText(label);
	await expect(rows.filter({ hasText: label })).toHaveAttribute('aria-current', 'true');
	// The map selects (highlights) the same address: its ring is drawn.
	const addressId = await addressIdByLabel(page, label);
	await expect
		.poll(() =>
			page.evaluate(() =>
				JSON.stringify(
					(window as unknown as { __buurtbordMap: FullMap }).__buurtbordMap.getFilter(
						'addresses-selected'
					)
				)
			)
		)
		.toContain(addressId);
	await expect
		.poll(() =>
			page.evaluate(() =>
				(window as unknown as { __buurtbordMap: FullMap }).__buurtbordMap
					.queryRenderedFeatures({ layers: ['addresses-selected'] })
					.map((f) => String(f.properties.id))
			)
		)
		.toEqual([addressId]);

	// And back: an address clicked on the map is the current row of the address list.
	await page.getByTestId('address-panel').getByRole('button', { name: 'Sluiten' }).click();
	await list.getByRole('tab', { name: 'Adressen' }).click();
	await list.getByLabel('Thema').selectOption({ label: 'Alle' });
	await mapSettled(page);
	const [other] = (await visibleAddresses(page)).filter((a) => a.label !== label);
	await page.mouse.click(other!.x, other!.y);
	await expect(
		list.getByTestId('address-table').locator(`tr[data-row-id="${other!.id}"]`)
	).toHaveAttribute('aria-current', 'true');
	expect(errors).toEqual([]);
});

test('after saving a gesprek by keyboard the focus stays on its save button', async ({ page }) => {
	await openBoard(page);
	const addresses = await visibleAddresses(page);
	const target = addresses[5]!;
	await page.mouse.click(target.x, target.y);
	const panel = page.getByTestId('address-panel');
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');
	const heldBy = `Opbouwwerker ${Date.now()}`;
	await form.getByLabel('Gevoerd door').fill(heldBy);
	const save = form.getByRole('button', { name: 'Gesprek opslaan' });
	await save.focus();
	await page.keyboard.press('Enter');

	// The new gesprek's form is replaced by the saved one's: the focus is on its save button.
	await expect(panel.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	await expect(form.getByRole('heading', { level: 3 })).not.toHaveText('Nieuw gesprek');
	await expect(save).toBeFocused();

	// Enter in a field of the saved gesprek saves it: the focus goes to the save button too.
	await form.getByLabel('Gevoerd door').fill(`${heldBy} en Bas`);
	await form.getByLabel('Gevoerd door').press('Enter');
	await expect(save).toBeFocused();
	await expect(panel.getByTestId('history-item').filter({ hasText: 'en Bas' })).toBeVisible();
});
