import { expect, test, type Page } from './test';
import { openBoard, twoBrowsers, visibleAddresses } from './helpers';

/**
 * Issue #9, "No edit is ever lost": two people with the same gesprek open in their own browsers.
 * Every field of the form writes only its own change, lists add and remove single items, and a
 * change made elsewhere shows in an open form without overwriting what is being typed.
 */

// Two browsers each load the board and its map: on a loaded 2-core machine that takes a while.
test.describe.configure({ timeout: 180_000 });

/**
 * A records a new gesprek (its form stays open, now live); B opens the same gesprek from the
 * list. Returns both forms.
 */
async function bothOpen(
	pageA: Page,
	pageB: Page,
	index: number,
	heldBy: string,
	followUp?: string
) {
	const addresses = await visibleAddresses(pageA);
	const target = addresses[index % addresses.length]!;
	await pageA.mouse.click(target.x, target.y);
	const panelA = pageA.getByTestId('address-panel');
	await expect(panelA.getByRole('heading', { level: 2 })).toContainText(target.label);
	await panelA.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const formA = panelA.getByTestId('gesprek-form');
	await formA.getByLabel('Gevoerd door').fill(heldBy);
	if (followUp) {
		await formA.getByRole('button', { name: 'Vervolgactie toevoegen' }).click();
		await formA.getByLabel('Wat', { exact: true }).fill(followUp);
	}
	await formA.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panelA.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	// After its first save the form is live.
	await expect(formA.getByRole('heading', { level: 3 })).not.toHaveText('Nieuw gesprek');

	const list = pageB.getByTestId('list-view');
	await list.getByRole('button', { name: target.label, exact: true }).click();
	const panelB = pageB.getByTestId('address-panel');
	await panelB.getByTestId('history-item').filter({ hasText: heldBy }).getByRole('button').click();
	const formB = panelB.getByTestId('gesprek-form');
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue(heldBy);
	return { formA, formB, label: target.label };
}

test('B ticks a theme and saves, A changes "Gevoerd door" and saves: both changes stay', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Wijkcoach ${Date.now()}`;
	const { formA, formB, label } = await bothOpen(pageA, pageB, 2, heldBy);

	await formB.getByRole('checkbox', { name: 'Eenzaamheid' }).check();
	await formB.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await formA.getByLabel('Gevoerd door').fill(`${heldBy} en Bas`);
	await formA.getByRole('button', { name: 'Gesprek opslaan' }).click();

	for (const form of [formA, formB]) {
		await expect(form.getByRole('checkbox', { name: 'Eenzaamheid' })).toBeChecked();
		await expect(form.getByLabel('Gevoerd door')).toHaveValue(`${heldBy} en Bas`);
	}
	// And in storage: a fresh page reads both.
	await pageA.reload();
	await openBoard(pageA);
	await pageA.getByTestId('list-view').getByRole('button', { name: label, exact: true }).click();
	const item = pageA
		.getByTestId('address-panel')
		.getByTestId('history-item')
		.filter({ hasText: `${heldBy} en Bas` });
	await expect(item).toContainText('Eenzaamheid');
	expect(errors.flat()).toEqual([]);
});

test('two people edit different fields and add to the same list at once: nothing is lost', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Opbouwwerker ${Date.now()}`;
	const { formA, formB } = await bothOpen(pageA, pageB, 4, heldBy);

	const talentA = formA.getByLabel('Nieuw item voor Talenten (wat wil de bewoner bijdragen)');
	const talentB = formB.getByLabel('Nieuw item voor Talenten (wat wil de bewoner bijdragen)');
	await Promise.all([
		(async () => {
			await formA.getByLabel('Uitkomst').selectOption({ label: 'Niet thuis' });
			await talentA.fill('Koken');
			await talentA.press('Enter');
			await formA.getByRole('checkbox', { name: 'Groen', exact: true }).check();
		})(),
		(async () => {
			await formB.getByLabel('Ronde').fill('2');
			await talentB.fill('Fietsen maken');
			await talentB.press('Enter');
			await formB.getByRole('checkbox', { name: 'Ontmoeting' }).check();
		})()
	]);
	// Leaving the round field writes it.
	await formB.getByLabel('Ronde').blur();

	for (const form of [formA, formB]) {
		await expect(form.getByLabel('Uitkomst')).toHaveValue('niet-thuis');
		await expect(form.getByLabel('Ronde')).toHaveValue('2');
		const talents = form.getByRole('group', { name: 'Talenten' }).getByRole('listitem');
		await expect(talents).toHaveCount(2);
		await expect(talents.filter({ hasText: 'Koken' })).toHaveCount(1);
		await expect(talents.filter({ hasText: 'Fietsen maken' })).toHaveCount(1);
		await expect(form.getByRole('checkbox', { name: 'Groen', exact: true })).toBeChecked();
		await expect(form.getByRole('checkbox', { name: 'Ontmoeting' })).toBeChecked();
	}
	expect(errors.flat()).toEqual([]);
});

