import { expect, test, type Locator, type Page } from './test';
import { addInitiatiefAt, collectErrors, initiatiefRow, openBoard } from './helpers';
import { seededServer } from './own-server';

/**
 * Two people change the same short field (an initiatief's title, a plain string) while their
 * writes cannot reach each other: here the server was killed (kill -9) and both type on while it
 * is down. Yjs keeps one of two concurrent values; before, the other person's words vanished on
 * every screen once the server was back. Now the device whose write lost merges both edits.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const own = seededServer(3, 'crossed-writes', {
	eddy: { org: 'Woonwaarts', displayName: 'Eddy Eerste', boards: { spoorbuurt: 'editor' } },
	els: { org: 'Bindkracht10', displayName: 'Els Tweede', boards: { spoorbuurt: 'editor' } }
});

async function openInitiatief(page: Page, title: string): Promise<Locator> {
	const row = await initiatiefRow(page, title);
	await row.getByRole('button', { name: title, exact: true }).click();
	const form = page.getByTestId('initiatief-form');
	await expect(form.getByLabel('Titel')).toHaveValue(title);
	return form;
}

/** What the device's copy of the board keeps of this tab's unseen writes (crossed-writes.ts). */
function keptOnDevice(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const name = (await indexedDB.databases())
			.map((d) => d.name ?? '')
			.find((n) => n.startsWith('buurtbord:') && n.endsWith(':spoorbuurt'));
		if (!name) return '';
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(name);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const value = await new Promise<unknown>((resolve) => {
			const request = db.transaction('custom').objectStore('custom').get('crossed-writes');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => resolve(null);
		});
		db.close();
		return JSON.stringify(value ?? null);
	});
}

/** Adds `text` at the end of the form's title, as typed, and leaves the field (it writes). */
async function typeAtEnd(form: Locator, text: string): Promise<void> {
	const field = form.getByLabel('Titel');
	await field.click();
	await field.press('End');
	await field.pressSequentially(text);
	await field.blur();
}

test('titles changed by two people while the server was down keep both words', async ({
	browser
}) => {
	const eddy = await own.boardPage(browser, own.users.eddy);
	const els = await own.boardPage(browser, own.users.els);
	const errors = [eddy, els].map(collectErrors);
	const title = `Moestuin ${Date.now()}`;
	await addInitiatiefAt(eddy, 'Dunklerstraat 2', title);
	const formEddy = eddy.getByTestId('initiatief-form');
	const formEls = await openInitiatief(els, title);

	await own.server.stop('SIGKILL');
	for (const page of [eddy, els]) {
		await expect(page.getByTestId('connection-status')).toHaveAttribute(
			'data-status',
			'reconnecting'
		);
	}
	await typeAtEnd(formEddy, ' achter de school');
	await typeAtEnd(formEls, ' voor iedereen');
	await expect(formEddy.getByLabel('Titel')).toHaveValue(`${title} achter de school`);
	await expect(formEls.getByLabel('Titel')).toHaveValue(`${title} voor iedereen`);

	await own.server.start();
	// Both additions, in the same order on both screens (whose comes first is Yjs's tie-break).
	const merged = new RegExp(
		`^${title} (achter de school voor iedereen|voor iedereen achter de school)$`
	);
	for (const form of [formEddy, formEls]) {
		await expect(form.getByLabel('Titel')).toHaveValue(merged, { timeout: 30_000 });
	}
	const shown = await formEddy.getByLabel('Titel').inputValue();
	await expect(formEls.getByLabel('Titel')).toHaveValue(shown);
	for (const page of [eddy, els]) {
		await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');
	}

	// What the server stored: a fresh page of someone else's shows the same.
	const later = await own.boardPage(browser, own.users.els);
	await expect(await initiatiefRow(later, shown)).toBeVisible();
	// The browser logs each refused reconnect while the server is down; nothing else.
	expect(errors.flat().filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
	await Promise.all([eddy, els, later].map((page) => page.context().close()));
});

test('a title changed in a tab that was closed while the server was down keeps both words too', async ({
	browser
}) => {
	const eddy = await own.boardPage(browser, own.users.eddy);
	const els = await own.boardPage(browser, own.users.els);
	const errors = [els].map(collectErrors);
	// Whose write Yjs keeps depends on the tabs' random ids: two rounds, each with a new tab of
	// Eddy's, so that his reopened tab is the one that has to merge in most runs.
	let eddyPage = eddy;
	for (const round of [1, 2]) {
		const title = `Buurtfeest ${round} ${Date.now()}`;
		await addInitiatiefAt(eddyPage, 'Dunklerstraat 4', title);
		const formEddy = eddyPage.getByTestId('initiatief-form');
		const formEls = await openInitiatief(els, title);
		await expect(eddyPage.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');

		await own.server.stop('SIGKILL');
		await expect(eddyPage.getByTestId('connection-status')).toHaveAttribute(
			'data-status',
			'reconnecting'
		);
		await typeAtEnd(formEddy, ' in juni');
		await expect(eddyPage.getByTestId('sync-state')).toHaveAttribute('data-state', 'unsent');
		// A moment later, as a person closes a tab: the device has stored the change.
		await expect.poll(() => keptOnDevice(eddyPage)).toContain(`${title} in juni`);
		// Eddy closes the tab (the browser keeps his copy); Els types on, her tab stays open.
		const context = eddyPage.context();
		await eddyPage.close();
		await typeAtEnd(formEls, ' op het plein');

		await own.server.start();
		await expect(els.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
			timeout: 30_000
		});
		// Eddy opens the board again, online: his kept change goes out, and both words stay.
		eddyPage = await context.newPage();
		await openBoard(eddyPage, 'spoorbuurt', own.server.url);
		const merged = new RegExp(`^${title} (in juni op het plein|op het plein in juni)$`);
		await expect(formEls.getByLabel('Titel')).toHaveValue(merged, { timeout: 30_000 });
		const shown = await formEls.getByLabel('Titel').inputValue();
		await expect(await initiatiefRow(eddyPage, shown)).toBeVisible();
		await expect(els.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');
		await expect(eddyPage.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');
	}
	expect(errors.flat().filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
	await Promise.all([eddyPage, els].map((page) => page.context().close()));
});
