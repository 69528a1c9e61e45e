import { expect, test } from './test';
import { OWNER } from './helpers';
import { openDoorMode } from './field-helpers';

/** Assigns (or with '' unassigns) a street to a professional on the analysis page, as an owner does. */
async function assign(page: import('@playwright/test').Page, street: string, name: string) {
	await page.goto('/boards/spoorbuurt/analyse');
	await page.getByText('Straten verdelen').click();
	await page.getByLabel(`Professional voor ${street}`).fill(name);
	await page.getByRole('button', { name: 'Verdeling opslaan' }).click();
	await expect(page.getByText('De verdeling is opgeslagen.')).toBeVisible();
}

test('door mode shows "Mijn straten": the streets assigned to the signed-in professional', async ({
	page
}) => {
	// Assigned by name, as the analysis page records it; spaces and case as people type them.
	await assign(page, 'Dunklerstraat', `  ${OWNER.name.toUpperCase()} `);
	try {
		await openDoorMode(page);
		const mine = page.getByTestId('my-streets');
		await expect(page.getByRole('heading', { name: 'Mijn straten' })).toBeVisible();
		await expect(mine.getByRole('button')).toHaveCount(1);
		await expect(mine.getByRole('button')).toContainText('Dunklerstraat');
		// All streets stay available below.
		await expect(page.getByTestId('all-streets').getByRole('button')).toHaveCount(9);
		await mine.getByRole('button', { name: /Dunklerstraat/ }).click();
		await expect(page.getByRole('button', { name: 'Andere straat' })).toBeVisible();
	} finally {
		await assign(page, 'Dunklerstraat', '');
	}
	await openDoorMode(page);
	await expect(page.getByTestId('my-streets')).toHaveCount(0);
});
