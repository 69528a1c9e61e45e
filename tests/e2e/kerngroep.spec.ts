import { expect, test, type Locator, type Page } from './test';
import { collectErrors, openAddressFromPicker } from './helpers';
import { seededServer } from './own-server';

/**
 * Found by a session of three browsers on one board (QA "kerngroep": Olga the owner, Eddy and Els
 * editors), each on the same gesprek:
 * - a gesprek deleted while Eddy types its notes: "Terugzetten" brings it back with the notes, in
 *   every browser (the notice promises that what was filled in comes back), and his typing on
 *   after the form vanished does not scroll the page away;
 * - Els made a viewer while her gesprek form is open: the page turns read only at once, so nothing
 *   looks saved that is not.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const own = seededServer(2, 'kerngroep', {
	olga: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
	eddy: { org: 'Woonwaarts', displayName: 'Eddy Eerste', boards: { spoorbuurt: 'editor' } },
	els: { org: 'Bindkracht10', displayName: 'Els Tweede', boards: { spoorbuurt: 'editor' } }
});

/**
 * The first of `pages` records a gesprek at `address`; the others open it from the address's
 * history. Returns each page's form.
 */
async function sharedGesprek(pages: Page[], address: string, heldBy: string): Promise<Locator[]> {
	const [first, ...rest] = pages;
	await openAddressFromPicker(first!, address);
	const panel = first!.getByTestId('address-panel');
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	await panel.getByTestId('gesprek-form').getByLabel('Gevoerd door').fill(heldBy);
	await panel.getByTestId('gesprek-form').getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panel.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	for (const page of rest) {
		await openAddressFromPicker(page, address);
		const other = page.getByTestId('address-panel');
		await other.getByTestId('history-item').filter({ hasText: heldBy }).getByRole('button').click();
		await expect(other.getByTestId('gesprek-form').getByLabel('Gevoerd door')).toHaveValue(heldBy);
	}
	return pages.map((p) => p.getByTestId('address-panel').getByTestId('gesprek-form'));
}

/** The page's document fits the window: the board never scrolls as a whole. */
async function pageScroll(page: Page) {
	return page.evaluate(() => ({
		y: window.scrollY,
		overflow: document.scrollingElement!.scrollHeight - window.innerHeight,
		main: document.querySelector('main')!.scrollTop
	}));
}

test('a gesprek deleted while its notes are typed comes back with the notes for everyone', async ({
	browser
}) => {
	const olga = await own.boardPage(browser, own.users.olga);
	const eddy = await own.boardPage(browser, own.users.eddy);
	const els = await own.boardPage(browser, own.users.els);
	const errors = [olga, eddy, els].map(collectErrors);
	const heldBy = `Race ${Date.now()}`;
	const [formOlga, formEddy, formEls] = await sharedGesprek(
		[olga, eddy, els],
		'Obrechtstraat 3',
		heldBy
	);

	// Els fills in part of the consent: who recorded it, no date yet.
	await formEls!.getByLabel('Vastgelegd door').fill('Els');
	await formEls!.getByLabel('Vastgelegd door').blur();
	await expect(formEddy!.getByLabel('Vastgelegd door')).toHaveValue('Els');

	// Eddy types notes; Olga deletes the gesprek while he is at it.
	const notes = formEddy!.getByLabel('Notities (alleen professionals)');
	await notes.click();
	await notes.pressSequentially('Eddy schrijft een notitie. ', { delay: 20 });
	await expect(formOlga!.getByLabel('Notities (alleen professionals)')).toHaveValue(
		'Eddy schrijft een notitie. '
	);
	await Promise.all([
		eddy.keyboard.type('Nog een zin van Eddy', { delay: 40 }),
		(async () => {
			await olga.waitForTimeout(300);
			await formOlga!.getByRole('button', { name: 'Gesprek verwijderen' }).click();
		})()
	]);
	const notice = eddy.getByTestId('address-panel').getByTestId('gone-notice');
	await expect(notice.getByRole('alert')).toHaveText('Dit gesprek is intussen verwijderd.');
	await expect(notice).toContainText('wat je al had ingevuld, komt mee terug');
	// His keys after the form vanished went to the page, which stays where it is.
	await eddy.keyboard.type('   ', { delay: 20 });
	await eddy.keyboard.press('PageDown');
	expect(await pageScroll(eddy)).toEqual({ y: 0, overflow: 0, main: 0 });

	// Terugzetten: the gesprek is back with the notes as his form held them, and the consent so
	// far, in every browser.
	const restore = notice.getByTestId('gone-restore').getByRole('button', { name: 'Terugzetten' });
	await expect(restore).toBeVisible({ timeout: 15_000 });
	await restore.click();
	await expect(formEddy!.getByLabel('Gevoerd door')).toHaveValue(heldBy);
	const typed = await formEddy!.getByLabel('Notities (alleen professionals)').inputValue();
	// At least the part typed before the deletion reached him (the rest went to the page).
	expect(typed).toMatch(/^Eddy schrijft een notitie\. No/);
	await expect(formEddy!.getByLabel('Vastgelegd door')).toHaveValue('Els');
	for (const page of [olga, els]) {
		const panel = page.getByTestId('address-panel');
		const item = panel.getByTestId('history-item').filter({ hasText: heldBy });
		await item.getByRole('button').click();
		const form = panel.getByTestId('gesprek-form');
		await expect(form.getByLabel('Notities (alleen professionals)')).toHaveValue(typed);
		await expect(form.getByLabel('Vastgelegd door')).toHaveValue('Els');
	}
	// Still there after a reload (stored on the server).
	await els.reload();
	await openAddressFromPicker(els, 'Obrechtstraat 3');
	const panelEls = els.getByTestId('address-panel');
	await panelEls
		.getByTestId('history-item')
		.filter({ hasText: heldBy })
		.getByRole('button')
		.click();
	await expect(
		panelEls.getByTestId('gesprek-form').getByLabel('Notities (alleen professionals)')
	).toHaveValue(typed);
	// Nobody was told that part of their change was not taken.
	for (const page of [olga, eddy, els]) {
		await expect(page.getByText('Niet alles is opgeslagen')).toHaveCount(0);
	}
	expect(errors.flat()).toEqual([]);
});