test('one deletes a follow-up while the other is editing it: it is gone in both, the rest works', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Woonconsulent ${Date.now()}`;
	const { formA, formB } = await bothOpen(pageA, pageB, 6, heldBy, 'Voortuin opknappen');

	const rowA = formA.getByTestId('followup');
	const rowB = formB.getByTestId('followup');
	await expect(rowB.getByLabel('Wat', { exact: true })).toHaveValue('Voortuin opknappen');
	// A is typing who will do it; B removes the follow-up meanwhile.
	await rowA.getByLabel('Wie', { exact: true }).pressSequentially('Ba');
	await rowB.getByRole('button', { name: 'Vervolgactie verwijderen' }).click();
	await expect(rowA).toHaveCount(0);
	await expect(rowB).toHaveCount(0);

	// The form goes on working in both.
	await formA.getByLabel('Gevoerd door').fill(`${heldBy} (A)`);
	await formA.getByLabel('Gevoerd door').blur();
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue(`${heldBy} (A)`);
	// A new follow-up is stored as soon as it says what, and shows in the other browser.
	await formB.getByRole('button', { name: 'Vervolgactie toevoegen' }).click();
	await formB.getByLabel('Wat', { exact: true }).fill('Koffieochtend');
	await expect(rowA.getByLabel('Wat', { exact: true })).toHaveValue('Koffieochtend');
	expect(errors.flat()).toEqual([]);
});

test('a change from elsewhere shows in an open form without overwriting the field being typed in', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Buurtwerker ${Date.now()}`;
	const { formA, formB } = await bothOpen(pageA, pageB, 8, heldBy);

	// A is typing in "Gevoerd door" and pauses (not yet done: the field keeps its focus), long
	// enough for what A typed so far to be written; then B changes other fields and this one.
	// (Without the pause a busy machine can write A's first letters while B types into the field
	// too: that is two people typing into one field at once, where both texts are kept; see
	// crossed-writes.spec.ts.)
	const inputA = formA.getByLabel('Gevoerd door');
	await inputA.fill('');
	await inputA.pressSequentially('Fatma van', { delay: 20 });
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue('Fatma van');
	await formB.getByLabel('Uitkomst').selectOption({ label: 'Geweigerd' });
	await formB.getByRole('checkbox', { name: 'Veiligheid' }).check();
	await formB.getByLabel('Gevoerd door').fill('Bas');
	await formB.getByLabel('Gevoerd door').blur();

	// A sees B's other changes live, and still its own text in the field it is typing in.
	await expect(formA.getByLabel('Uitkomst')).toHaveValue('geweigerd');
	await expect(formA.getByRole('checkbox', { name: 'Veiligheid' })).toBeChecked();
	await expect(inputA).toHaveValue('Fatma van');
	await expect(inputA).toBeFocused();
	// A goes on typing and leaves the field: A's text is the last change, in both.
	await inputA.pressSequentially(' Woonwaarts');
	await inputA.blur();
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue('Fatma van Woonwaarts');
	await expect(inputA).toHaveValue('Fatma van Woonwaarts');
	await expect(formA.getByLabel('Uitkomst')).toHaveValue('geweigerd');
	expect(errors.flat()).toEqual([]);
});

test('two people adding to the end of the same short field at once both keep their words', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Opbouwwerker ${Date.now()}`;
	const { formA, formB } = await bothOpen(pageA, pageB, 5, heldBy);
	const inputA = formA.getByLabel('Gevoerd door');
	const inputB = formB.getByLabel('Gevoerd door');

	// B starts typing slowly (every key restarts the wait before writing), A adds and leaves the
	// field meanwhile: B's field keeps B's typing, and A's words reach B's page.
	await inputB.click();
	await inputB.press('End');
	const typingB = inputB.pressSequentially(' en Els', { delay: 150 });
	await inputA.click();
	await inputA.press('End');
	await inputA.pressSequentially(' en Eddy');
	await inputA.blur();
	await expect(
		pageB.getByTestId('address-panel').getByTestId('history-item').filter({ hasText: 'en Eddy' })
	).toHaveCount(1);
	await typingB;
	await expect(inputB).toHaveValue(`${heldBy} en Els`);
	await inputB.blur();

	// Both words, in both browsers: nobody's addition was written over.
	for (const input of [inputA, inputB]) {
		await expect(input).toHaveValue(`${heldBy} en Eddy en Els`);
	}
	expect(errors.flat()).toEqual([]);
});

test('undo takes back one’s own field change and leaves the other’s', async ({ browser }) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Welzijnswerker ${Date.now()}`;
	const { formA, formB, label } = await bothOpen(pageA, pageB, 10, heldBy);

	await formB.getByRole('checkbox', { name: 'Participatie' }).check();
	await expect(formA.getByRole('checkbox', { name: 'Participatie' })).toBeChecked();
	await formA.getByLabel('Uitkomst').selectOption({ label: 'Later terugkomen' });
	await expect(formB.getByLabel('Uitkomst')).toHaveValue('later');

	await pageA.getByRole('button', { name: 'Ongedaan maken' }).click();
	for (const form of [formA, formB]) {
		await expect(form.getByLabel('Uitkomst')).toHaveValue('gesproken');
		await expect(form.getByRole('checkbox', { name: 'Participatie' })).toBeChecked();
	}
	// The page says what it undid: the board's undo reaches changes no longer on screen too.
	await expect(pageA.getByTestId('undo-notice')).toHaveText(
		`Ongedaan gemaakt: je wijziging in het gesprek bij ${label}.`
	);
	expect(errors.flat()).toEqual([]);
});

