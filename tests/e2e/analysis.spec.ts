import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { collectErrors, openAddressFromPicker } from './helpers';
import { demoStoryServer } from './own-server';
import { DEFAULT_THEMA_LABELS } from '../../src/lib/board/labels';

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
		'\uFEFFid;adres;straat;postcode;complex;vhe;datum;ronde;gevoerd_door;uitkomst;themas;talenten;wensen;zorgen;toestemming'
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

	// The same gesprekken with their shared notes: another file name.
	await form.getByLabel('Wat').selectOption({ label: 'Gesprekken' });
	await form.getByLabel('Bestandsformaat').selectOption('csv');
	await form.getByLabel(/Met gedeelde notities/).check();
	const withNotes = await download();
	expect(withNotes.name).toBe('spoorbuurt-gesprekken-met-notities.csv');
	expect(withNotes.text.split('\r\n')[0]).toMatch(/;toestemming;notities$/);

	// Each download is in the audit log, saying what it held (never what was in it). Was a
	// defect: the subject column showed "–" for every export.
	await page.goto(`${demo.server.url}/boards/spoorbuurt/audit`);
	const exports = page.locator('[data-testid="audit-entry"][data-action="board.export"]');
	await expect(exports).toHaveCount(4);
	// Newest first.
	await expect(exports.getByTestId('audit-export')).toHaveText([
		'Gesprekken · CSV · niet geanonimiseerd · met gedeelde notities',
		'Initiatieven · GeoJSON · niet geanonimiseerd',
		'Gesprekken · CSV · niet geanonimiseerd · zonder notities',
		'Per straat (totalen) · CSV · geanonimiseerd'
	]);
});

// Was a defect: theme, outcome and "gevoerd door" recomputed each door's state from the matching
// gesprekken only, so Thema = Eenzaamheid said "35 van 150 deuren gesproken, 115 open" and listed
// doors with gesprekken as still to walk.
test('a theme, outcome or holder filter picks doors; spoken doors stay spoken', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.setViewportSize({ width: 1400, height: 900 });
	await openBoard(page, 'spoorbuurt', demo.server.url);
	const filters = page.getByTestId('analysis-filters');
	const summary = page.getByTestId('analysis-summary');
	const legend = page.getByTestId('analysis-legend');
	const openDoorsHeading = page.getByText(/^Open deuren \(\d+\)$/);
	await expect(summary).toContainText('van 150 deuren');
	const legendCounts = () =>
		Promise.all(
			['open', 'no-contact', 'declined', 'spoken'].map(
				async (state) => (await legend.getByTestId(`legend-count-${state}`).textContent())!
			)
		);
	await expect.poll(async () => Number((await legendCounts())[3])).toBeGreaterThan(60);
	const before = {
		summary: (await summary.textContent())!.trim(),
		legend: await legendCounts(),
		open: (await openDoorsHeading.textContent())!
	};
	const spoken = Number(before.legend[3]);
	await expect(page.getByTestId('analysis-matching')).toHaveCount(0);

	for (const [label, option] of [
		[/^Thema/, { label: 'Eenzaamheid' }],
		[/^Uitkomst/, { label: 'Niet thuis' }],
		[/^Gevoerd door/, { index: 1 }]
	] as const) {
		const select = filters.getByRole('combobox', { name: label });
		await select.selectOption(option);
		// Some doors match, and the doors' states, the open doors and the legend are as before.
		const matching = page.getByTestId('analysis-matching');
		await expect(matching).toContainText(/\d+ daarvan passen bij het filter/);
		const n = Number(/(\d+) daarvan/.exec((await matching.textContent())!)![1]);
		expect(n, String(label)).toBeGreaterThan(0);
		expect(n, String(label)).toBeLessThan(150);
		await expect(summary).toContainText(before.summary);
		expect(await legendCounts(), String(label)).toEqual(before.legend);
		await expect(openDoorsHeading).toHaveText(before.open);
		await select.selectOption('');
	}

	// On the map a doors that matches a theme keeps its state: points are bright or faded,
	// never "not visited" because another theme was heard there.
	await filters.getByLabel('Weergave').selectOption({ label: 'Adressen' });
	await filters.getByRole('combobox', { name: /^Thema/ }).selectOption({ label: 'Eenzaamheid' });
	await expect
		.poll(async () => {
			const points = await analysedPoints(page);
			return points.some((p) => p.match === 0 && p.state === 'spoken');
		})
		.toBe(true);
	const points = await analysedPoints(page);
	expect(points.filter((p) => p.match === 1).every((p) => p.state === 'spoken')).toBe(true);
	expect(points.filter((p) => p.state === 'spoken').length).toBeLessThanOrEqual(spoken);
	await page.close();
});

