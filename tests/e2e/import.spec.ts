import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import { openDoorMode, waitForOfflineCopy } from './field-helpers';
import { gotoWithScriptHeld, openBoard } from './helpers';
import { formatAddress } from '../../src/lib/geo/address';
import { decodeRegister, type CompactRegister } from '../../src/lib/geo/register';
import { OwnServer } from './own-server';
import { xlsxWorkbook, zipArchive } from '../support/xlsx-file';
import writeExcelFile from 'write-excel-file/node';

/**
 * The address import against a server of its own (a fresh register), whose PDOK Locatieserver URL
 * points at a tiny local fixture server on a port of our own: closed while "PDOK is down", serving
 * made-up answers when it is up. The real service is never called.
 */
const pdokPort = ownPort(3);
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;
let pdok: Server | null = null;
const pdokRequests: string[] = [];

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

/** A minimal Locatieserver /free: finds any address by the postcode and number filters. */
async function startPdok(): Promise<void> {
	pdok = createServer((req, res) => {
		const url = new URL(req.url ?? '/', `http://127.0.0.1:${pdokPort}`);
		pdokRequests.push(url.pathname + url.search);
		const fq = url.searchParams.getAll('fq');
		const postcode = fq.find((f) => f.startsWith('postcode:'))?.slice('postcode:'.length);
		const number = Number(fq.find((f) => f.startsWith('huisnummer:'))?.slice('huisnummer:'.length));
		const docs =
			url.pathname.endsWith('/free') && postcode && number
				? [
						{
							id: `adr-${postcode}-${number}`,
							type: 'adres',
							weergavenaam: `Wagenaarstraat ${number}, ${postcode} Nijmegen`,
							straatnaam: 'Wagenaarstraat',
							huisnummer: number,
							postcode,
							woonplaatsnaam: 'Nijmegen',
							nummeraanduiding_id: `02682000000${String(number).padStart(5, '0')}`,
							centroide_ll: `POINT(${5.875 + number / 10000} ${51.834 + number / 100000})`
						}
					]
				: [];
		res.writeHead(200, {
			'content-type': 'application/json',
			'access-control-allow-origin': '*'
		});
		res.end(JSON.stringify({ response: { numFound: docs.length, start: 0, docs } }));
	});
	pdok.listen(pdokPort, '127.0.0.1');
	await once(pdok, 'listening');
}

test.beforeAll(async () => {
	// A new PGlite data folder on a busy machine can take more than a minute.
	test.setTimeout(180_000);
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-import-'));
	server = new OwnServer(ownPort(2), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: '',
		PUBLIC_PDOK_LOCATIESERVER_URL: `http://127.0.0.1:${pdokPort}/bzk/locatieserver/search/v3_1`
	});
	owner = await server.seedOwner();
	await server.start();
});

// Every test's browser is signed in on this server as the demo board's owner.
test.beforeEach(async ({ context }) => {
	await server.signIn(context, owner);
});

test.afterAll(async () => {
	await server.stop();
	if (pdok) pdok.close();
	rmSync(dataDir, { recursive: true, force: true });
});

function pageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	return errors;
}

async function openImport(page: Page): Promise<number> {
	await page.goto(`${server.url}/boards/spoorbuurt/adressen`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Adressen importeren');
	return registerCount(page);
}

/** Imports one address (a row of straat;huisnummer;postcode;woonplaats;lat;lon) and stores it. */
async function importOneAddress(page: Page, row: string): Promise<void> {
	await openImport(page);
	await page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)').setInputFiles({
		name: 'nieuw.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(`straat;huisnummer;postcode;woonplaats;lat;lon\r\n${row}\r\n`)
	});
	await page.getByRole('button', { name: 'Controleren' }).click();
	await page.getByTestId('import-confirm').click();
	await expect(page.getByTestId('import-stored')).toContainText('1 nieuw');
}

async function registerCount(page: Page): Promise<number> {
	return Number(await page.getByTestId('register-count').getAttribute('data-count'));
}

