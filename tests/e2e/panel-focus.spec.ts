import { expect, test } from './test';
import { collectErrors, openBoard } from './helpers';

test('closing a panel by keyboard gives the focus back to what opened it, or to the map', async ({
	page
}) => {
	const errors = collectErrors(page);
	await openBoard(page);

	// An address opened from the picker: closing its panel returns to the picker's button.
	await page.getByLabel('Of kies een adres').selectOption({ label: 'Dunklerstraat 2' });
	const open = page.getByRole('button', { name: 'Adres openen' });
	await open.focus();
	await page.keyboard.press('Enter');
	const panel = page.getByTestId('address-panel');
	await expect(panel.getByRole('heading', { name: 'Dunklerstraat 2' })).toBeFocused();
	await panel.getByRole('button', { name: 'Sluiten' }).focus();
	await page.keyboard.press('Enter');
	await expect(panel).toHaveCount(0);
	await expect(open).toBeFocused();

	// A new initiatief placed at the cross: that button is gone with the mode, so the map.
	await page.getByRole('button', { name: 'Initiatief op de kaart zetten' }).focus();
	await page.keyboard.press('Enter');
	await page.getByRole('button', { name: 'Op het kruis plaatsen' }).focus();
	await page.keyboard.press('Enter');
	const form = page.getByTestId('initiatief-form');
	await expect(form.getByLabel('Titel')).toBeFocused();
	await form.getByRole('button', { name: 'Sluiten' }).focus();
	await page.keyboard.press('Enter');
	await expect(form).toHaveCount(0);
	await expect(page.getByTestId('board-map').locator('canvas')).toBeFocused();
	expect(errors).toEqual([]);
});