// Was a defect: the popup of a cluster listed the themes as stored ("vergrijzing: 8"), lower case
// and in Dutch on an English page, while the legend said "Ageing".
test('the cluster popup names the themes as the legend does, in the page’s language', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.setViewportSize({ width: 1400, height: 900 });
	await openBoard(page, 'spoorbuurt', demo.server.url);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
	await page.evaluate(() =>
		(window.__buurtbordMap! as unknown as import('maplibre-gl').Map).jumpTo({ zoom: 14.2 })
	);
	const box = (await page.getByTestId('board-map').boundingBox())!;
	let cluster: { x: number; y: number } | undefined;
	await expect
		.poll(async () => {
			cluster = await page.evaluate(() => {
				const map = window.__buurtbordMap! as unknown as import('maplibre-gl').Map;
				const found = map
					.queryRenderedFeatures({ layers: ['analysis-cluster-circles'] })
					.sort((a, b) => Number(b.properties.point_count) - Number(a.properties.point_count));
				if (!found[0]) return undefined;
				const at = map.project(
					(found[0].geometry as GeoJSON.Point).coordinates as [number, number]
				);
				return { x: at.x, y: at.y };
			});
			return cluster !== undefined;
		})
		.toBe(true);
	await page.mouse.move(box.x + cluster!.x, box.y + cluster!.y);
	const popup = page.locator('.cluster-popup');
	await expect(popup).toBeVisible();
	const items = await popup.locator('li').allTextContents();
	expect(items.length).toBeGreaterThan(0);
	// Every name is a standard theme's English label (the demo has only standard themes).
	const english = Object.values(DEFAULT_THEMA_LABELS.en) as string[];
	for (const item of items) expect(english, item).toContain(item.replace(/: \d+$/, ''));
	await page.getByRole('button', { name: 'Nederlands' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await page.close();
});

// Was a defect: radius=abc (a hand-edited address) dropped the distance limit and emptied the field.
test('a radius that is not a number is the default radius', async ({ browser }) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const base = `${demo.server.url}/boards/spoorbuurt/analyse`;
	await page.goto(base);
	const near = await page
		.getByLabel('Bij initiatief')
		.locator('option')
		.nth(1)
		.getAttribute('value');
	const rows = async (radius: string) => {
		await page.goto(`${base}?talent=&near=${near}&radius=${radius}`);
		await expect(page.getByLabel('Binnen (meter)')).toHaveValue('300');
		const table = page.getByTestId('talents-table');
		return (await table.count()) ? table.locator('tbody tr').allTextContents() : [];
	};
	const standard = await rows('300');
	expect(await rows('abc')).toEqual(standard);
	expect(await rows('-5')).toEqual(standard);
	await page.goto(`${base}?talent=`);
	expect(await page.getByTestId('talents-table').locator('tbody tr').count()).toBeGreaterThan(
		standard.length
	);
	await page.close();
});

// Was a privacy defect: a household whose consent was withdrawn ("Ingetrokken") was still offered
// in "Talenten zoeken" and exported with its talents, wishes and worries, with nothing saying so.
// Last in this file: it changes the demo's data.
test('a household that withdrew consent is not offered for activation and is exported without what it said', async ({
	browser
}) => {
	const page = await demo.server.signedInPage(browser, demo.owner);
	const base = `${demo.server.url}/boards/spoorbuurt/analyse`;
	await page.goto(`${base}?talent=`);
	const first = page.getByTestId('talents-table').locator('tbody tr').first();
	const address = (await first.locator('td').first().textContent())!.trim();
	const talents = (await first.locator('td').nth(1).textContent())!.split(', ');
	expect(talents.length).toBeGreaterThan(0);

	// Withdrawn in the address panel: on one gesprek, for the whole household, once confirmed.
	await openBoard(page, 'spoorbuurt', demo.server.url);
	await openAddressFromPicker(page, address);
	const panel = page.getByTestId('address-panel');
	const items = panel.getByTestId('history-item');
	const n = await items.count();
	expect(n).toBeGreaterThan(0);
	await items.first().getByRole('button', { name: 'Bewerken' }).click();
	await panel.getByTestId('gesprek-form').getByRole('checkbox', { name: 'Ingetrokken' }).click();
	await page
		.getByTestId('withdraw-dialog')
		.getByRole('button', { name: 'Ja, toestemming ingetrokken' })
		.click();
	await expect(panel.getByTestId('consent-withdrawn')).toBeVisible();
	await expect(panel.getByTestId('gesprek-form')).toHaveCount(0);

	// Not offered any more (the analysis reads what the server stored: a moment later).
	await expect
		.poll(async () => {
			await page.goto(`${base}?talent=`);
			return page.getByTestId('talents-table').locator('tbody tr td:first-child').allTextContents();
		})
		.not.toContain(address);
	await expect(
		page.getByText(/toestemming hebben ingetrokken worden hier nooit getoond/)
	).toBeVisible();

	// The full export keeps its visits, marked, without its themes, talents, wishes or worries.
	const form = page.getByTestId('export-form');
	await form.getByLabel('Wat').selectOption({ label: 'Gesprekken' });
	await form.getByLabel(/Met gedeelde notities/).check();
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		form.getByRole('button', { name: 'Downloaden' }).click()
	]);
	const lines = readFileSync((await file.path())!, 'utf8').split('\r\n');
	const header = lines[0]!.replace('\uFEFF', '').split(';');
	const rows = lines
		.slice(1)
		.map((l) => l.split(';'))
		.filter((cells) => cells[header.indexOf('adres')] === address);
	expect(rows).toHaveLength(n);
	for (const cells of rows) {
		expect(cells[header.indexOf('toestemming')]).toBe('ingetrokken');
		for (const column of ['themas', 'talenten', 'wensen', 'zorgen', 'notities'])
			expect(cells[header.indexOf(column)], column).toBe('');
		expect(cells[header.indexOf('uitkomst')]).not.toBe('');
	}
	// Other households keep theirs; a spoken one says its consent was given.
	const others = lines.slice(1, -1).map((l) => l.split(';'));
	expect(others.some((c) => c[header.indexOf('toestemming')] === 'gegeven')).toBe(true);
	expect(others.some((c) => c[header.indexOf('talenten')] !== '')).toBe(true);
	await page.close();
});
