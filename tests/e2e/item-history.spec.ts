import { expect, test } from '@playwright/test';
import { collectErrors, openBoard, ownerState, visibleAddresses } from './helpers';

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
	expect(errors.flat()).toEqual([]);
});
