import { expect, test } from './test';
import { collectErrors, openBoard } from './helpers';

test('the address search finds "sweelinck 3", also with a typo, and opens that address', async ({
	page
}) => {
	const errors = collectErrors(page);
	await openBoard(page);
	const search = page.getByRole('combobox', { name: 'Zoek een adres' });
	await expect(search).toHaveAttribute('aria-expanded', 'false');

	await search.fill('sweelinck 3');
	await expect(search).toHaveAttribute('aria-expanded', 'true');
	const options = page.getByRole('listbox', { name: 'Gevonden adressen' }).getByRole('option');
	await expect(options.first()).toHaveText(/Sweelinckstraat 3\b/);
	await expect(page.getByRole('status').filter({ hasText: 'adressen gevonden' })).toBeVisible();

	// Typo-tolerant: keyboard only, arrow down and Enter.
	await search.fill('sweelnick 3');
	await expect(options.first()).toHaveText(/Sweelinckstraat 3\b/);
	await search.press('ArrowDown');
	await expect(options.first()).toHaveAttribute('aria-selected', 'true');
	await expect(search).toHaveAttribute('aria-activedescendant', /.+/);
	await search.press('Enter');

	const panel = page.getByTestId('address-panel');
	await expect(panel).toContainText('Sweelinckstraat 3');
	await expect(search).toHaveValue('Sweelinckstraat 3');
	await expect(search).toHaveAttribute('aria-expanded', 'false');

	// A postcode + number works too; Escape closes the list.
	await panel.getByRole('button', { name: 'Sluiten' }).click();
	await expect(panel).toHaveCount(0);
	await search.fill('6521ca 5');
	await expect(options.first()).toHaveText(/Sweelinckstraat 5/);
	await search.press('Escape');
	await expect(search).toHaveAttribute('aria-expanded', 'false');
	await search.fill('xyzzy 1');
	await expect(page.getByRole('status').filter({ hasText: 'Geen adres gevonden.' })).toBeVisible();
	expect(errors).toEqual([]);
});
