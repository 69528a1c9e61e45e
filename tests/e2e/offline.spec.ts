import { expect, test, type Page } from './test';
import { ownerState } from './helpers';
import { openDoorMode, waitForOfflineCopy } from './field-helpers';

/** Records at the door shown now: an outcome, and for a conversation a theme and a talent. */
async function recordDoor(page: Page, outcome: string, talent?: string): Promise<string> {
	const card = page.getByTestId('door-card');
	const address = (await card.getByTestId('door-address').textContent())!.trim();
	await card.getByRole('button', { name: outcome, exact: true }).click();
	await expect(card.getByRole('button', { name: outcome, exact: true })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	if (talent) {
		await card.getByRole('button', { name: 'Groen', exact: true }).click();
		await card.getByLabel('Talenten toevoegen').fill(talent);
		await card.getByTestId('short-list-talents').getByRole('button', { name: 'Toevoegen' }).click();
		await expect(card.getByTestId('short-list-talents')).toContainText(talent);
	}
	return address;
}

async function openDoor(page: Page, address: string): Promise<void> {
	await page.getByTestId('door-item').filter({ hasText: address }).first().click();
	await expect(page.getByTestId('door-address')).toHaveText(address);
}

async function historyOf(page: Page, address: string): Promise<string[]> {
	await openDoor(page, address);
	const items = page.getByTestId('door-history-item');
	return items.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome') ?? ''));
}

test('three gesprekken recorded offline survive a reload without network and merge with a colleague on reconnect', async ({
	page,
	browser,
	context
}) => {
	test.setTimeout(120_000);
	const street = 'Wagenaarstraat';
	await openDoorMode(page);
	await waitForOfflineCopy(page);
	await page.getByRole('button', { name: new RegExp(`^${street}`) }).click();
	await page.getByRole('button', { name: 'Oneven', exact: true }).click();

	// No network (the socket drops too): three doors, one after the other.
	await context.setOffline(true);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	const talent = `Tuinieren ${Date.now()}`;
	const first = await recordDoor(page, 'Gesproken', talent);
	await page.getByRole('button', { name: 'Volgende deur' }).click();
	const second = await recordDoor(page, 'Niet thuis');
	await page.getByRole('button', { name: 'Volgende deur' }).click();
	const third = await recordDoor(page, 'Geweigerd');
	expect(new Set([first, second, third]).size).toBe(3);
	const sync = page.getByTestId('sync-state');
	await expect(sync).toHaveAttribute('data-state', 'unsent');
	await expect(sync).toContainText(/wijzigingen nog niet verstuurd · Offline sinds \d\d:\d\d/);
	const unsentBefore = Number(await sync.getAttribute('data-unsent'));
	expect(unsentBefore).toBeGreaterThanOrEqual(3);

	// Meanwhile a colleague, online, records at the same doors.
	const colleagueContext = await browser.newContext({ storageState: ownerState() });
	const colleague = await colleagueContext.newPage();
	await openDoorMode(colleague);
	await colleague.getByRole('button', { name: new RegExp(`^${street}`) }).click();
	for (const address of [first, second]) {
		await openDoor(colleague, address);
		await colleague
			.getByTestId('door-card')
			.getByRole('button', { name: 'Later terugkomen', exact: true })
			.click();
	}
	await expect(colleague.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');

	// Still offline: the page comes back from the device (service worker + IndexedDB).
	await page.reload();
	await expect(page.getByRole('heading', { name: /Deur voor deur/ })).toBeVisible();
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'unsent');
	// At the same street, side and door as before the reload (the walk is in the page's address).
	await expect(page.getByTestId('door-address')).toHaveText(third);
	await expect(page.getByRole('button', { name: 'Oneven', exact: true })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	expect(await historyOf(page, first)).toEqual(['gesproken']);
	await expect(page.getByTestId('short-list-talents')).toContainText(talent);
	expect(await historyOf(page, second)).toEqual(['niet-thuis']);
	expect(await historyOf(page, third)).toEqual(['geweigerd']);

	// Back online: both converge, nothing lost, and the device says so.
	await context.setOffline(false);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
		timeout: 20_000
	});
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');
	await expect(page.getByTestId('sync-state')).toHaveText(/Alles opgeslagen op de server/);
	for (const p of [page, colleague]) {
		await expect.poll(() => historyOf(p, first)).toEqual(['gesproken', 'later']);
		await expect.poll(() => historyOf(p, second)).toEqual(['niet-thuis', 'later']);
		await expect.poll(() => historyOf(p, third)).toEqual(['geweigerd']);
	}
	await colleagueContext.close();
});
