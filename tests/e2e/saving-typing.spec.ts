import { expect, test } from './test';
import { addInitiatiefAt, openBoard, ownerState } from './helpers';

// On the shared server, with the usual write delay (saving-slow.spec.ts has a slow one of its own).
test('typing without a pause for seconds is saved as it goes, without saying saving takes long', async ({
	browser
}) => {
	const page = await (await browser.newContext({ storageState: ownerState() })).newPage();
	await openBoard(page);
	await addInitiatiefAt(page, 'Dunklerstraat 8', `Zonder pauze getypt ${Date.now()}`);
	const form = page.getByTestId('initiatief-form');
	await form.getByRole('button', { name: 'Initiatief opslaan' }).click();
	const description = form.getByLabel('Beschrijving');
	await description.click();
	// About 7 s of typing, a key every 100 ms.
	await page.keyboard.type(
		'Elke eerste zaterdag koffie in het buurthuis, voor iedereen uit de straat.',
		{
			delay: 100
		}
	);
	const sync = page.getByTestId('sync-state');
	expect(await sync.getAttribute('data-slow')).toBeNull();
	await expect(sync).toHaveAttribute('data-state', 'saved');
	await page.context().close();
});
