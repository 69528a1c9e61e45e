import { expect, test } from './test';
import { OWNER, collectErrors, openBoard, ownerState, visibleAddresses } from './helpers';

/**
 * Issue #9, "History of an item": the gesprek's panel shows who changed "Gevoerd door" from what to
 * what; restoring the previous value is a new change that a second browser sees at once.
 */

test.describe.configure({ timeout: 180_000 });

test('restores a previous value from the history, and a second browser sees it', async ({
	browser
}) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errors = [pageA, pageB].map(collectErrors);
	await openBoard(pageA);
	await openBoard(pageB);

	const first = `Historie ${Date.now()}`;
	const second = `${first} later`;
	const addresses = await visibleAddresses(pageA);
	const target = addresses[5 % addresses.length]!;
	await pageA.mouse.click(target.x, target.y);
	const panelA = pageA.getByTestId('address-panel');
	await panelA.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const formA = panelA.getByTestId('gesprek-form');
	await formA.getByLabel('Gevoerd door').fill(first);
	await formA.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panelA.getByTestId('history-item').filter({ hasText: first })).toBeVisible();
	await expect(formA.getByRole('heading', { level: 3 })).not.toHaveText('Nieuw gesprek');
	await formA.getByLabel('Gevoerd door').fill(second);
	await formA.getByLabel('Gevoerd door').blur();

	// B opens the same gesprek and sees the second name.
	await pageB
		.getByTestId('list-view')
		.getByRole('button', { name: target.label, exact: true })
		.click();
	const panelB = pageB.getByTestId('address-panel');
	await panelB.getByTestId('history-item').filter({ hasText: second }).getByRole('button').click();
	const formB = panelB.getByTestId('gesprek-form');
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue(second);

	// A reads the history: the change from the first to the second name, by A.
	const history = panelA.getByTestId('item-history');
	await history.getByText('Geschiedenis').click();
	const change = history
		.getByTestId('item-history-entry')
		.filter({ hasText: `Gevoerd door: ${first} → ${second}` });
	await expect(change).toBeVisible({ timeout: 15_000 });
	await change.getByRole('button', { name: 'Herstel vorige waarde' }).click();

	await expect(formA.getByLabel('Gevoerd door')).toHaveValue(first);
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue(first);
	// The restore is itself in the history.
	await expect(
		history
			.getByTestId('item-history-entry')
			.filter({ hasText: `Gevoerd door: ${second} → ${first}` })
	).toBeVisible({ timeout: 15_000 });

	// A deletes the gesprek and puts it back from the address panel: B sees it go and come back.
	await formA.getByRole('button', { name: 'Gesprek verwijderen' }).click();
	const itemB = panelB.getByTestId('history-item').filter({ hasText: first });
	await expect(itemB).toHaveCount(0);
	const deleted = panelA.getByTestId('deleted-gesprekken').getByTestId('deleted-item');
	await expect(deleted.filter({ hasText: first })).toHaveCount(1);
	await deleted.filter({ hasText: first }).getByRole('button', { name: 'Terugzetten' }).click();
	await expect(itemB).toHaveCount(1);
	await expect(formA.getByLabel('Gevoerd door')).toHaveValue(first);
	await expect(panelA.getByTestId('deleted-gesprekken')).toHaveCount(0);
	expect(errors.flat()).toEqual([]);
});

