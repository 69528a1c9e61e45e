import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { collectErrors, openBoard, visibleAddresses } from './helpers';
import type { SeededUser } from '../support/accounts';
import { OwnServer } from './own-server';

// Its own server and data folder: merging and archiving the demo board's default themes must not
// change what other specs see.
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-themas-'));
	server = new OwnServer(ownPort(8), {
		BUURTBORD_DATA_DIR: dataDir
	});
	owner = await server.seedOwner();
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

const DATE = '2024-03-09';
const COLOUR = '#123456';
const COLOUR_RGB = 'rgb(18, 52, 86)';

/** Records a gesprek with these themes at a visible address (as in editing.spec.ts). */
async function recordGesprek(page: Page, heldBy: string, themes: string[]): Promise<string> {
	const addresses = await visibleAddresses(page);
	const target = addresses[5 % addresses.length]!;
	await page.mouse.click(target.x, target.y);
	const panel = page.getByTestId('address-panel');
	await expect(panel.getByRole('heading', { level: 2 })).toContainText(target.label);
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');
	await form.getByLabel('Datum', { exact: true }).fill(DATE);
	await form.getByLabel('Gevoerd door').fill(heldBy);
	for (const t of themes) await form.getByRole('checkbox', { name: t, exact: true }).check();
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panel.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	return target.label;
}

/** The gesprekken tab of the list, unfiltered, with the count it shows. */
async function gesprekList(page: Page) {
	const list = page.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	await list.getByLabel('Thema').selectOption({ label: 'Alle' });
	const rows = list.getByTestId('gesprek-table').locator('tbody tr');
	return { list, rows };
}

async function shownCount(page: Page): Promise<number> {
	const text = await page.getByTestId('list-view').getByTestId('list-count').textContent();
	return Number(/\d+/.exec(text ?? '')?.[0]);
}

test('themes renamed, recoloured, merged and archived in one browser show so in both, and no gesprek is lost', async ({
	browser
}) => {
	const contextA = await browser.newContext({ baseURL: server.url });
	const contextB = await browser.newContext({ baseURL: server.url });
	await server.signIn(contextA, owner);
	await server.signIn(contextB, owner);
	const pageA = await contextA.newPage();
	const pageB = await contextB.newPage();
	const errorsA = collectErrors(pageA);
	const errorsB = collectErrors(pageB);
	await openBoard(pageA);
	await openBoard(pageB);

	const heldBy = `Buurtwerker ${Date.now()}`;
	const newName = `Samen in de buurt ${Date.now()}`;
	const label = await recordGesprek(pageA, heldBy, ['Groen']);

	// Both browsers list the gesprek under Groen; note the totals, and how many gesprekken have
	// Groen or Ontmoeting (after the merge, exactly these count for the renamed Ontmoeting).
	const before: { total: number; groenOrOntmoeting: number }[] = [];
	for (const page of [pageA, pageB]) {
		const { rows } = await gesprekList(page);
		const row = rows.filter({ hasText: label }).filter({ hasText: DATE });
		await expect(row).toHaveCount(1);
		await expect(row).toContainText('Groen');
		await expect.poll(() => shownCount(page)).toBe(await rows.count());
		before.push({
			total: await shownCount(page),
			groenOrOntmoeting: await rows.evaluateAll(
				(trs) =>
					trs.filter((tr) =>
						/\b(Groen|Ontmoeting)\b/.test((tr as HTMLTableRowElement).cells[4]?.textContent ?? '')
					).length
			)
		});
	}
	expect(before[1]).toEqual(before[0]);

	// A is looking at the gesprekken about Groen while B merges Groen away.
	const { list: listA } = await gesprekList(pageA);
	await listA.getByLabel('Thema').selectOption({ label: 'Groen' });
	const rowA = listA
		.getByTestId('gesprek-table')
		.locator('tbody tr')
		.filter({ hasText: label })
		.filter({ hasText: DATE });
	await expect(rowA).toHaveCount(1);

	// B manages the themes.
	await pageB.getByRole('button', { name: "Thema's beheren" }).click();
	const managerB = pageB.getByTestId('thema-manager');
	await managerB.getByLabel('Naam van Ontmoeting', { exact: true }).fill(newName);
	await managerB.getByLabel('Naam van Ontmoeting', { exact: true }).press('Tab');
	await expect(managerB.getByLabel(`Naam van ${newName}`, { exact: true })).toHaveValue(newName);
	await managerB.getByLabel(`Kleur van ${newName}`, { exact: true }).fill(COLOUR);
	const groenRow = managerB
		.getByTestId('thema-row')
		.filter({ has: pageB.getByLabel('Naam van Groen', { exact: true }) });
	await groenRow.getByLabel('Groen samenvoegen met').selectOption({ label: newName });
	await groenRow.getByRole('button', { name: 'Samenvoegen', exact: true }).click();
	await managerB.getByRole('button', { name: 'Overlast archiveren' }).click();

	// A's filter follows the merge to the theme that holds the links now: the gesprek stays in view.
	await expect(listA.getByLabel('Thema').locator('option:checked')).toHaveText(newName);
	await expect(rowA).toHaveCount(1);

	for (const page of [pageA, pageB]) {
		// The manager: the new name and colour; Groen and Overlast only under Gearchiveerd.
		await page.getByRole('button', { name: "Thema's beheren" }).click();
		const manager = page.getByTestId('thema-manager');
		const rows = manager.getByTestId('thema-row');
		await expect(rows.getByLabel(`Naam van ${newName}`, { exact: true })).toHaveValue(newName);
		await expect(rows.getByLabel(`Kleur van ${newName}`, { exact: true })).toHaveValue(COLOUR);
		await expect(rows.getByLabel('Naam van Ontmoeting', { exact: true })).toHaveCount(0);
		await expect(rows.getByLabel('Naam van Groen', { exact: true })).toHaveCount(0);
		await expect(rows.getByLabel('Naam van Overlast', { exact: true })).toHaveCount(0);
		const archived = manager
			.getByRole('heading', { name: 'Gearchiveerd' })
			.locator('xpath=following-sibling::ul[1]');
		await expect(archived.getByRole('listitem').filter({ hasText: 'Groen' })).toContainText(
			`(samengevoegd met ${newName})`
		);
		await expect(archived.getByRole('listitem').filter({ hasText: 'Overlast' })).toContainText(
			'Terugzetten'
		);

		// The list: nothing lost, the gesprek under the renamed theme, the old ones not offered.
		const { list, rows: gesprekRows } = await gesprekList(page);
		const row = gesprekRows.filter({ hasText: label }).filter({ hasText: DATE });
		await expect(row).toContainText(newName);
		await expect(row).not.toContainText('Groen');
		await expect.poll(() => shownCount(page)).toBe(before[0]!.total);
		const filter = list.getByLabel('Thema');
		await expect(filter.locator('option', { hasText: 'Groen' })).toHaveCount(0);
		await expect(filter.locator('option', { hasText: 'Overlast' })).toHaveCount(0);
		await expect(filter.locator('option', { hasText: 'Ontmoeting' })).toHaveCount(0);
		await filter.selectOption({ label: newName });
		await expect(row).toHaveCount(1);
		await expect.poll(() => shownCount(page)).toBe(before[0]!.groenOrOntmoeting);
		await expect(gesprekRows).toHaveCount(before[0]!.groenOrOntmoeting);

		// The address: the gesprek carries the renamed, recoloured theme.
		await row.getByRole('button').click();
		const panel = page.getByTestId('address-panel');
		await expect(panel.getByRole('heading', { level: 2 })).toContainText(label);
		const item = panel.getByTestId('history-item').filter({ hasText: heldBy });
		const chips = item.locator('.chips li');
		await expect(chips).toHaveText([newName]);
		await expect(chips.locator('.swatch')).toHaveCSS('background-color', COLOUR_RGB);

		// Its form: the renamed theme checked; merged and archived ones not offered.
		const form = panel.getByTestId('gesprek-form');
		await expect(form.getByRole('checkbox', { name: newName, exact: true })).toBeChecked();
		for (const gone of ['Groen', 'Overlast', 'Ontmoeting'])
			await expect(form.getByRole('checkbox', { name: gone, exact: true })).toHaveCount(0);
		// A new gesprek is offered the same themes, none checked.
		await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
		await expect(form.getByRole('heading', { level: 3 })).toHaveText('Nieuw gesprek');
		await expect(form.getByRole('checkbox', { name: newName, exact: true })).not.toBeChecked();
		await expect(form.getByRole('checkbox', { name: 'Veiligheid', exact: true })).toBeVisible();
		for (const gone of ['Groen', 'Overlast', 'Ontmoeting'])
			await expect(form.getByRole('checkbox', { name: gone, exact: true })).toHaveCount(0);
		await form.getByRole('button', { name: 'Annuleren' }).click();
		await expect(item).toBeVisible();
	}
	expect(errorsA).toEqual([]);
	expect(errorsB).toEqual([]);
});