test('a file chosen while the page script is still loading is read once it has loaded', async ({
	page
}) => {
	const release = await gotoWithScriptHeld(page, `${server.url}/boards/spoorbuurt/adressen`);
	await page
		.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)')
		.setInputFiles(fixture('adressen-excel-1252.csv'));
	await release();
	await expect(page.getByTestId('import-file-info')).toContainText('WINDOWS-1252');
});

test('a damaged workbook, or GeoJSON without a usable geometry, is refused with a reason', async ({
	page
}) => {
	await openImport(page);
	const input = page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)');
	// An .xlsx is a ZIP archive; this one breaks off after its first bytes.
	await input.setInputFiles({
		name: 'adressen.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00])
	});
	await expect(page.getByRole('alert')).toContainText('geen Excel-werkmap die we kunnen lezen');
	await expect(page.getByRole('alert')).toContainText('als CSV');
	await expect(page.getByTestId('import-mapping')).toHaveCount(0);

	const lines = {
		type: 'FeatureCollection',
		features: [
			{
				type: 'Feature',
				geometry: {
					type: 'LineString',
					coordinates: [
						[5.85, 51.83],
						[5.86, 51.83]
					]
				},
				properties: { straat: 'Dorpsstraat', huisnummer: 1 }
			}
		]
	};
	await input.setInputFiles({
		name: 'straten.geojson',
		mimeType: 'application/geo+json',
		buffer: Buffer.from(JSON.stringify(lines))
	});
	await expect(page.getByRole('alert')).toContainText('geometrie is een LineString');
});

test('a photo, a ZIP bomb and an .ods are refused at once with a reason; a hidden sheet is passed over', async ({
	page
}) => {
	const errors = pageErrors(page);
	await openImport(page);
	const input = page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)');
	const alert = page.getByRole('alert');
	// A photo chosen by mistake (saved as .csv by a phone app): no table of junk to map.
	await input.setInputFiles({
		name: 'adressen.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from([
			0xff,
			0xd8,
			0xff,
			0xe0,
			0x00,
			0x10,
			0x4a,
			0x46,
			0x49,
			0x46,
			...new Array(200).fill(0)
		])
	});
	await expect(alert).toContainText(
		'dit is geen tekstbestand (CSV), Excel-werkmap (.xlsx) of GeoJSON'
	);
	await expect(page.getByTestId('import-mapping')).toHaveCount(0);

	// About a megabyte that unpacks to over 250 MB: refused before the browser unpacks it.
	const header = ['Straat', 'Huisnummer', 'Postcode'];
	await input.setInputFiles({
		name: 'adressen.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from(
			xlsxWorkbook([
				{
					name: 'Adressen',
					rows: [header, ['Kerkstraat', 1, '6512AB']],
					padding: 251 * 1024 * 1024
				}
			])
		)
	});
	await expect(alert).toContainText('uitgepakt groter dan 250 MB', { timeout: 5000 });
	await expect(page.getByTestId('import-mapping')).toHaveCount(0);

	await input.setInputFiles({
		name: 'adressen.ods',
		mimeType: 'application/vnd.oasis.opendocument.spreadsheet',
		buffer: Buffer.from(
			zipArchive([
				{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' },
				{ name: 'content.xml', data: '<office:document-content/>', deflate: true }
			])
		)
	});
	await expect(alert).toContainText('LibreOffice-rekenblad (.ods)');

	// An old list kept in a hidden sheet before the visible one: the visible one is read, and its
	// street merged down over its houses is every row's street.
	const withXY = [...header, 'X', 'Y'];
	await input.setInputFiles({
		name: 'complex-104.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from(
			xlsxWorkbook([
				{
					name: 'Oud',
					hidden: true,
					rows: [withXY, ['Oudestraat', 1, '6511AA', 187100.5, 428100.5]]
				},
				{
					name: 'Adressen',
					rows: [
						withXY,
						['Kerkstraat', 1, '6512AB', 187136.1, 428140.2],
						[null, 2, '6512AB', 187146.1, 428150.2]
					],
					merges: ['A2:A3']
				}
			])
		)
	});
	await expect(page.getByTestId('import-file-info')).toContainText('2 rijen, blad “Adressen”');
	await expect(page.getByTestId('import-mapping')).toContainText('Kerkstraat');
	await expect(page.getByTestId('import-mapping')).not.toContainText('Oudestraat');
	await page.getByRole('button', { name: 'Controleren' }).click();
	await expect(page.getByTestId('import-confirm')).toContainText('2 adressen');
	expect(errors).toEqual([]);
});