test('a deleted initiatief is restored with its history, a second browser sees it, and undo takes it back', async ({
	browser
}) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errors = [pageA, pageB].map(collectErrors);
	await openBoard(pageA);
	await openBoard(pageB);

	const first = `Buurtfeest ${Date.now()}`;
	const second = `${first} zomer`;
	const box = (await pageA.getByTestId('board-map').boundingBox())!;
	await pageA.getByRole('button', { name: 'Initiatief op de kaart zetten' }).click();
	await pageA.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	const form = pageA.getByTestId('initiatief-form');
	await form.getByLabel('Titel').fill(first);
	await form.getByRole('button', { name: 'Initiatief opslaan' }).click();
	await expect(form.getByRole('heading', { level: 2 })).toContainText(first);
	await form.getByLabel('Titel').fill(second);
	await form.getByLabel('Titel').blur();

	const listB = pageB.getByTestId('list-view');
	await listB.getByRole('tab', { name: 'Initiatieven' }).click();
	const rowB = listB.getByTestId('initiatief-table').getByRole('row').filter({ hasText: second });
	await expect(rowB).toHaveCount(1);

	// A deletes it: gone in B.
	await form.getByRole('button', { name: 'Initiatief verwijderen' }).click();
	await expect(rowB).toHaveCount(0);

	// A restores it from "Recent verwijderd": back in B, under its own id with its history.
	await pageA.getByRole('button', { name: 'Recent verwijderd' }).click();
	const deletedA = pageA.getByTestId('deleted-initiatieven');
	const entry = deletedA.getByTestId('deleted-item').filter({ hasText: second });
	await expect(entry).toBeVisible();
	await entry.getByRole('button', { name: 'Terugzetten' }).click();
	await expect(form.getByLabel('Titel')).toHaveValue(second);
	await expect(rowB).toHaveCount(1);
	const history = pageA.getByTestId('editor-panel').getByTestId('item-history');
	await history.getByText('Geschiedenis').click();
	await expect(
		history.getByTestId('item-history-entry').filter({ hasText: `Titel: ${first} → ${second}` })
	).toBeVisible({ timeout: 15_000 });
	await expect(
		history.getByTestId('item-history-entry').filter({ hasText: 'Verwijderd' })
	).toBeVisible({ timeout: 15_000 });

	// B's list of deleted initiatieven no longer offers it (it exists again).
	await pageB.getByRole('button', { name: 'Recent verwijderd' }).click();
	const deletedB = pageB.getByTestId('deleted-initiatieven');
	await expect(deletedB).toBeVisible();
	await expect(deletedB.getByTestId('deleted-item').filter({ hasText: second })).toHaveCount(0);

	// A undoes the restore (own undo): gone in both, and offered again in B.
	await pageA.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(rowB).toHaveCount(0);
	await expect(deletedB.getByTestId('deleted-item').filter({ hasText: second })).toHaveCount(1, {
		timeout: 15_000
	});
	expect(errors.flat()).toEqual([]);
});

test('a thema and a notitie show who changed what in their panel', async ({ page }) => {
	const errors = collectErrors(page);
	await openBoard(page);
	const name = `Groen ${Date.now()}`;

	await page.getByRole('button', { name: "Thema's beheren" }).click();
	const manager = page.getByTestId('thema-manager');
	await manager.getByLabel('Naam', { exact: true }).fill(name);
	await manager.getByRole('button', { name: 'Thema toevoegen' }).click();
	const nameInput = manager.getByLabel(`Naam van ${name}`);
	await nameInput.fill(`${name} en blauw`);
	await nameInput.blur();
	const themaHistory = manager
		.getByTestId('thema-row')
		.filter({ has: page.getByLabel(`Naam van ${name} en blauw`) })
		.getByTestId('item-history');
	await themaHistory.getByText(`Geschiedenis van ${name} en blauw`).click();
	await expect(
		themaHistory
			.getByTestId('item-history-entry')
			.filter({ hasText: `Naam: ${name} → ${name} en blauw` })
	).toContainText(OWNER.name, { timeout: 15_000 });

	const box = (await page.getByTestId('board-map').boundingBox())!;
	await page.getByRole('button', { name: 'Notitie op de kaart zetten' }).click();
	await page.mouse.click(box.x + box.width / 2 - 40, box.y + box.height / 2 + 30);
	const form = page.getByTestId('notitie-form');
	await form.getByLabel('Tekst').fill(`${name} bankje`);
	await form.getByRole('button', { name: 'Notitie opslaan' }).click();
	await form.getByLabel('Tekst').fill(`${name} bankje kapot`);
	await form.getByLabel('Tekst').blur();
	const notitieHistory = page.getByTestId('editor-panel').getByTestId('item-history');
	await notitieHistory.getByText('Geschiedenis').click();
	await expect(
		notitieHistory
			.getByTestId('item-history-entry')
			.filter({ hasText: `Tekst: ${name} bankje → ${name} bankje kapot` })
	).toContainText(OWNER.name, { timeout: 15_000 });
	expect(errors).toEqual([]);
});