test('an editor made a viewer while a gesprek form is open: the page turns read only at once', async ({
	browser
}) => {
	const olga = await own.boardPage(browser, own.users.olga);
	const els = await own.boardPage(browser, own.users.els);
	const eddy = await own.boardPage(browser, own.users.eddy);
	const errors = [olga, els, eddy].map(collectErrors);
	const heldBy = `Rol ${Date.now()}`;
	const [, formEls, formEddy] = await sharedGesprek([olga, els, eddy], 'Obrechtstraat 5', heldBy);
	const heldByEls = formEls!.getByLabel('Gevoerd door');
	await expect(heldByEls).toBeEnabled();

	// Olga makes Els a viewer on the members page (her own board stays open in Eddy's browser).
	const members = await olga.context().newPage();
	await members.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	const row = members.getByTestId('member-row').filter({ hasText: own.users.els.email });
	await row.getByLabel('Rol van Els Tweede').selectOption({ label: 'Lezer' });
	await row.getByRole('button', { name: 'Rol opslaan' }).click();
	await expect(members.getByTestId('members-error')).toHaveCount(0);

	// Els's page says so and is read only, as a viewer's: the fields, the checkboxes and the
	// editing buttons are disabled or gone.
	await expect(els.getByTestId('access-changed')).toContainText('Je kunt dit bord nu alleen lezen');
	await expect(heldByEls).toBeDisabled();
	await expect(formEls!.getByLabel('Notities (alleen professionals)')).toBeDisabled();
	await expect(formEls!.getByRole('checkbox').first()).toBeDisabled();
	await expect(els.getByTestId('read-only-badge')).toHaveText('Alleen lezen');
	const main = els.locator('main');
	for (const name of ['Ongedaan maken', 'Initiatief op de kaart zetten', "Thema's beheren"]) {
		await expect(main.getByRole('button', { name, exact: true })).toHaveCount(0);
	}
	await expect(
		els.getByTestId('address-panel').getByRole('button', { name: 'Nieuw gesprek' })
	).toHaveCount(0);
	// Typing or Ctrl+Z makes no change on her device that the others would never get.
	await heldByEls.click({ force: true });
	await els.keyboard.type('Els na degradatie');
	await els.keyboard.press('Control+z');
	await expect(heldByEls).toHaveValue(heldBy);
	await expect(els.getByText(/nog niet verstuurd/)).toHaveCount(0);

	// The others edit on as before, and Els sees it.
	const heldByEddy = formEddy!.getByLabel('Gevoerd door');
	await heldByEddy.fill(`${heldBy} en Eddy`);
	await heldByEddy.blur();
	await expect(heldByEls).toHaveValue(`${heldBy} en Eddy`);
	await expect(
		olga.getByTestId('address-panel').getByTestId('gesprek-form').getByLabel('Gevoerd door')
	).toHaveValue(`${heldBy} en Eddy`);

	// Made an editor again: her page edits again.
	await row.getByLabel('Rol van Els Tweede').selectOption({ label: 'Bewerker' });
	await row.getByRole('button', { name: 'Rol opslaan' }).click();
	await expect(heldByEls).toBeEnabled();
	await heldByEls.fill(`${heldBy} en Els`);
	await heldByEls.blur();
	await expect(heldByEddy).toHaveValue(`${heldBy} en Els`);
	expect(errors.flat()).toEqual([]);
});