test('a workbook of 50,000 rows: the page says it is reading it, and takes no second file meanwhile', async ({
	page
}) => {
	const errors = pageErrors(page);
	await openImport(page);
	const rows = Array.from({ length: 50_000 }, (_, i) => [
		`Straat ${Math.floor(i / 100)}laan`,
		(i % 100) + 1,
		'6512AB',
		187000 + (i % 100) * 2.5,
		428000 + Math.floor(i / 100) * 2.5
	]);
	const input = page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)');
	await input.setInputFiles({
		name: 'regio.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from(
			xlsxWorkbook([
				{ name: 'Regio', rows: [['Straat', 'Huisnummer', 'Postcode', 'X', 'Y'], ...rows] }
			])
		)
	});
	await expect(page.getByTestId('import-reading')).toHaveText('regio.xlsx wordt gelezen…');
	await expect(input).toBeDisabled();
	await expect(page.getByTestId('import-file-info')).toContainText('50000 rijen, blad “Regio”', {
		timeout: 30_000
	});
	await expect(page.getByTestId('import-reading')).toHaveCount(0);
	await expect(input).toBeEnabled();
	expect(errors).toEqual([]);
});

test('a Dutch Excel CSV with bad rows: preview, errors by line, confirm; twice is not double', async ({
	page
}) => {
	const errors = pageErrors(page);
	const before = await openImport(page);
	expect(before).toBeGreaterThan(100);

	await page
		.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)')
		.setInputFiles(fixture('adressen-excel-1252.csv'));
	await expect(page.getByTestId('import-file-info')).toContainText('WINDOWS-1252');
	await expect(page.getByTestId('import-file-info')).toContainText('“;”');

	// The proposed mapping, with examples; it can be changed per column.
	const mapping = page.getByTestId('import-mapping');
	await expect(mapping).toContainText('Émile Zolastraat');
	await expect(page.getByLabel('Adresveld voor kolom Straatnaam')).toHaveValue('street');
	await expect(page.getByLabel('Adresveld voor kolom Huisnr')).toHaveValue('houseNumber');
	await expect(page.getByLabel('Adresveld voor kolom Breedtegraad')).toHaveValue('lat');
	await page.getByLabel('Adresveld voor kolom Straatnaam').selectOption('');
	await expect(mapping.getByRole('alert')).toContainText('Kies een kolom voor Straat.');
	await expect(page.getByRole('button', { name: 'Controleren' })).toBeDisabled();
	await page.getByLabel('Adresveld voor kolom Straatnaam').selectOption('street');
	await page.getByRole('button', { name: 'Controleren' }).click();

	const summary = page.getByTestId('import-summary');
	await expect(summary).toBeVisible();
	await expect(page.getByTestId('summary-rows')).toHaveText('7');
	await expect(page.getByTestId('summary-new')).toHaveText('3');
	await expect(page.getByTestId('summary-merged')).toHaveText('2');
	await expect(page.getByTestId('summary-errors')).toHaveText('2');
	await expect(page.getByTestId('summary-geocoding')).toHaveText('0');
	const rowErrors = page.getByTestId('import-errors').getByRole('listitem');
	await expect(rowErrors).toHaveCount(2);
	await expect(rowErrors.nth(0)).toContainText('Regel 5');
	await expect(rowErrors.nth(0)).toContainText('huisnummer');
	await expect(rowErrors.nth(1)).toContainText('Regel 6');
	await expect(rowErrors.nth(1)).toContainText('12345');

	// Nothing is stored before the confirmation.
	await page.reload();
	expect(await registerCount(page)).toBe(before);

	await page
		.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)')
		.setInputFiles(fixture('adressen-excel-1252.csv'));
	await page.getByRole('button', { name: 'Controleren' }).click();
	await page.getByRole('button', { name: 'Bevestigen: 4 adressen opslaan' }).click();
	await expect(page.getByTestId('import-stored')).toContainText('3 nieuwe adressen');
	// The result counts the merges the preview counted (it said 2 merged, the result said 1).
	await expect(page.getByTestId('import-stored')).toContainText('2 samengevoegd');
	await expect(page.getByTestId('summary-merged')).toHaveText('2');
	await expect(page.getByTestId('register-count')).toHaveAttribute(
		'data-count',
		String(before + 3)
	);

	// The same file again: everything merges, nothing is doubled.
	await page.getByRole('button', { name: 'Ander bestand kiezen' }).click();
	await page
		.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)')
		.setInputFiles(fixture('adressen-excel-1252.csv'));
	await page.getByRole('button', { name: 'Controleren' }).click();
	await expect(page.getByTestId('summary-new')).toHaveText('0');
	await expect(page.getByTestId('summary-merged')).toHaveText('5');
	await page.getByTestId('import-confirm').click();
	await expect(page.getByTestId('import-stored')).toContainText('0 nieuwe adressen');
	await expect(page.getByTestId('register-count')).toHaveAttribute(
		'data-count',
		String(before + 3)
	);

	// The board shows them: the search box finds the new address.
	await page.getByRole('link', { name: 'Terug naar het bord' }).click();
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	const search = page.getByRole('combobox', { name: 'Zoek een adres' });
	await search.fill('emile zola 3a');
	await expect(
		page
			.getByRole('listbox', { name: 'Gevonden adressen' })
			.getByRole('option', { name: /Émile Zolastraat 3A/ })
	).toBeVisible();
	await search.press('Enter');
	await expect(page.getByTestId('address-panel')).toContainText('Émile Zolastraat 3A');
	expect(errors).toEqual([]);
});

