import { expect, test } from './test';
import { twoBrowsers, visibleAddresses } from './helpers';

/**
 * One person has an item's form open while another deletes the item: the open form says so
 * (instead of turning into an empty form for a new item, where typing would go nowhere), and the
 * item can be put back from there, with what was typed before.
 */

test.describe.configure({ timeout: 180_000 });

test('an initiatief deleted in another browser while its form is open: said so, and put back', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const title = `Buurtbank ${Date.now()}`;
	const box = (await pageA.getByTestId('board-map').boundingBox())!;
	await pageA.getByRole('button', { name: 'Initiatief op de kaart zetten' }).click();
	await pageA.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	const formA = pageA.getByTestId('initiatief-form');
	await formA.getByLabel('Titel').fill(title);
	await formA.getByRole('button', { name: 'Initiatief opslaan' }).click();
	await expect(formA.getByRole('heading', { level: 2 })).toContainText(title);
	// A types on in the live form.
	await formA.getByLabel('Beschrijving').fill('bij de speeltuin');
	await formA.getByLabel('Beschrijving').blur();

	// B opens it from the list and deletes it.
	const listB = pageB.getByTestId('list-view');
	await listB.getByRole('tab', { name: 'Initiatieven' }).click();
	const rowB = listB.getByTestId('initiatief-table').getByRole('row').filter({ hasText: title });
	await rowB.getByRole('button', { name: title, exact: true }).click();
	const formB = pageB.getByTestId('initiatief-form');
	await expect(formB.getByLabel('Beschrijving')).toHaveValue('bij de speeltuin');
	await formB.getByRole('button', { name: 'Initiatief verwijderen' }).click();
	await expect(rowB).toHaveCount(0);

	// A's form says so; no empty form for a new initiatief takes its place.
	const notice = pageA.getByTestId('gone-notice');
	await expect(notice.getByRole('alert')).toHaveText('Dit initiatief is intussen verwijderd.');
	await expect(formA).toHaveCount(0);

	// Put back from the notice (once the history lists it): with the description A typed.
	const restore = notice.getByTestId('gone-restore').getByRole('button', { name: 'Terugzetten' });
	await expect(restore).toBeVisible({ timeout: 15_000 });
	await restore.click();
	await expect(formA.getByLabel('Titel')).toHaveValue(title);
	await expect(formA.getByLabel('Beschrijving')).toHaveValue('bij de speeltuin');
	await expect(rowB).toHaveCount(1);
	expect(errors.flat()).toEqual([]);
});

test('a gesprek deleted in another browser while its form is open: said so, and closed', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Weg ${Date.now()}`;
	const addresses = await visibleAddresses(pageA);
	const target = addresses[7 % addresses.length]!;
	await pageA.mouse.click(target.x, target.y);
	const panelA = pageA.getByTestId('address-panel');
	await panelA.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const formA = panelA.getByTestId('gesprek-form');
	await formA.getByLabel('Gevoerd door').fill(heldBy);
	await formA.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(formA.getByRole('heading', { level: 3 })).not.toHaveText('Nieuw gesprek');

	await pageB
		.getByTestId('list-view')
		.getByRole('button', { name: target.label, exact: true })
		.click();
	const panelB = pageB.getByTestId('address-panel');
	await panelB.getByTestId('history-item').filter({ hasText: heldBy }).getByRole('button').click();
	await panelB
		.getByTestId('gesprek-form')
		.getByRole('button', { name: 'Gesprek verwijderen' })
		.click();

	const notice = panelA.getByTestId('gone-notice');
	await expect(notice.getByRole('alert')).toHaveText('Dit gesprek is intussen verwijderd.');
	await expect(formA).toHaveCount(0);
	await notice.getByRole('button', { name: 'Sluiten' }).click();
	await expect(notice).toHaveCount(0);
	// The address panel stays, with the gesprek among the deleted ones to put back.
	await expect(panelA.getByRole('button', { name: 'Nieuw gesprek' })).toBeVisible();
	await expect(panelA.getByTestId('deleted-gesprekken').getByTestId('deleted-item')).toHaveCount(
		1,
		{ timeout: 15_000 }
	);
	expect(errors.flat()).toEqual([]);
});

test('a notitie deleted in another browser while its form is open: said so', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const text = `Bankje ${Date.now()}`;
	// Both maps show the same view: B finds the notitie where A put it.
	const box = (await pageA.getByTestId('board-map').boundingBox())!;
	const at = { x: box.x + box.width / 2 - 60, y: box.y + box.height / 2 + 40 };
	await pageA.getByRole('button', { name: 'Notitie op de kaart zetten' }).click();
	await pageA.mouse.click(at.x, at.y);
	const formA = pageA.getByTestId('notitie-form');
	await formA.getByLabel('Tekst').fill(text);
	await formA.getByRole('button', { name: 'Notitie opslaan' }).click();
	await expect(formA.getByLabel('Tekst')).toHaveValue(text);

	const formB = pageB.getByTestId('notitie-form');
	await expect(async () => {
		await pageB.mouse.click(at.x, at.y);
		await expect(formB.getByLabel('Tekst')).toHaveValue(text, { timeout: 1000 });
	}).toPass({ timeout: 15_000 });
	await formB.getByRole('button', { name: 'Notitie verwijderen' }).click();

	const notice = pageA.getByTestId('gone-notice');
	await expect(notice.getByRole('alert')).toHaveText('Deze notitie is intussen verwijderd.');
	await expect(formA).toHaveCount(0);
	await notice.getByRole('button', { name: 'Sluiten' }).click();
	await expect(notice).toHaveCount(0);
	expect(errors.flat()).toEqual([]);
});
