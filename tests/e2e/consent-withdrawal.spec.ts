import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { addGesprek } from '../../src/lib/board';
import { openDb } from '../../src/lib/server/db';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced } from '../support/clients';
import { collectErrors, openBoard, visibleAddresses } from './helpers';
import { OwnServer } from './own-server';
import { today } from '../../src/routes/boards/[id]/deur/door';

/**
 * Withdrawn consent, as the people involved see it (AVG): an editor hears "I withdraw my consent"
 * and ticks "Ingetrokken", after a confirmation that says what will be erased and that unticking
 * within the grace period undoes it; a colleague with the same gesprek open sees its personal
 * fields give way to a notice at once; the owner sees a count on the board page and erases the
 * household from the settings' list; afterwards none of the household's text is on any page, nor
 * in the stored document.
 */

// Its own server and data folder: the erasure must not touch what other specs see.
let dataDir: string;
let server: OwnServer;
let users: Record<'owner' | 'editor' | 'colleague', SeededUser>;

// Three browsers each load the board and its map: on a loaded 2-core machine that takes a while.
test.describe.configure({ timeout: 240_000 });

/** Only this household's data holds these. */
const SECRET = {
	talent: 'Kanprachtigbreienxq',
	wish: 'Wiltbuurtcafeopzettenxq',
	worry: 'Schuldenbijdeenergiexq',
	followUp: 'Belschuldhulpverlenerxq',
	notes: 'Vertrouwelijkverhaalovergezinxq'
};
const HELD_BY = 'Wijkcoach Anouk';
const KEPT_TALENT = 'Blijvendtalentkokenxq';

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-consent-'));
	server = new OwnServer(ownPort(2), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: ''
	});
	users = await seedServerUsers(
		{ dataDir },
		{
			owner: {
				org: 'Buurtteam Spoorbuurt',
				displayName: 'Eigenaar',
				boards: { spoorbuurt: 'owner' }
			},
			editor: { org: 'Woonwaarts', displayName: 'Redacteur', boards: { spoorbuurt: 'editor' } },
			colleague: { org: 'Woonwaarts', displayName: 'Collega', boards: { spoorbuurt: 'editor' } }
		}
	);
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the household's gesprek in the form. */
async function openGesprek(page: Page, label: string) {
	const list = page.getByTestId('list-view');
	await list.getByRole('button', { name: label, exact: true }).first().click();
	const panel = page.getByTestId('address-panel');
	await expect(panel.getByRole('heading', { level: 2 })).toContainText(label);
	await panel.getByTestId('history-item').filter({ hasText: HELD_BY }).getByRole('button').click();
	const form = panel.getByTestId('gesprek-form');
	await expect(form.getByText(SECRET.talent)).toBeVisible();
	return { panel, form };
}

/** What the page holds: its markup, and what its fields hold (a textarea's value is no markup). */
function pageText(page: Page): Promise<string> {
	return page.evaluate(() =>
		[
			document.documentElement.outerHTML,
			...[...document.querySelectorAll('input, textarea')].map(
				(field) => (field as HTMLInputElement).value
			)
		].join('\n')
	);
}

/** None of the household's text is anywhere in the page. */
async function expectNoSecrets(page: Page) {
	const text = await pageText(page);
	for (const secret of Object.values(SECRET)) expect(text, secret).not.toContain(secret);
}

test('at the door, unticking the consent asks first, and the household’s data gives way to a notice', async ({
	browser
}) => {
	const page = await server.signedInPage(browser, users.colleague);
	const errors = collectErrors(page);
	await openBoard(page, 'spoorbuurt', server.url);
	const target = (await visibleAddresses(page))[9]!;
	const client = connectClient(server.port, 'spoorbuurt', { cookie: users.colleague.cookie });
	try {
		await whenSynced(client);
		// Today's gesprek of this professional: the one door mode edits.
		const date = today();
		addGesprek(client.doc, {
			addressId: target.id,
			date,
			heldBy: 'Collega',
			outcome: 'gesproken',
			talents: ['Deurtalentfietsenxq'],
			consent: { recordedBy: 'Collega', date }
		});
	} finally {
		client.destroy();
	}
	const street = target.label.replace(/ \d.*$/, '');
	await page.goto(
		`${server.url}/boards/spoorbuurt/deur?straat=${encodeURIComponent(street)}&deur=${target.id}`
	);
	const card = page.getByTestId('door-card');
	await expect(card.getByTestId('door-address')).toHaveText(target.label);
	await expect(card.getByText('Deurtalentfietsenxq', { exact: true })).toBeVisible();
	const consent = card.getByRole('checkbox', { name: 'Toestemming om dit vast te leggen' });
	await expect(consent).toBeChecked();

	await consent.click();
	const dialog = page.getByTestId('withdraw-dialog');
	await expect(dialog).toContainText('automatisch na 7 dagen');
	await dialog.getByRole('button', { name: 'Annuleren' }).click();
	await expect(consent).toBeChecked();
	await expect(card.getByText('Deurtalentfietsenxq', { exact: true })).toBeVisible();

	await consent.click();
	await dialog.getByRole('button', { name: 'Ja, toestemming ingetrokken' }).click();
	await expect(card.getByTestId('consent-withdrawn')).toContainText('Toestemming ingetrokken');
	await expect(card.getByText(/Deurtalentfietsenxq/)).toHaveCount(0);
	await expect(card.getByRole('checkbox')).toHaveCount(0);

	// A misclick: undone at the door too.
	await card.getByRole('button', { name: 'Intrekking ongedaan maken' }).click();
	await expect(card.getByTestId('consent-withdrawn')).toHaveCount(0);
	await expect(card.getByText('Deurtalentfietsenxq', { exact: true })).toBeVisible();
	expect(errors).toEqual([]);
	await page.context().close();
});