test('a corporation’s own export: RD columns and VHE numbers recognised, the same counts before and after', async ({
	page
}) => {
	const errors = pageErrors(page);
	const before = await openImport(page);
	await page
		.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)')
		.setInputFiles(fixture('corporatie-export-1252.csv'));
	await expect(page.getByTestId('import-file-info')).toContainText('WINDOWS-1252');
	const mapping = page.getByTestId('import-mapping');
	await expect(page.getByLabel('Adresveld voor kolom X-coördinaat (RD)')).toHaveValue('rdX');
	await expect(page.getByLabel('Adresveld voor kolom Y-coördinaat (RD)')).toHaveValue('rdY');
	await expect(page.getByLabel('Adresveld voor kolom VHE-nummer')).toHaveValue('unitNumber');
	await expect(page.getByLabel('Adresveld voor kolom Huisnr. toev.')).toHaveValue('addition');
	await expect(page.getByLabel('Adresveld voor kolom Bouwjaar')).toHaveValue('');
	await expect(mapping).not.toContainText('Het bestand heeft geen coördinaten');
	await page.getByRole('button', { name: 'Controleren' }).click();

	await expect(page.getByTestId('summary-rows')).toHaveText('7');
	await expect(page.getByTestId('summary-new')).toHaveText('6');
	await expect(page.getByTestId('summary-merged')).toHaveText('1');
	await expect(page.getByTestId('summary-geocoding')).toHaveText('0');
	await page.getByRole('button', { name: 'Bevestigen: 6 adressen opslaan' }).click();
	const stored = page.getByTestId('import-stored');
	await expect(stored).toContainText('6 nieuwe adressen, 1 samengevoegd');
	await expect(page.getByTestId('summary-merged')).toHaveText('1');
	await expect(page.getByTestId('register-count')).toHaveAttribute(
		'data-count',
		String(before + 6)
	);

	// The address panel shows the corporation's unit number.
	await page.getByRole('link', { name: 'Terug naar het bord' }).click();
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	const search = page.getByRole('combobox', { name: 'Zoek een adres' });
	await search.fill('handelstraat 5-2');
	// Choosing it opens its panel (and brings it into view).
	await search.press('Enter');
	const panel = page.getByTestId('address-panel');
	await expect(panel.getByRole('heading', { level: 2 })).toContainText('Händelstraat 5-2');
	await expect(panel.getByTestId('address-unit-number')).toHaveText('VHE-nummer 1040004');
	expect(errors).toEqual([]);
});

