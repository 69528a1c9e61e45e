import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { collectErrors, visibleAddresses, openBoard } from './helpers';
import { OwnServer } from './own-server';

// Its own server and data folder, with two organisations on the demo board.
let dataDir: string;
let server: OwnServer;
let users: Record<'woonA' | 'woonColleague' | 'bindB', SeededUser>;

const SECRET = `Schuldhulp-traject ${Date.now()}, niet delen`;
const MORE = ' Zoon woont weer thuis.';

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-confidential-'));
	server = new OwnServer(ownPort(5), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: ''
	});
	users = await seedServerUsers(
		{ dataDir },
		{
			woonA: { org: 'Woonwaarts', displayName: 'Fatma', boards: { spoorbuurt: 'editor' } },
			woonColleague: {
				org: 'Woonwaarts',
				displayName: 'Wim',
				boards: { spoorbuurt: 'editor' }
			},
			bindB: { org: 'Bindkracht10', displayName: 'Bas', boards: { spoorbuurt: 'editor' } }
		}
	);
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Opens a gesprek (by who held it) at an address through the list view. */
async function openGesprek(page: Page, addressLabel: string, heldBy: string): Promise<void> {
	const list = page.getByTestId('list-view');
	await list.getByRole('button', { name: addressLabel, exact: true }).click();
	const panel = page.getByTestId('address-panel');
	await panel.getByTestId('history-item').filter({ hasText: heldBy }).getByRole('button').click();
	await expect(panel.getByTestId('gesprek-form')).toBeVisible();
}

test('a confidential note reaches colleagues live and never another organisation’s browser', async ({
	browser
}) => {
	const pageA = await server.signedInPage(browser, users.woonA);
	const pageC = await server.signedInPage(browser, users.woonColleague);
	const pageB = await server.signedInPage(browser, users.bindB);
	const errors = [...collectErrors(pageA), ...collectErrors(pageC), ...collectErrors(pageB)];
	// Every frame Bindkracht10's browser receives, on every socket it opens.
	const framesB: string[] = [];
	pageB.on('websocket', (ws) =>
		ws.on('framereceived', ({ payload }) =>
			framesB.push(typeof payload === 'string' ? payload : payload.toString('latin1'))
		)
	);
	const framesC: string[] = [];
	pageC.on('websocket', (ws) =>
		ws.on('framereceived', ({ payload }) =>
			framesC.push(typeof payload === 'string' ? payload : payload.toString('latin1'))
		)
	);
	await Promise.all([
		openBoard(pageA, 'spoorbuurt', server.url),
		openBoard(pageB, 'spoorbuurt', server.url),
		openBoard(pageC, 'spoorbuurt', server.url)
	]);

	// Woonwaarts records a gesprek, marks its notes "alleen mijn organisatie" and types them.
	const [address] = await visibleAddresses(pageA);
	expect(address).toBeDefined();
	await pageA.mouse.click(address!.x, address!.y);
	const panelA = pageA.getByTestId('address-panel');
	await panelA.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const formA = panelA.getByTestId('gesprek-form');
	const heldBy = `Fatma ${Date.now()}`;
	await formA.getByLabel('Gevoerd door').fill(heldBy);
	await formA.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panelA.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	const toggle = formA.getByRole('checkbox', { name: 'Alleen mijn organisatie' });
	await expect(toggle).toBeEnabled();
	await toggle.check();
	await expect(formA).toContainText("Deze notitie lezen alleen collega's van Woonwaarts");
	const notesA = formA.getByTestId('gesprek-notes');
	// Typed in one input event each (as pasting would), so that each text travels in one frame and
	// the frame checks below can look for it whole.
	await notesA.fill(SECRET);

	// The colleague of Woonwaarts opens it and reads along live.
	await openGesprek(pageC, address!.label, heldBy);
	const notesC = pageC.getByTestId('gesprek-notes');
	await expect.poll(() => notesC.inputValue()).toBe(SECRET);
	await notesA.press('End');
	await pageA.keyboard.insertText(MORE);
	await expect.poll(() => notesC.inputValue()).toBe(SECRET + MORE);

	// Bindkracht10 sees the gesprek and that its note is confidential, not the note.
	await openGesprek(pageB, address!.label, heldBy);
	const formB = pageB.getByTestId('gesprek-form');
	await expect(formB.getByTestId('confidential-other')).toHaveText(
		'Vertrouwelijke notitie (alleen Woonwaarts)'
	);
	await expect(formB.getByTestId('gesprek-notes')).toHaveCount(0);
	await expect(formB.getByRole('checkbox', { name: 'Alleen mijn organisatie' })).toHaveCount(0);

	// The frames show the note where it belongs (the colleague) and nowhere in Bindkracht10's.
	expect(framesC.join('')).toContain(SECRET);
	expect(framesC.join('')).toContain(MORE);
	expect(framesB.length).toBeGreaterThan(0);
	expect(framesB.join('')).not.toContain(SECRET);
	expect(framesB.join('')).not.toContain(MORE);
	expect(await pageB.content()).not.toContain(SECRET.slice(0, 20));
	// Nor the page HTML the server renders for Bindkracht10.
	const html = await (await pageB.request.get(`${server.url}/boards/spoorbuurt`)).text();
	expect(html).toContain('Woonwaarts');
	expect(html).not.toContain(SECRET.slice(0, 20));

	expect(errors).toEqual([]);
});

