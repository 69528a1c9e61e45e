import { expect, test, type Page } from './test';
import { collectErrors } from './helpers';
import { demoStoryServer } from './own-server';

/**
 * The board page's filter is in its address: a reload shows the same filtered view, a colleague
 * who opens the link sees it too, a follower's address says what they are shown, and what the
 * board does not have (a theme that does not exist, a date that is none) is left out. On the demo
 * board with its story.
 */
const demo = demoStoryServer(12, 'filters-url', {
	erik: { org: 'Bindkracht10', displayName: 'Erik Bewerker', boards: { spoorbuurt: 'editor' } }
});

// Chromium pages with a WebGL map each (SwiftShader) on a shared machine: more time.
test.setTimeout(180_000);

async function open(page: Page, query = ''): Promise<void> {
	await page.setViewportSize({ width: 1400, height: 900 });
	await page.goto(`${demo.server.url}/boards/spoorbuurt${query}`);
	await ready(page);
}

async function ready(page: Page): Promise<void> {
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

/** The number in "n resultaten" above the list. */
async function listCount(page: Page): Promise<number> {
	const text = await page.getByTestId('list-view').getByTestId('list-count').textContent();
	return Number(text!.match(/^(\d+)/)![1]);
}

const rows = (page: Page) =>
	page.getByTestId('list-view').getByTestId('gesprek-table').locator('tbody tr').allTextContents();

const query = (page: Page) => new URL(page.url()).searchParams;

/** What the list's selects and the Analyse panel show, and what the list holds. */
async function view(page: Page) {
	const list = page.getByTestId('list-view');
	const analysis = page.getByTestId('analysis-filters');
	return {
		theme: await list.getByLabel('Thema').inputValue(),
		street: await list.getByRole('combobox', { name: 'Straat', exact: true }).inputValue(),
		panelTheme: await analysis.getByRole('combobox', { name: /^Thema/ }).inputValue(),
		panelStreet: await analysis.getByLabel('Straat').inputValue(),
		tab: await list.getByRole('tab', { selected: true }).textContent(),
		count: await listCount(page),
		rows: await rows(page)
	};
}

test('a filter survives a reload and a colleague’s link shows the same', async ({ browser }) => {
	const olga = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(olga);
	await open(olga);
	expect(olga.url()).toBe(`${demo.server.url}/boards/spoorbuurt`);
	const entries = await olga.evaluate(() => history.length);

	const list = olga.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	await expect.poll(() => listCount(olga)).toBeGreaterThan(50);
	const all = await listCount(olga);
	await list.getByLabel('Thema').selectOption({ label: 'Eenzaamheid' });
	await list.getByRole('combobox', { name: 'Straat', exact: true }).selectOption('Sweelinckstraat');
	await expect.poll(() => listCount(olga)).toBeLessThan(all);
	const theme = await list.getByLabel('Thema').inputValue();
	// The address says it, readably, without a history entry per choice.
	await expect
		.poll(() => query(olga).toString())
		.toBe(`thema=${theme}&straat=Sweelinckstraat&lijst=gesprekken`);
	expect(await olga.evaluate(() => history.length)).toBe(entries);
	const shown = await view(olga);
	expect(shown).toMatchObject({
		theme,
		street: 'Sweelinckstraat',
		panelTheme: theme,
		panelStreet: 'Sweelinckstraat',
		tab: 'Gesprekken'
	});
	expect(shown.rows.length).toBeGreaterThan(0);
	for (const row of shown.rows) expect(row).toContain('Eenzaamheid');

	// A reload shows the same filter in the selects and the same narrowed list.
	await olga.reload();
	await ready(olga);
	await expect.poll(() => listCount(olga)).toBe(shown.count);
	expect(await view(olga)).toEqual(shown);
	const link = olga.url();

	// A colleague opens the link in his own browser: the same view.
	const erik = await demo.server.signedInPage(browser, demo.users.erik);
	errors.push(...collectErrors(erik));
	await erik.setViewportSize({ width: 1400, height: 900 });
	await erik.goto(link);
	await ready(erik);
	await expect.poll(() => listCount(erik)).toBe(shown.count);
	expect(await view(erik)).toEqual(shown);
	expect(erik.url()).toBe(link);

	// Following a presenter, his address says what he is shown: her filter.
	await olga.getByTestId('present-button').click();
	await expect(erik.getByTestId('presence-banner')).toContainText('presenteert');
	await list.getByRole('combobox', { name: 'Straat', exact: true }).selectOption('Valeriusstraat');
	await expect(
		erik.getByTestId('list-view').getByRole('combobox', { name: 'Straat', exact: true })
	).toHaveValue('Valeriusstraat');
	await expect.poll(() => query(erik).getAll('straat')).toEqual(['Valeriusstraat']);
	expect(query(erik).toString()).toBe(query(olga).toString());
	expect(errors).toEqual([]);
	for (const page of [olga, erik]) await page.context().close();
});

test('a link with values the board does not have opens the board without them', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(
		page,
		'?thema=bestaat-niet&thema=eenzaamheid&van=2025-13-45&tot=morgen&ronde=7' +
			'&straat=Nergensstraat&straat=Valeriusstraat&uitkomst=boos&open=ja'
	);
	const list = page.getByTestId('list-view');
	const analysis = page.getByTestId('analysis-filters');
	// What the board has is applied: the theme and the street.
	await expect(list.getByLabel('Thema')).toHaveValue('eenzaamheid');
	await expect(list.getByRole('combobox', { name: 'Straat', exact: true })).toHaveValue(
		'Valeriusstraat'
	);
	await expect(page.getByTestId('analysis-summary')).toContainText('van 18 deuren');
	// The rest is ignored: no period, round, outcome or "open doors only".
	await expect(analysis.getByLabel('Van', { exact: true })).toHaveValue('');
	await expect(analysis.getByLabel('Tot en met')).toHaveValue('');
	await expect(analysis.getByLabel('Ronde')).toHaveValue('');
	await expect(analysis.getByLabel('Uitkomst')).toHaveValue('');
	await expect(analysis.getByLabel('Alleen open deuren')).not.toBeChecked();
	await expect(list.getByTestId('list-filters-also')).toHaveCount(0);
	// And the address says what was applied.
	await expect.poll(() => query(page).toString()).toBe('thema=eenzaamheid&straat=Valeriusstraat');
	expect(errors).toEqual([]);
	await page.context().close();
});