test('a re-export with a corrected postcode: the preview says what changed, it is written only when asked, and the address keeps its gesprekken', async ({
	page
}) => {
	const errors = pageErrors(page);
	const registerNow = async () => {
		const res = await page.request.get(`${server.url}/boards/spoorbuurt/adressen.json`);
		expect(res.status()).toBe(200);
		return decodeRegister((await res.json()) as CompactRegister);
	};
	// A demo address, opened by its id in the picker, gets a gesprek.
	await openBoard(page, 'spoorbuurt', server.url);
	const panel = page.getByTestId('address-panel');
	const picker = page.getByLabel('Of kies een adres');
	const target =
		(await registerNow()).find((x) => x.postcode && x.city && !x.unitNumber) ??
		(await registerNow()).find((x) => x.postcode && x.city);
	expect(target).toBeDefined();
	await picker.selectOption(target!.id);
	await page.getByRole('button', { name: 'Adres openen' }).click();
	await expect(panel).toContainText(formatAddress(target!));
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');
	await form.getByLabel('Datum', { exact: true }).fill('2024-05-14');
	await form.getByLabel('Gevoerd door').fill('Herimport Test');
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();
	const heard = panel.getByTestId('history-item').filter({ hasText: 'Herimport Test' });
	await expect(heard).toBeVisible();
	const history = await panel.getByTestId('history-item').count();
	const a = target!;
	const corrected = `${a.postcode!.slice(0, 4)}${a.postcode!.endsWith('ZZ') ? 'ZY' : 'ZZ'}`;
	const csv = [
		'VHE-nummer;straat;huisnummer;huisletter;toevoeging;postcode;woonplaats;lat;lon',
		// The same door under its corrected postcode.
		`;${a.street};${a.houseNumber};${a.houseLetter ?? ''};${a.addition ?? ''};${corrected};${a.city};${a.lat};${a.lon}`,
		// One VHE number at two new doors: set aside, not stored.
		`9900001;Herimportlaan;1;;;6511AA;Nijmegen;51.84;5.86`,
		`9900001;Herimportlaan;3;;;6511AA;Nijmegen;51.84;5.8601`
	].join('\r\n');
	const before = await openImport(page);
	const choose = async () => {
		await page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)').setInputFiles({
			name: 'herexport.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv + '\r\n')
		});
		await page.getByRole('button', { name: 'Controleren' }).click();
		await expect(page.getByTestId('summary-rows')).toHaveText('3');
	};
	await choose();
	await expect(page.getByTestId('summary-new')).toHaveText('0');
	await expect(page.getByTestId('summary-changed')).toHaveText('1');
	await expect(page.getByTestId('summary-conflicts')).toHaveText('2');
	// The lines set aside are not among what the button stores.
	await expect(page.getByTestId('summary-ready')).toHaveText('1');
	await expect(page.getByTestId('import-confirm')).toHaveText('Bevestigen: 1 adres opslaan');
	const changed = page.getByTestId('import-changed');
	await expect(changed.getByTestId('import-changed-row')).toHaveCount(1);
	await expect(changed).toContainText(`Postcode: ${a.postcode} → ${corrected}`);
	await expect(changed).toContainText('zelfde straat en huisnummer, andere postcode');
	await expect(page.getByTestId('import-conflicts')).toContainText(
		'VHE-nummer 9900001 staat ook op regel 4'
	);
	// Off by default: saving keeps the stored postcode (and adds no second door).
	const update = page.getByTestId('import-update-changed');
	await expect(update).not.toBeChecked();
	await expect(page.getByTestId('import-changed-effect')).toContainText('niet bijgewerkt');
	await page.getByTestId('import-confirm').click();
	const stored = page.getByTestId('import-stored');
	await expect(stored).toContainText('0 nieuwe adressen');
	await expect(stored).toContainText(
		'1 adres met andere gegevens in het bestand is niet bijgewerkt'
	);
	await expect(stored).toContainText('2 regels niet verwerkt');
	await expect(page.getByTestId('register-count')).toHaveAttribute('data-count', String(before));
	expect((await registerNow()).find((x) => x.id === a.id)!.postcode).toBe(a.postcode);

	// Again, now taking the file's values: the same address gets the corrected postcode.
	await choose();
	await expect(page.getByTestId('summary-changed')).toHaveText('1');
	await update.check();
	await expect(page.getByTestId('import-changed-effect')).toContainText(
		'bijgewerkt als je opslaat'
	);
	await page.getByTestId('import-confirm').click();
	await expect(stored).toContainText('0 aangevuld. 1 adres bijgewerkt met gewijzigde gegevens');
	await expect(page.getByTestId('summary-new')).toHaveText('0');
	await expect(page.getByTestId('summary-changed')).toHaveText('1');
	await expect(page.getByTestId('register-count')).toHaveAttribute('data-count', String(before));
	const after = await registerNow();
	expect(after).toHaveLength(before);
	expect(after.find((x) => x.id === a.id)).toMatchObject({ postcode: corrected, street: a.street });

	// Its gesprekken are still its own.
	await openBoard(page, 'spoorbuurt', server.url);
	await picker.selectOption(a.id);
	await page.getByRole('button', { name: 'Adres openen' }).click();
	await expect(panel).toContainText(formatAddress(a));
	await expect(heard).toBeVisible();
	await expect(panel.getByTestId('history-item')).toHaveCount(history);
	expect(errors).toEqual([]);
});