test('an editor withdraws consent, a colleague sees it live, the owner erases it from the settings', async ({
	browser
}) => {
	const editorPage = await server.signedInPage(browser, users.editor);
	const colleaguePage = await server.signedInPage(browser, users.colleague);
	const errors = [...collectErrors(editorPage), ...collectErrors(colleaguePage)];
	await openBoard(editorPage, 'spoorbuurt', server.url);
	await openBoard(colleaguePage, 'spoorbuurt', server.url);
	const addresses = await visibleAddresses(editorPage);
	const target = addresses[5 % addresses.length]!;
	const other = addresses[6 % addresses.length]!;

	// The household, written as an editor's app would, and a neighbour that stays.
	const client = connectClient(server.port, 'spoorbuurt', { cookie: users.editor.cookie });
	try {
		await whenSynced(client);
		addGesprek(client.doc, {
			addressId: target.id,
			date: '2026-11-20',
			heldBy: HELD_BY,
			outcome: 'gesproken',
			talents: [SECRET.talent],
			wishes: [SECRET.wish],
			worries: [SECRET.worry],
			followUps: [{ what: SECRET.followUp }],
			consent: { recordedBy: HELD_BY, date: '2026-11-20' },
			notes: SECRET.notes
		});
		addGesprek(client.doc, {
			addressId: other.id,
			date: '2026-11-20',
			heldBy: 'Buurman',
			outcome: 'gesproken',
			talents: [KEPT_TALENT]
		});
	} finally {
		client.destroy();
	}

	// Both have the gesprek open.
	const editor = await openGesprek(editorPage, target.label);
	const colleague = await openGesprek(colleaguePage, target.label);
	await expect(colleague.form.getByLabel('Notities (alleen professionals)')).toHaveValue(
		SECRET.notes
	);
	// The check below can fail: before the withdrawal, every secret is in the colleague's page.
	const before = await pageText(colleaguePage);
	for (const secret of Object.values(SECRET)) expect(before, secret).toContain(secret);

	// Ticking asks first, and says what happens; cancelling changes nothing.
	const box = editor.form.getByRole('checkbox', { name: 'Ingetrokken' });
	await box.click();
	const dialog = editorPage.getByTestId('withdraw-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('heading')).toHaveText(
		'Heeft dit huishouden zijn toestemming ingetrokken?'
	);
	await expect(dialog).toContainText('Alleen het adres zelf blijft');
	await expect(dialog).toContainText('automatisch na 7 dagen');
	await expect(dialog).toContainText('Zet het vinkje binnen die 7 dagen weer uit');
	await dialog.getByRole('button', { name: 'Annuleren' }).click();
	await expect(dialog).toBeHidden();
	await expect(box).not.toBeChecked();
	await expect(colleague.form.getByText(SECRET.talent)).toBeVisible();

	// Confirmed: the personal fields give way to a notice, in both browsers at once.
	await box.click();
	await dialog.getByRole('button', { name: 'Ja, toestemming ingetrokken' }).click();
	for (const { panel } of [editor, colleague]) {
		await expect(panel.getByTestId('consent-withdrawn')).toContainText('Toestemming ingetrokken');
		await expect(panel.getByTestId('gesprek-form')).toHaveCount(0);
		await expect(panel.getByRole('button', { name: 'Nieuw gesprek' })).toHaveCount(0);
	}
	await expectNoSecrets(editorPage);
	await expectNoSecrets(colleaguePage);

	// A misclick is undone by the colleague: the data is back for both, nothing will be erased.
	await colleague.panel.getByRole('button', { name: 'Intrekking ongedaan maken' }).click();
	await expect(colleague.panel.getByTestId('consent-withdrawn')).toHaveCount(0);
	await expect(editor.panel.getByTestId('consent-withdrawn')).toHaveCount(0);
	await expect(editor.form.getByText(SECRET.talent)).toBeVisible();

	// Ticked again, for real.
	await editor.form.getByRole('checkbox', { name: 'Ingetrokken' }).click();
	await dialog.getByRole('button', { name: 'Ja, toestemming ingetrokken' }).click();
	await expect(colleague.panel.getByTestId('consent-withdrawn')).toBeVisible();
	await expectNoSecrets(colleaguePage);

	// Editors see no settings and no count.
	await expect(editorPage.getByTestId('erase-count')).toHaveCount(0);
	expect(
		(await editorPage.request.get(`${server.url}/boards/spoorbuurt/instellingen`)).status()
	).toBe(403);

	// The owner: a count on the board page, the list on the settings page.
	const ownerPage = await server.signedInPage(browser, users.owner);
	errors.push(...collectErrors(ownerPage));
	await openBoard(ownerPage, 'spoorbuurt', server.url);
	await expect(ownerPage.getByTestId('erase-count')).toHaveText('1 te wissen');
	await ownerPage.getByRole('link', { name: /Instellingen/ }).click();
	const section = ownerPage.getByTestId('withdrawals');
	await expect(section.getByRole('heading')).toHaveText('Toestemming ingetrokken — nog te wissen');
	const row = section.getByTestId('withdrawal');
	await expect(row).toHaveCount(1);
	await expect(row.getByRole('rowheader')).toHaveText(target.label);
	await expect(row).toContainText('Redacteur (Woonwaarts)');
	await expectNoSecrets(ownerPage);

	// Erased now, with the owner's erasure (its dialog, its endpoint, its audit).
	await row.getByRole('button', { name: 'Nu wissen' }).click();
	const erase = ownerPage.getByTestId('erase-dialog');
	await expect(erase.getByRole('heading')).toContainText(target.label);
	await erase.getByRole('button', { name: 'Definitief wissen' }).click();
	await expect(section.getByTestId('withdrawal-erased')).toContainText('zijn gewist');
	await expect(section.getByTestId('withdrawal')).toHaveCount(0);
	await expect(section.getByTestId('withdrawals-none')).toBeVisible();

	// The open browsers: the household is gone, its notice too; the neighbour stays.
	for (const { panel } of [editor, colleague]) {
		await expect(panel.getByTestId('history-item')).toHaveCount(0);
		await expect(panel.getByTestId('consent-withdrawn')).toHaveCount(0);
	}
	await expectNoSecrets(editorPage);
	await expectNoSecrets(colleaguePage);
	await openBoard(ownerPage, 'spoorbuurt', server.url);
	await expect(ownerPage.getByTestId('erase-count')).toHaveCount(0);
	await expectNoSecrets(ownerPage);

	// The audit log: the marks, the undos and the erasure (with the door test's mark and undo before),
	// without the address or any content.
	await ownerPage.goto(`${server.url}/boards/spoorbuurt/audit`);
	const log = ownerPage.getByTestId('audit-log');
	await expect(log.locator('[data-action="consent.withdraw"]')).toHaveCount(3);
	await expect(log.locator('[data-action="consent.restore"]')).toHaveCount(2);
	await expect(log.locator('[data-action="household.erase"]')).toHaveCount(1);
	await expectNoSecrets(ownerPage);
	expect(errors).toEqual([]);

	// The stored document and every other table: none of the household's text.
	for (const page of [editorPage, colleaguePage, ownerPage]) await page.context().close();
	await server.stop('SIGTERM');
	const db = await openDb({ dataDir });
	try {
		const tables = await db.query<{ schema: string; name: string }>(
			`select table_schema as schema, table_name as name from information_schema.tables
			 where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`
		);
		let dump = '';
		for (const { schema, name } of tables) {
			const rows = await db.query<{ row: string }>(
				`select t::text as row from "${schema}"."${name}" t`
			);
			dump += rows.map((r) => r.row).join('\n');
		}
		expect(dump).toContain(Buffer.from(KEPT_TALENT).toString('hex'));
		for (const text of Object.values(SECRET)) {
			expect(dump, text).not.toContain(text);
			expect(dump, text).not.toContain(Buffer.from(text).toString('hex'));
		}
	} finally {
		await db.close();
	}
});