test('two people typing in the same initiatief description at once both keep their text', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const title = `Koffieochtend ${Date.now()}`;

	// A puts a new initiatief on the map with a description; after its first save it is live.
	const box = (await pageA.getByTestId('board-map').boundingBox())!;
	await pageA.getByRole('button', { name: 'Initiatief op de kaart zetten' }).click();
	await pageA.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	const formA = pageA.getByTestId('initiatief-form');
	await formA.getByLabel('Titel').fill(title);
	await formA.getByLabel('Beschrijving').fill('in het buurthuis');
	await formA.getByRole('button', { name: 'Initiatief opslaan' }).click();
	await expect(formA.getByRole('heading', { level: 2 })).toContainText(title);

	// B opens the same initiatief from the list.
	const openIn = async (page: Page) => {
		const list = page.getByTestId('list-view');
		await list.getByRole('tab', { name: 'Initiatieven' }).click();
		await list
			.getByTestId('initiatief-table')
			.getByRole('button', { name: title, exact: true })
			.click();
		const form = page.getByTestId('initiatief-form');
		await expect(form.getByLabel('Titel')).toHaveValue(title);
		return form.getByLabel('Beschrijving');
	};
	const descriptionB = await openIn(pageB);
	const descriptionA = formA.getByLabel('Beschrijving');
	await expect(descriptionB).toHaveValue('in het buurthuis');

	// At the same time: A types at the start, B at the end.
	await descriptionA.click();
	await descriptionA.press('Control+Home');
	await descriptionB.click();
	await descriptionB.press('Control+End');
	await Promise.all([
		descriptionA.pressSequentially('Koffie ', { delay: 20 }),
		descriptionB.pressSequentially(' op zaterdag', { delay: 20 })
	]);
	const both = 'Koffie in het buurthuis op zaterdag';
	for (const description of [descriptionA, descriptionB]) {
		await expect(description).toHaveValue(both);
	}
	// B's caret moved along with A's text: B goes on typing at the end.
	await descriptionB.pressSequentially('!');
	const all = `${both}!`;
	await expect(descriptionA).toHaveValue(all);

	// A's undo (in the field) takes back A's own typing only (in one or more steps: typing is
	// grouped by pauses), never B's; redo brings it back.
	const withoutA = 'in het buurthuis op zaterdag!';
	let undos = 0;
	while ((await descriptionA.inputValue()) !== withoutA && undos < 'Koffie '.length) {
		await descriptionA.press('Control+z');
		undos++;
		expect(await descriptionA.inputValue()).toMatch(/in het buurthuis op zaterdag!$/);
	}
	for (const description of [descriptionA, descriptionB]) {
		await expect(description).toHaveValue(withoutA);
	}
	for (let i = 0; i < undos; i++) {
		await pageA.getByRole('button', { name: 'Opnieuw', exact: true }).click();
	}
	await expect(descriptionB).toHaveValue(all);

	// Stored: both texts are there after a reload, in both browsers.
	for (const page of [pageA, pageB]) {
		await openBoard(page);
		await expect(await openIn(page)).toHaveValue(all);
	}
	expect(errors.flat()).toEqual([]);
});

test('words typed just before the page reloads or closes are kept, not lost with the page', async ({
	browser
}) => {
	const { pageA, pageB, errors } = await twoBrowsers(browser);
	const heldBy = `Buurtwerker ${Date.now()}`;
	const { formA, formB, label } = await bothOpen(pageA, pageB, 9, heldBy);

	// A adds to "Gevoerd door" and reloads at once, within the pause before the field writes.
	const inputA = formA.getByLabel('Gevoerd door');
	await inputA.click();
	await inputA.press('End');
	await inputA.pressSequentially(' en Anouk');
	await pageA.reload();
	await expect(formB.getByLabel('Gevoerd door')).toHaveValue(`${heldBy} en Anouk`);
	await openBoard(pageA);
	await pageA.getByTestId('list-view').getByRole('button', { name: label, exact: true }).click();
	await expect(
		pageA
			.getByTestId('address-panel')
			.getByTestId('history-item')
			.filter({ hasText: `${heldBy} en Anouk` })
	).toHaveCount(1);

	// B adds more and closes the tab at once: the words reach A.
	const inputB = formB.getByLabel('Gevoerd door');
	await inputB.click();
	await inputB.press('End');
	await inputB.pressSequentially(' en Bram');
	await pageB.close({ runBeforeUnload: true });
	await expect(
		pageA
			.getByTestId('address-panel')
			.getByTestId('history-item')
			.filter({ hasText: `${heldBy} en Anouk en Bram` })
	).toHaveCount(1);
	expect(errors.flat()).toEqual([]);
});