test('marking a shared note moves it out of the other organisation’s view at once; unmarking asks first', async ({
	browser
}) => {
	const pageA = await server.signedInPage(browser, users.woonA);
	const pageB = await server.signedInPage(browser, users.bindB);
	const errors = [...collectErrors(pageA), ...collectErrors(pageB)];
	await Promise.all([
		openBoard(pageA, 'spoorbuurt', server.url),
		openBoard(pageB, 'spoorbuurt', server.url)
	]);
	const shared = `Gedeelde notitie ${Date.now()}`;

	// Woonwaarts records a gesprek with an ordinary (shared) note; Bindkracht10 reads it.
	const addresses = await visibleAddresses(pageA);
	const address = addresses[1] ?? addresses[0]!;
	await pageA.mouse.click(address.x, address.y);
	const panelA = pageA.getByTestId('address-panel');
	await panelA.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const formA = panelA.getByTestId('gesprek-form');
	const heldBy = `Fatma ${Date.now()}`;
	await formA.getByLabel('Gevoerd door').fill(heldBy);
	await formA.getByLabel('Notities (alleen professionals)').fill(shared);
	await formA.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await openGesprek(pageB, address.label, heldBy);
	const formB = pageB.getByTestId('gesprek-form');
	await expect.poll(() => formB.getByTestId('gesprek-notes').inputValue()).toBe(shared);

	// Marked: Bindkracht10's open form drops the text and says whose note it is.
	const toggle = formA.getByRole('checkbox', { name: 'Alleen mijn organisatie' });
	await toggle.check();
	await expect(formB.getByTestId('confidential-other')).toHaveText(
		'Vertrouwelijke notitie (alleen Woonwaarts)'
	);
	await expect(formB.getByTestId('gesprek-notes')).toHaveCount(0);
	await expect(pageB.locator('body')).not.toContainText(shared);
	// Woonwaarts keeps the text, now in its own document.
	await expect.poll(() => formA.getByTestId('gesprek-notes').inputValue()).toBe(shared);

	// Unmarking asks first; declined, nothing changes.
	pageA.once('dialog', (dialog) => void dialog.dismiss());
	await toggle.click();
	await expect(toggle).toBeChecked();
	await expect(formB.getByTestId('confidential-other')).toBeVisible();
	// Accepted, the note is shared again.
	pageA.once('dialog', (dialog) => void dialog.accept());
	await toggle.uncheck();
	await expect(toggle).not.toBeChecked();
	await expect.poll(() => formB.getByTestId('gesprek-notes').inputValue()).toBe(shared);

	expect(errors).toEqual([]);
});