test('an Excel workbook as the corporation exports it: its sheet, columns and numbers as stored', async ({
	page
}) => {
	const errors = pageErrors(page);
	const before = await openImport(page);
	// A cover sheet, a title row, numbers in number cells (RD, VHE, a BAG id that lost its zero).
	const workbook = await writeExcelFile([
		{ sheet: 'Toelichting', data: [['Export vastgoedsysteem, complex 2077']] },
		{
			sheet: 'Eenheden',
			data: [
				['Verhuureenheden complex 2077'],
				[
					'VHE-nummer',
					'Straatnaam',
					'Huisnummer',
					'Huisletter',
					'Postcode',
					'Woonplaats',
					'X-coördinaat (RD)',
					'Y-coördinaat (RD)',
					'Nummeraanduiding ID'
				],
				[
					2077001,
					'Werkmapstraat',
					1,
					null,
					'6521 XL',
					'Nijmegen',
					188100.5,
					428500.25,
					268200000077001
				],
				[
					2077002,
					'Werkmapstraat',
					3,
					'A',
					'6521 XL',
					'Nijmegen',
					188110.5,
					428505.25,
					268200000077002
				],
				[2077003, 'Werkmapstraat', 5, null, '6521 XL', 'Nijmegen', 188120.5, 428510.25, null]
			]
		}
	]).toBuffer();
	await page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)').setInputFiles({
		name: 'complex-2077.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: workbook
	});
	await expect(page.getByTestId('import-file-info')).toHaveText(
		'complex-2077.xlsx: 3 rijen, blad “Eenheden”'
	);
	await expect(page.getByLabel('Adresveld voor kolom VHE-nummer')).toHaveValue('unitNumber');
	await expect(page.getByLabel('Adresveld voor kolom X-coördinaat (RD)')).toHaveValue('rdX');
	await page.getByRole('button', { name: 'Controleren' }).click();
	await expect(page.getByTestId('summary-rows')).toHaveText('3');
	await expect(page.getByTestId('summary-new')).toHaveText('3');
	await expect(page.getByTestId('summary-geocoding')).toHaveText('0');
	await page.getByRole('button', { name: 'Bevestigen: 3 adressen opslaan' }).click();
	await expect(page.getByTestId('import-stored')).toContainText('3 nieuwe adressen');
	await expect(page.getByTestId('register-count')).toHaveAttribute(
		'data-count',
		String(before + 3)
	);

	// The old .xls format gets words a user can act on.
	await page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)').setInputFiles({
		name: 'oud.xls',
		mimeType: 'application/vnd.ms-excel',
		buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])
	});
	await expect(page.getByRole('alert')).toContainText('oude Excel-werkmap (.xls)');
	expect(errors).toEqual([]);
});