test('the link to "Analyse en export" carries the filter there and back', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(page, '?straat=Valeriusstraat&uitkomst=gesproken&lijst=gesprekken');
	await expect(page.getByTestId('analysis-summary')).toContainText('van 18 deuren');
	await page.getByTestId('analysis-page-link').click();

	// The analysis page reads the same parameters: one street's coverage and print map, in words.
	await expect(page).toHaveURL(
		/\/analyse\?uitkomst=gesproken&straat=Valeriusstraat&lijst=gesprekken$/
	);
	await expect(page.getByTestId('analysis-board-filter')).toHaveText(
		/Gefilterd zoals op de kaart: Gesproken; Valeriusstraat\./
	);
	await expect(page.getByRole('heading', { name: 'Straat: Valeriusstraat' })).toBeVisible();
	const coverage = page.getByTestId('street-coverage').locator('tbody tr[data-street]');
	// One street and the total.
	await expect(coverage).toHaveCount(2);
	await expect(coverage.first()).toHaveAttribute('data-street', 'Valeriusstraat');
	await expect(page.getByLabel('Afdrukken voor')).toHaveValue('Valeriusstraat');
	// The exports are the whole board's (the page says so while a filter is shown).
	await expect(page.getByTestId('export-unfiltered')).toBeVisible();

	// Another street for the print view keeps the rest of the filter.
	await page.getByLabel('Afdrukken voor').selectOption('Sweelinckstraat');
	await page.getByRole('button', { name: 'Toon' }).click();
	await expect(page.getByRole('heading', { name: 'Straat: Sweelinckstraat' })).toBeVisible();
	expect(query(page).get('uitkomst')).toBe('gesproken');
	const filtered = page.url();

	// "Alles tonen": the whole board, every street.
	await page.getByRole('link', { name: 'Alles tonen' }).click();
	await expect(page.getByTestId('analysis-board-filter')).toHaveCount(0);
	await expect(coverage).toHaveCount(10);
	expect(query(page).toString()).toBe('lijst=gesprekken');
	await page.goto(filtered);

	// The way back is to the board as filtered here.
	await page.getByRole('link', { name: /Terug naar de kaart/ }).click();
	await ready(page);
	const list = page.getByTestId('list-view');
	await expect(list.getByRole('combobox', { name: 'Straat', exact: true })).toHaveValue(
		'Sweelinckstraat'
	);
	await expect(list.getByLabel('Uitkomst')).toHaveValue('gesproken');
	await expect(list.getByRole('tab', { name: 'Gesprekken' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	expect(errors).toEqual([]);
	await page.context().close();
});
