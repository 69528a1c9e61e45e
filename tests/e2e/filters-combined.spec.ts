import { expect, test, type Page } from './test';
import { collectErrors } from './helpers';
import { demoStoryServer } from './own-server';

/**
 * Every criterion of the board's filter applies together, on the map and in the list beside it:
 * "open doors only" with an outcome or a theme keeps the open doors that match it too, and the
 * map's initiatieven are the list's (theme, street, status). On the demo board with its story
 * (150 doors, 24 still to walk, 17 of them with a "niet thuis"; 5 initiatieven, 2 on "groen").
 */
const demo = demoStoryServer(13, 'filters-combined');

// A Chromium page with a WebGL map (SwiftShader) on a shared machine: more time.
test.setTimeout(180_000);

async function open(page: Page, query: string): Promise<void> {
	await page.setViewportSize({ width: 1400, height: 900 });
	await page.goto(`${demo.server.url}/boards/spoorbuurt${query}`);
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

/** The ids of the doors the map shows bright (its analysis source, whatever is on screen). */
async function brightDoors(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const map = window.__buurtbordMap! as unknown as import('maplibre-gl').Map;
		const source =
			map.getSource<import('maplibre-gl').GeoJSONSource>('analysis-clusters') ??
			map.getSource<import('maplibre-gl').GeoJSONSource>('analysis-points');
		if (!source) return Object.keys(map.getStyle().sources);
		const data = (await source.getData()) as GeoJSON.FeatureCollection;
		return data.features
			.filter((f) => Number(f.properties?.match) === 1)
			.map((f) => String(f.properties?.id))
			.sort();
	});
}

/** The titles of the initiatieven on the map. */
async function mapInitiatieven(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const map = window.__buurtbordMap! as unknown as import('maplibre-gl').Map;
		const source = map.getSource<import('maplibre-gl').GeoJSONSource>('initiatieven');
		const data = (await source!.getData()) as GeoJSON.FeatureCollection;
		return data.features.map((f) => String(f.properties?.title)).sort();
	});
}

async function listedInitiatieven(page: Page): Promise<string[]> {
	const list = page.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Initiatieven' }).click();
	const titles = await list
		.getByTestId('initiatief-table')
		.locator('tbody tr th')
		.allTextContents();
	return titles.map((t) => t.trim()).sort();
}

test('open doors only with an outcome or a theme: the doors that pass both, map and list alike', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(page, '?open=1');
	await expect.poll(() => listCount(page)).toBe(24);
	// "Niet thuis" and open doors: 17 of the 24 (was: all 24, the outcome ignored).
	const analysis = page.getByTestId('analysis-filters');
	await analysis.getByLabel('Uitkomst').selectOption({ label: 'Niet thuis' });
	await expect.poll(() => listCount(page)).toBe(17);
	// The map lights up exactly the doors the list holds.
	await expect.poll(() => brightDoors(page)).toHaveLength(17);
	const bright = await brightDoors(page);
	const rows = page.getByTestId('list-view').getByTestId('address-table').locator('tbody tr');
	const listed = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row-id')));
	expect(listed.sort()).toEqual(bright);

	// A theme is only heard where someone was spoken to: no open door matches it.
	await analysis.getByLabel('Uitkomst').selectOption('');
	await analysis.getByRole('combobox', { name: /^Thema/ }).selectOption({ label: 'Eenzaamheid' });
	await expect.poll(() => listCount(page)).toBe(0);
	await expect.poll(() => brightDoors(page)).toEqual([]);
	expect(errors).toEqual([]);
	await page.context().close();
});

test('the map shows the initiatieven the list shows: by theme, street and status', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(page, '');
	await expect.poll(() => mapInitiatieven(page)).toHaveLength(5);

	const list = page.getByTestId('list-view');
	await list.getByLabel('Thema').selectOption({ label: 'Groen' });
	await expect
		.poll(() => mapInitiatieven(page))
		.toEqual(['Buurtmoestuin', 'Voortuinen als ontmoetingsplek']);
	expect(await listedInitiatieven(page)).toEqual(await mapInitiatieven(page));

	// The status (the list's own) applies on the map too; a street keeps those at its addresses.
	await list.getByLabel('Thema').selectOption('');
	await list.getByLabel('Status').selectOption({ label: 'Loopt' });
	await expect.poll(() => mapInitiatieven(page)).toHaveLength(2);
	expect(await listedInitiatieven(page)).toEqual(await mapInitiatieven(page));
	await list.getByRole('combobox', { name: 'Straat', exact: true }).selectOption('Sweelinckstraat');
	await expect.poll(() => mapInitiatieven(page)).toEqual(['Koffieochtend in de Sweelinckstraat']);

	// Criteria on doors leave them be, on the map as in the list (which says so).
	await list.getByTestId('list-filters-reset').click();
	await page.getByTestId('analysis-filters').getByLabel('Alleen open deuren').check();
	await expect.poll(() => mapInitiatieven(page)).toHaveLength(5);
	await expect(list.getByTestId('list-filters-not-initiatieven')).toContainText('op de kaart');
	expect(errors).toEqual([]);
	await page.context().close();
});

test('the lists are in street and number order, or newest first when asked', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await open(page, '');
	const list = page.getByTestId('list-view');
	const collator = new Intl.Collator('nl');
	/** "Spoorstraat 12a" → street and number. */
	const place = (text: string): [string, number] => {
		const [, street, number] = text.trim().match(/^(.*?)\s+(\d+)/)!;
		return [street!, Number(number)];
	};
	const byPlace = (x: string, y: string) => {
		const [a, b] = [place(x), place(y)];
		return collator.compare(a[0], b[0]) || a[1] - b[1];
	};
	const ordered = <T>(items: T[], compare: (x: T, y: T) => number) =>
		items.every((item, i) => i === 0 || compare(items[i - 1]!, item) <= 0);

	const doors = await list.getByTestId('address-table').locator('tbody tr th').allTextContents();
	expect(doors.length).toBeGreaterThan(100);
	expect(ordered(doors, byPlace)).toBe(true);

	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	const rows = async () =>
		list
			.getByTestId('gesprek-table')
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => ({
					place: tr.querySelector('th')!.textContent!.trim(),
					date: tr.querySelector('td')!.textContent!.trim()
				}))
			);
	const byStreet = await rows();
	expect(byStreet.length).toBeGreaterThan(100);
	// By address; one door's gesprekken newest first.
	expect(
		ordered(byStreet, (x, y) => byPlace(x.place, y.place) || y.date.localeCompare(x.date))
	).toBe(true);

	await list.getByLabel('Sorteren op').selectOption({ label: 'Datum (nieuwste eerst)' });
	await expect
		.poll(async () => (await rows())[0]?.date)
		.toBe([...byStreet].sort((x, y) => y.date.localeCompare(x.date))[0]!.date);
	expect(ordered(await rows(), (x, y) => y.date.localeCompare(x.date))).toBe(true);
	expect(errors).toEqual([]);
	await page.context().close();
});
