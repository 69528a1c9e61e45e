import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { collectErrors } from './helpers';
import { demoStoryServer } from './own-server';

/**
 * The opbouwwerker's map on the demo board with its story (BUURTBORD_DEMO=true): address states
 * and themes on the map, the legend, filters that change map and lists at once, door coverage.
 */
const demo = demoStoryServer(4, 'analysis');

/** The board page, its map loaded (SwiftShader on a busy machine can take a while). */
async function openBoard(page: Page, _board: string, url: string) {
	await page.goto(`${url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
}

async function analysedPoints(page: Page) {
	return page.evaluate(() => {
		const map = window.__buurtbordMap! as unknown as import('maplibre-gl').Map;
		const layers = ['analysis-cluster-points', 'analysis-addresses'].filter((l) => map.getLayer(l));
		return map.queryRenderedFeatures({ layers }).map((f) => ({
			id: String(f.properties.id),
			state: String(f.properties.state),
			fill: String(f.properties.fill),
			match: Number(f.properties.match)
		}));
	});
}

test('the map shows each door’s state and themes, with a legend', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const errors = collectErrors(page);
	await page.setViewportSize({ width: 1400, height: 900 });
	await openBoard(page, 'spoorbuurt', demo.server.url);
	const legend = page.getByTestId('analysis-legend');
	await expect(legend).toBeVisible();
	const count = async (state: string) =>
		Number(await legend.getByTestId(`legend-count-${state}`).textContent());
	await expect.poll(() => count('spoken')).toBeGreaterThan(60);
	const counts = {
		open: await count('open'),
		noContact: await count('no-contact'),
		declined: await count('declined'),
		spoken: await count('spoken')
	};
	expect(counts.open + counts.noContact + counts.declined + counts.spoken).toBe(150);
	expect(counts.declined).toBeGreaterThan(0);
	expect(counts.noContact).toBeGreaterThan(0);

	// Points carry their state; spoken doors are coloured by their most named theme.
	await expect.poll(async () => (await analysedPoints(page)).length).toBeGreaterThan(50);
	const points = await analysedPoints(page);
	expect(new Set(points.map((p) => p.state))).toEqual(
		new Set(['open', 'no-contact', 'declined', 'spoken'])
	);
	const themeColours = ['#9467bd', '#2ca02c', '#8c564b', '#d62728', '#7f7f7f', '#ff7f0e'];
	expect(points.some((p) => p.state === 'spoken' && themeColours.includes(p.fill))).toBe(true);
	await page.screenshot({
		path: join(process.env.E2E_OUTPUT_DIR || 'test-results', 'analysis-map.png')
	});

	// Coverage per street: numbers that add up to the doors of that street.
	await page.getByText('Deurdekking per straat').click();
	const row = page.getByTestId('coverage-table').locator('tr[data-street="Sweelinckstraat"]');
	await expect(row.locator('[data-col="doors"]')).toHaveText('18');
	const cells = await Promise.all(
		['spoken', 'no-contact', 'declined', 'open'].map(async (c) =>
			Number(await row.locator(`[data-col="${c}"]`).textContent())
		)
	);
	expect(cells.reduce((a, b) => a + b, 0)).toBe(18);
	expect(errors).toEqual([]);
});

test('filters apply to the map and the lists at once', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.setViewportSize({ width: 1400, height: 900 });
	await openBoard(page, 'spoorbuurt', demo.server.url);
	const filters = page.getByTestId('analysis-filters');
	const summary = page.getByTestId('analysis-summary');
	await expect(summary).toContainText('van 150 deuren');

	// A street: the counts are that street's, the other streets' doors fade on the map.
	await filters.getByLabel('Straat').selectOption('Valeriusstraat');
	await expect(summary).toContainText('van 18 deuren');
	await expect
		.poll(async () => {
			const points = await analysedPoints(page);
			return points.some((p) => p.match === 0) && points.some((p) => p.match === 1);
		})
		.toBe(true);

	// Round 2 only: fewer doors spoken than over both rounds.
	const spokenBoth = Number((await summary.textContent())!.match(/^(\d+)/)![1]);
	await filters.getByLabel('Ronde').selectOption({ index: 2 });
	await expect
		.poll(async () => Number((await summary.textContent())!.match(/^(\d+)/)![1]))
		.toBeLessThan(spokenBoth);

	// Open doors only: the list of doors to walk, and only those stay bright on the map.
	await filters.getByLabel('Alleen open deuren').check();
	await page.getByText(/^Open deuren \(\d+\)$/).click();
	const doors = page.getByTestId('open-doors').locator('li');
	await expect(doors.first()).toBeVisible();
	const n = await doors.count();
	expect(n).toBeGreaterThan(0);
	for (const text of await doors.allTextContents()) expect(text).toContain('Valeriusstraat');

	await filters.getByRole('button', { name: 'Filters wissen' }).click();
	await expect(summary).toContainText('van 150 deuren');
});

// Was a defect: a filter change reached the map as an updateData with removeAllProperties, which
// MapLibre 6.17 applies by dropping every property (match too), so no point stayed bright.
test('open doors only: exactly the listed doors stay bright on the map', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.setViewportSize({ width: 1400, height: 900 });
	await openBoard(page, 'spoorbuurt', demo.server.url);
	const filters = page.getByTestId('analysis-filters');
	await filters.getByLabel('Straat').selectOption('Valeriusstraat');
	await filters.getByLabel('Ronde').selectOption({ index: 2 });
	await filters.getByLabel('Alleen open deuren').check();
	await page.getByText(/^Open deuren \(\d+\)$/).click();
	const doors = page.getByTestId('open-doors').locator('li');
	await expect(doors.first()).toBeVisible();
	const n = await doors.count();
	await expect
		.poll(async () => (await analysedPoints(page)).filter((p) => p.match === 1).length)
		.toBe(n);
});

test('exports download with the right content and are audited', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await openBoard(page, 'spoorbuurt', demo.server.url);
	await page.getByTestId('analysis-page-link').click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Analyse');
	const row = page.getByTestId('street-coverage').locator('tr[data-street="Sweelinckstraat"]');
	await expect(row.locator('[data-col="doors"]')).toHaveText('18');

	const form = page.getByTestId('export-form');
	const download = async () => {
		const [file] = await Promise.all([
			page.waitForEvent('download'),
			form.getByRole('button', { name: 'Downloaden' }).click()
		]);
		return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
	};

	// Anonymised street totals: BOM, semicolons, no street under 5 doors, small counts hidden.
	await form.getByLabel('Wat').selectOption({ label: 'Per straat (totalen)' });
	await form.getByLabel(/Geanonimiseerd/).check();
	const streets = await download();
	expect(streets.name).toBe('spoorbuurt-straten-anoniem.csv');
	expect(
		streets.text.startsWith('\uFEFFstraat;deuren;gesproken;geen_contact;geweigerd;open;')
	).toBe(true);
	expect(streets.text).toMatch(/\r\nSweelinckstraat;18;(\d+|niet getoond);/);
	expect(streets.text).not.toMatch(/;[1-4];|;[1-4]\r\n/);
	// Whatever is left out cannot be worked out from the doors and the rest (protectParts).
	for (const line of streets.text.split('\r\n').slice(1, -1)) {
		const [, doors, ...outcomes] = line.split(';').slice(0, 6);
		const shown = outcomes.filter((c) => c !== 'niet getoond').map(Number);
		if (shown.length < 4)
			expect(Number(doors) - shown.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
	}

	// Gesprekken (a professional): one row per gesprek with address, complex, VHE and outcome.
	await form.getByLabel(/Geanonimiseerd/).uncheck();
	await form.getByLabel('Wat').selectOption({ label: 'Gesprekken' });
	const gesprekken = await download();
	expect(gesprekken.name).toBe('spoorbuurt-gesprekken.csv');
	// Not trim(): it would take the BOM (a white-space character to JavaScript) too.
	const lines = gesprekken.text.replace(/\r\n$/, '').split('\r\n');
	expect(lines[0]).toBe(
		'\uFEFFid;adres;straat;postcode;complex;vhe;datum;ronde;gevoerd_door;uitkomst;themas;talenten;wensen;zorgen'
	);
	// The VHE column holds the unit number (it held the complex number before).
	expect(lines[1]).toMatch(/;SPB-\d+;10\d{5};/);
	expect(lines.length).toBeGreaterThan(150);
	expect(gesprekken.text).toContain(';niet-thuis;');
	expect(gesprekken.text).not.toContain('Woont hier al lang');

	// GeoJSON of the initiatieven.
	await form.getByLabel('Wat').selectOption({ label: 'Initiatieven' });
	await form.getByLabel('Bestandsformaat').selectOption('geojson');
	const initiatieven = await download();
	const geo = JSON.parse(initiatieven.text) as GeoJSON.FeatureCollection;
	expect(geo.features.map((f) => f.properties?.titel)).toContain('Buurtmoestuin');

	// Each download is in the audit log.
	await page.goto(`${demo.server.url}/boards/spoorbuurt/audit`);
	await expect(page.locator('[data-testid="audit-entry"][data-action="board.export"]')).toHaveCount(
		3
	);
});