test('geocoding: PDOK unreachable keeps rows aside with a message; retry finds them', async ({
	page
}) => {
	const errors = pageErrors(page);
	const before = await openImport(page);
	expect(pdok).toBeNull();

	await page
		.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)')
		.setInputFiles(fixture('adressen-zonder-coordinaten.csv'));
	await expect(page.getByTestId('import-mapping')).toContainText(
		'Het bestand heeft geen coördinaten'
	);
	await page.getByRole('button', { name: 'Controleren' }).click();
	await expect(page.getByTestId('summary-geocoding')).toHaveText('2');
	const unreachable = page.getByTestId('import-geocode-unreachable');
	await expect(unreachable).toContainText('PDOK Locatieserver is nu niet bereikbaar');
	await expect(unreachable).toContainText('Wagenaarstraat 40');
	await expect(unreachable).toContainText('Wagenaarstraat 41');
	await expect(page.getByTestId('import-confirm')).toHaveCount(0);
	await expect(page.getByTestId('summary-ready')).toHaveText('0');

	// PDOK is back: retry.
	await startPdok();
	await unreachable.getByRole('button', { name: 'Opnieuw proberen' }).click();
	await expect(unreachable).toHaveCount(0);
	await expect(page.getByText('2 adressen gevonden bij PDOK.')).toBeVisible();
	expect(pdokRequests.some((r) => r.includes('/free?') && r.includes('6522AB'))).toBe(true);
	await page.getByRole('button', { name: 'Bevestigen: 2 adressen opslaan' }).click();
	await expect(page.getByTestId('import-stored')).toContainText('2 nieuwe adressen');
	await expect(page.getByTestId('register-count')).toHaveAttribute(
		'data-count',
		String(before + 2)
	);
	expect(errors).toEqual([]);
});

test('20,000 rows are checked and stored in seconds, with a progress bar', async ({ page }) => {
	test.setTimeout(120_000);
	const errors = pageErrors(page);
	const before = await openImport(page);
	const lines = ['postcode;huisnummer;straat;lat;lon'];
	for (let i = 0; i < 20_000; i++) {
		const pc = `${7000 + Math.floor(i / 100)}AA`;
		lines.push(`${pc};${(i % 100) + 1};Teststraat ${Math.floor(i / 100)};51,8${i % 10};5,87`);
	}
	await page.getByLabel('Kies een bestand (CSV, Excel of GeoJSON)').setInputFiles({
		name: 'groot.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(lines.join('\n'))
	});
	let started = Date.now();
	await page.getByRole('button', { name: 'Controleren' }).click();
	await expect(page.getByTestId('summary-new')).toHaveText('20000', { timeout: 30_000 });
	const checkMs = Date.now() - started;
	started = Date.now();
	await page.getByRole('button', { name: 'Bevestigen: 20000 adressen opslaan' }).click();
	await expect(page.getByTestId('import-stored')).toContainText('20000 nieuwe adressen', {
		timeout: 60_000
	});
	const storeMs = Date.now() - started;
	console.log(`20,000 rows: checked in ${checkMs} ms, stored in ${storeMs} ms`);
	expect(checkMs).toBeLessThan(10_000);
	await expect(page.getByTestId('register-count')).toHaveAttribute(
		'data-count',
		String(before + 20_000)
	);
	expect(errors).toEqual([]);
});