test('a theme renamed by one while another types its name: the typing stays, and both are kept', async ({
	browser
}) => {
	const pages: Page[] = [];
	for (let i = 0; i < 2; i++) {
		const context = await browser.newContext({ baseURL: server.url });
		await server.signIn(context, owner);
		const page = await context.newPage();
		await openBoard(page);
		await page.getByRole('button', { name: "Thema's beheren" }).click();
		pages.push(page);
	}
	const [pageA, pageB] = pages as [Page, Page];
	const errors = pages.map(collectErrors);
	const managerA = pageA.getByTestId('thema-manager');
	const managerB = pageB.getByTestId('thema-manager');
	const nameA = managerA.locator('[data-thema-id="vergrijzing"] input:not([type=color])');

	// A types on at the end of "Vergrijzing", not done yet.
	await nameA.click();
	await nameA.press('End');
	await nameA.pressSequentially(' en zorg');
	// Meanwhile B renames it (and leaves the field, which saves).
	const nameB = managerB.getByLabel('Naam van Vergrijzing', { exact: true });
	await nameB.fill('Vergrijzing in de wijk');
	await nameB.press('Tab');
	// B's name reaches A (its label says so); A's typing is still there.
	await expect(
		managerA.getByLabel('Naam van Vergrijzing in de wijk', { exact: true })
	).toBeVisible();
	await expect(nameA).toHaveValue('Vergrijzing en zorg');
	await expect(nameA).toBeFocused();

	// A presses Enter: both additions, in both browsers.
	await nameA.press('Enter');
	const both = 'Vergrijzing in de wijk en zorg';
	for (const manager of [managerA, managerB]) {
		await expect(manager.getByLabel(`Naam van ${both}`, { exact: true })).toHaveValue(both);
	}
	expect(errors.flat()).toEqual([]);
	await Promise.all(pages.map((page) => page.context().close()));
});
