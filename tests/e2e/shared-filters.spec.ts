import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { decodeRegister, type CompactRegister } from '../../src/lib/geo/register';
import { collectErrors } from './helpers';
import { demoStoryServer } from './own-server';

/**
 * One filter for the board page (issue 10: "Filters (theme, round, outcome, period, street, held
 * by) apply to map and lists at once"): chosen in the Analyse panel it narrows the list beside the
 * map, chosen in the list it narrows the map's analysis, each place shows it, "Filters wissen"
 * clears both, and a presenter's followers get the whole filter. On the demo board with its story.
 */
const demo = demoStoryServer(11, 'shared-filters', {
	erik: { org: 'Bindkracht10', displayName: 'Erik Bewerker', boards: { spoorbuurt: 'editor' } }
});

// Two Chromium pages with a WebGL map each (SwiftShader) on a shared machine: more time.
test.setTimeout(180_000);

async function open(page: Page): Promise<void> {
	await page.setViewportSize({ width: 1400, height: 900 });
	await page.goto(`${demo.server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	await expect(page.getByTestId('analysis-summary')).toContainText('van 150 deuren');
}

/** The number in "n resultaten" above the list. */
async function listCount(page: Page): Promise<number> {
	const text = await page.getByTestId('list-view').getByTestId('list-count').textContent();
	return Number(text!.match(/^(\d+)/)![1]);
}

async function legendTotal(page: Page): Promise<number> {
	const legend = page.getByTestId('analysis-legend');
	let total = 0;
	for (const state of ['open', 'no-contact', 'declined', 'spoken'])
		total += Number(await legend.getByTestId(`legend-count-${state}`).textContent());
	return total;
}

/** The analysis points on the map: their street (from the register) and whether they match. */
async function brightStreets(page: Page): Promise<{ bright: string[]; dimmed: number }> {
	const response = await page.request.get(`${demo.server.url}/boards/spoorbuurt/adressen.json`);
	const register = decodeRegister((await response.json()) as CompactRegister);
	const streets = new Map(register.map((a) => [a.id, a.street]));
	const points = await page.evaluate(() => {
		const map = window.__buurtbordMap! as unknown as import('maplibre-gl').Map;
		const layers = ['analysis-cluster-points', 'analysis-addresses'].filter((l) => map.getLayer(l));
		return map
			.queryRenderedFeatures({ layers })
			.map((f) => ({ id: String(f.properties.id), match: Number(f.properties.match) }));
	});
	return {
		bright: [...new Set(points.filter((p) => p.match === 1).map((p) => streets.get(p.id) ?? '?'))],
		dimmed: points.filter((p) => p.match === 0).length
	};
}

test('a theme chosen in the Analyse panel narrows the list beside the map', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(page);
	const list = page.getByTestId('list-view');
	const analysis = page.getByTestId('analysis-filters');
	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	await expect.poll(() => listCount(page)).toBeGreaterThan(50);
	const all = await listCount(page);

	await analysis.getByRole('combobox', { name: /^Thema/ }).selectOption({ label: 'Eenzaamheid' });
	// The list shows the same filter, and only gesprekken where the theme was named.
	const theme = await analysis.getByRole('combobox', { name: /^Thema/ }).inputValue();
	await expect(list.getByLabel('Thema')).toHaveValue(theme);
	await expect.poll(() => listCount(page)).toBeLessThan(all);
	const rows = list.getByTestId('gesprek-table').locator('tbody tr');
	await expect(rows.first()).toBeVisible();
	for (const cell of await rows.locator('td:nth-child(5)').allTextContents())
		expect(cell).toContain('Eenzaamheid');

	// The address list holds exactly the doors the map lights up ("n daarvan passen bij het filter").
	await list.getByRole('tab', { name: 'Adressen' }).click();
	const matching = Number(
		(await page.getByTestId('analysis-matching').textContent())!.match(/(\d+)/)![1]
	);
	expect(matching).toBeGreaterThan(0);
	await expect.poll(() => listCount(page)).toBe(matching);

	// Period and "open doors only" have no select in the list: it says they are on.
	await analysis.getByLabel('Alleen open deuren').check();
	await expect(list.getByTestId('list-filters-also')).toHaveText(
		'Ook gefilterd op: alleen open deuren'
	);
	await page.screenshot({
		path: join(process.env.E2E_OUTPUT_DIR || 'test-results', 'shared-filters.png')
	});
	// "Filters wissen" in the Analyse panel clears the list's filter too.
	await analysis.getByRole('button', { name: 'Filters wissen' }).click();
	await expect(list.getByLabel('Thema')).toHaveValue('');
	await expect(list.getByTestId('list-filters-also')).toHaveCount(0);
	await expect.poll(() => listCount(page)).toBe(150);
	expect(errors).toEqual([]);
	await page.context().close();
});

test('a street chosen in the list narrows the map’s analysis', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(page);
	const list = page.getByTestId('list-view');
	const analysis = page.getByTestId('analysis-filters');
	expect(await legendTotal(page)).toBe(150);

	await list.getByRole('combobox', { name: 'Straat', exact: true }).selectOption('Valeriusstraat');
	// The Analyse panel shows the street; summary, legend and coverage count that street's doors.
	await expect(analysis.getByLabel('Straat')).toHaveValue('Valeriusstraat');
	await expect(page.getByTestId('analysis-summary')).toContainText('van 18 deuren');
	await expect.poll(() => legendTotal(page)).toBe(18);
	await page.getByText('Deurdekking per straat').click();
	// One street and the total.
	const coverage = page.getByTestId('coverage-table').locator('tbody tr[data-street]');
	await expect(coverage).toHaveCount(2);
	await expect(coverage.first()).toHaveAttribute('data-street', 'Valeriusstraat');
	await expect(coverage.first().locator('[data-col="doors"]')).toHaveText('18');
	// On the map only that street's doors stay bright.
	await expect
		.poll(async () => {
			const { bright, dimmed } = await brightStreets(page);
			return { bright, dimmedSome: dimmed > 0 };
		})
		.toEqual({ bright: ['Valeriusstraat'], dimmedSome: true });
	await expect.poll(() => listCount(page)).toBe(18);

	// "Filters wissen" in the list clears the map's filter as well.
	await list.getByTestId('list-filters-reset').click();
	await expect(analysis.getByLabel('Straat')).toHaveValue('');
	await expect(page.getByTestId('analysis-summary')).toContainText('van 150 deuren');
	await expect.poll(() => legendTotal(page)).toBe(150);
	expect(errors).toEqual([]);
	await page.context().close();
});

test('a presenter’s followers get the same filtered list and analysis', async ({ browser }) => {
	const olga = await demo.server.signedInPage(browser, demo.owner);
	const erik = await demo.server.signedInPage(browser, demo.users.erik);
	const errors = [...collectErrors(olga), ...collectErrors(erik)];
	for (const page of [olga, erik]) await open(page);

	await olga.getByTestId('present-button').click();
	await expect(erik.getByTestId('presence-banner')).toContainText('presenteert');

	// A theme in her Analyse panel, a street and the gesprekken tab in her list, open doors only.
	const mine = olga.getByTestId('analysis-filters');
	await mine.getByRole('combobox', { name: /^Thema/ }).selectOption({ label: 'Eenzaamheid' });
	await olga.getByTestId('list-view').getByRole('tab', { name: 'Gesprekken' }).click();
	await olga
		.getByTestId('list-view')
		.getByRole('combobox', { name: 'Straat', exact: true })
		.selectOption('Sweelinckstraat');
	await expect(olga.getByTestId('analysis-summary')).toContainText('van 18 deuren');
	const theme = await mine.getByRole('combobox', { name: /^Thema/ }).inputValue();

	const list = erik.getByTestId('list-view');
	const theirs = erik.getByTestId('analysis-filters');
	await expect(list.getByRole('tab', { name: 'Gesprekken' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await expect(list.getByLabel('Thema')).toHaveValue(theme);
	await expect(list.getByRole('combobox', { name: 'Straat', exact: true })).toHaveValue(
		'Sweelinckstraat'
	);
	await expect(theirs.getByRole('combobox', { name: /^Thema/ })).toHaveValue(theme);
	await expect(theirs.getByLabel('Straat')).toHaveValue('Sweelinckstraat');
	await expect(erik.getByTestId('analysis-summary')).toHaveText(
		(await olga.getByTestId('analysis-summary').textContent())!
	);
	await expect.poll(() => listCount(erik)).toBe(await listCount(olga));
	const rows = async (page: Page) =>
		page
			.getByTestId('list-view')
			.getByTestId('gesprek-table')
			.locator('tbody tr')
			.allTextContents();
	expect(await rows(erik)).toEqual(await rows(olga));

	// A criterion only the whole filter carries (older pages shared just the list's six fields).
	await mine.getByLabel('Alleen open deuren').check();
	await expect(theirs.getByLabel('Alleen open deuren')).toBeChecked();
	await expect(list.getByTestId('list-filters-also')).toHaveText(
		'Ook gefilterd op: alleen open deuren'
	);
	await expect(erik.getByTestId('analysis-summary')).toHaveText(
		(await olga.getByTestId('analysis-summary').textContent())!
	);
	await expect.poll(() => listCount(erik)).toBe(await listCount(olga));

	// A date typed with a six-digit year (the date field takes it) is not shared, and her followers
	// keep following (the server dropped her whole presence for it: they stopped, then lost her).
	const from = mine.getByLabel('Van', { exact: true });
	await from.focus();
	await olga.keyboard.type('0101202677');
	await expect(from).toHaveValue('202677-01-01');
	const zoom = (page: Page) =>
		page.evaluate(() => (window.__buurtbordMap! as unknown as import('maplibre-gl').Map).getZoom());
	const target = (await zoom(olga)) + 0.7;
	await olga.evaluate(
		(z) => (window.__buurtbordMap! as unknown as import('maplibre-gl').Map).jumpTo({ zoom: z }),
		target
	);
	await expect.poll(async () => Math.abs((await zoom(erik)) - target) < 0.01).toBe(true);

	// Her "Filters wissen" clears theirs.
	await mine.getByRole('button', { name: 'Filters wissen' }).click();
	await expect(theirs.getByLabel('Straat')).toHaveValue('');
	await expect(list.getByLabel('Thema')).toHaveValue('');
	await expect(theirs.getByLabel('Alleen open deuren')).not.toBeChecked();
	await expect(erik.getByTestId('analysis-summary')).toContainText('van 150 deuren');
	// Still following: clearing is the presenter's filter, not a choice of his own.
	await expect(erik.getByTestId('presence-banner')).toContainText('presenteert');

	// A filter of his own stops following, as before.
	await list.getByRole('combobox', { name: 'Straat', exact: true }).selectOption('Valeriusstraat');
	await expect(erik.getByTestId('rejoin-presenter')).toBeVisible();
	await expect(olga.getByTestId('analysis-summary')).toContainText('van 150 deuren');
	expect(errors).toEqual([]);
	for (const page of [olga, erik]) await page.context().close();
});