test('in English, row errors are in English too', async ({ page }) => {
	const errors = pageErrors(page);
	await openImport(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Import addresses');
	await page
		.getByLabel('Choose a file (CSV, Excel or GeoJSON)')
		.setInputFiles(fixture('adressen-excel-1252.csv'));
	await page.getByRole('button', { name: 'Check' }).click();
	const rowErrors = page.getByTestId('import-errors').getByRole('listitem');
	await expect(rowErrors).toHaveCount(2);
	await expect(rowErrors.nth(0)).toContainText('Line 5');
	await expect(rowErrors.nth(0)).toContainText('house number is missing');
	await expect(rowErrors.nth(1)).toContainText('Line 6');
	await expect(rowErrors.nth(1)).toContainText('postcode “12345” is not a Dutch postcode');
	await expect(page.getByTestId('import-errors')).not.toContainText('huisnummer');
	await expect(page.getByTestId('import-errors')).not.toContainText('ontbreekt');
	expect(errors).toEqual([]);
});

test('an import appears on a board someone has open, without a reload', async ({
	page,
	browser
}) => {
	// A colleague has the board open.
	const context = await browser.newContext({ locale: 'nl-NL' });
	await server.signIn(context, owner);
	const colleague = await context.newPage();
	const errors = [...pageErrors(page), ...pageErrors(colleague)];
	await colleague.goto(`${server.url}/boards/spoorbuurt`);
	await expect(colleague.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	await expect(colleague.getByTestId('connection-status')).toHaveAttribute(
		'data-status',
		'connected'
	);
	const search = colleague.getByRole('combobox', { name: 'Zoek een adres' });
	await search.fill('livelaan 7');
	const found = colleague
		.getByRole('listbox', { name: 'Gevonden adressen' })
		.getByRole('option', { name: /Livelaan 7/ });
	await expect(found).toHaveCount(0);

	await importOneAddress(page, 'Livelaan;7;6512AB;Nijmegen;51.8312;5.8712');

	// The colleague's board has it: the search finds it, the panel opens.
	await search.fill('');
	await search.fill('livelaan 7');
	await expect(found).toBeVisible();
	await search.press('Enter');
	await expect(colleague.getByTestId('address-panel')).toContainText('Livelaan 7');
	await context.close();
	expect(errors).toEqual([]);
});

/** When each page kept for offline use was fetched (`x-buurtbord-kept-at`), by path. */
function keptAt(page: Page): Promise<Record<string, number>> {
	return page.evaluate(async () => {
		const cache = await caches.open('buurtbord-pages');
		const stamps: Record<string, number> = {};
		for (const request of await cache.keys()) {
			const kept = await cache.match(request);
			stamps[new URL(request.url).pathname] = Number(kept?.headers.get('x-buurtbord-kept-at'));
		}
		return stamps;
	});
}

/** Whether the register kept for offline use has an address in `street`. */
function keptRegisterHas(page: Page, street: string): Promise<boolean> {
	return page.evaluate(async (street) => {
		const kept = await (
			await caches.open('buurtbord-pages')
		).match('/boards/spoorbuurt/adressen.json');
		return kept ? (await kept.text()).includes(street) : false;
	}, street);
}

test('a board kept for offline use is not fetched again on every visit, and its register is after an import', async ({
	page,
	browser
}) => {
	const context = await browser.newContext({ locale: 'nl-NL' });
	await server.signIn(context, owner);
	const phone = await context.newPage();
	await openDoorMode(phone, 'spoorbuurt', server.url);
	await waitForOfflineCopy(phone);
	const first = await keptAt(phone);
	const [board, register, asked] = [
		'/boards/spoorbuurt',
		'/boards/spoorbuurt/adressen.json',
		'/__buurtbord/pages-owner'
	];
	expect(first[board]).toBeGreaterThan(0);
	expect(first[register]).toBeGreaterThan(0);

	// Back to the board: it asks for its pages to be kept again, and they are not fetched again.
	await phone.goto(`${server.url}/boards/spoorbuurt`);
	await expect(phone.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	await expect.poll(async () => (await keptAt(phone))[asked]).toBeGreaterThan(Number(first[asked]));
	expect(await keptAt(phone)).toMatchObject({ [board]: first[board], [register]: first[register] });

	// An import elsewhere: the kept register gets the new address, for door mode offline.
	expect(await keptRegisterHas(phone, 'Kepelaan')).toBe(false);
	await importOneAddress(page, 'Kepelaan;3;6512AB;Nijmegen;51.8313;5.8713');
	await expect.poll(() => keptRegisterHas(phone, 'Kepelaan')).toBe(true);
	expect((await keptAt(phone))[board]).toBe(first[board]);
	await context.close();
});
