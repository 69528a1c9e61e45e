import { expect, test as setup } from '@playwright/test';
import { OWNER, ownerState } from './helpers';

/**
 * The shared server starts without any account, as `npm start` does: the first visit asks for the
 * first owner. Done here once, through the real page; every spec then starts signed in as them.
 */
setup('the first visit creates the first owner through /setup', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/setup$/);
	await page.getByLabel('Naam').fill(OWNER.name);
	await page.getByLabel('E-mailadres').fill(OWNER.email);
	await page.getByLabel('Wachtwoord').fill(OWNER.password);
	await page.getByLabel('Organisatie').fill(OWNER.organisation);
	await page.getByRole('button', { name: 'Account aanmaken en inloggen' }).click();
	await expect(page.getByTestId('signed-in-user')).toContainText(OWNER.name);
	await expect(page.getByRole('link', { name: 'Spoorbuurt' })).toBeVisible();
	await page.context().storageState({ path: ownerState() });
});
