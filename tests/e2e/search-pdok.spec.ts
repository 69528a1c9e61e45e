import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import { mapCenter } from './helpers';
import { OwnServer } from './own-server';
import { PDOK_PATH, startPdokFixture, type PdokFixture } from './pdok-fixture';

/**
 * The search box's second source: PDOK suggest, against a server of its own whose PDOK URL points
 * at a local fixture server (never the real service). Sweelinckstraat 12 is in the demo register;
 * 12A only "at PDOK".
 */
const pdokPort = ownPort(5);
let dataDir: string;
let server: OwnServer;
let owner: SeededUser;
let pdok: PdokFixture | null = null;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-search-pdok-'));
	server = new OwnServer(ownPort(4), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: '',
		PUBLIC_PDOK_LOCATIESERVER_URL: `http://127.0.0.1:${pdokPort}${PDOK_PATH}`
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
	await pdok?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

function pageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	return errors;
}

async function openBoard(page: Page): Promise<void> {
	await page.goto(`${server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
}

test('PDOK results below the register; one not in the register, chosen by keyboard', async ({
	page
}) => {
	pdok = await startPdokFixture(pdokPort);
	const errors = pageErrors(page);
	await openBoard(page);
	const search = page.getByRole('combobox', { name: 'Zoek een adres' });
	const listbox = page.getByRole('listbox', { name: 'Gevonden adressen' });

	await search.fill('sweelinck 12');
	const local = listbox.getByRole('group', { name: 'In het adressenbestand' });
	const fromPdok = listbox.getByRole('group', { name: 'Uit PDOK (niet in het adressenbestand)' });
	await expect(local.getByRole('option')).toHaveCount(1);
	await expect(local.getByRole('option').first()).toHaveText(/Sweelinckstraat 12, 6521CA/);
	// 12 is in the register and the street is no address: only 12A is offered.
	await expect(fromPdok.getByRole('option')).toHaveCount(1);
	await expect(fromPdok.getByRole('option')).toHaveText('Sweelinckstraat 12A, 6521CA Nijmegen');
	await expect(
		page.getByRole('status').filter({ hasText: '1 adressen in het adressenbestand en 1 uit PDOK' })
	).toBeAttached();
	const suggests = pdok.requests.filter((r) => r.startsWith(`${PDOK_PATH}/suggest?`));
	expect(suggests.length).toBeGreaterThan(0);
	const last = new URL(suggests.at(-1)!, 'http://x');
	expect(last.searchParams.get('q')).toBe('sweelinck 12');
	expect(last.searchParams.getAll('fq')).toContain('type:adres');
	expect(last.searchParams.get('fl')).toContain('centroide_ll');

	// Keyboard only: down through the register into the PDOK group, Enter.
	await search.press('ArrowDown');
	await expect(local.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
	await search.press('ArrowDown');
	await expect(fromPdok.getByRole('option')).toHaveAttribute('aria-selected', 'true');
	await search.press('ArrowDown');
	await expect(local.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
	await search.press('ArrowUp');
	await expect(fromPdok.getByRole('option')).toHaveAttribute('aria-selected', 'true');
	await search.press('Enter');

	await expect(search).toHaveAttribute('aria-expanded', 'false');
	await expect(search).toHaveValue('Sweelinckstraat 12A, 6521CA Nijmegen');
	const note = page.getByTestId('search-pdok-note');
	await expect(note).toContainText(
		'Sweelinckstraat 12A, 6521CA Nijmegen staat niet in het adressenbestand van dit bord.'
	);
	await expect(note.getByRole('link', { name: 'Adressen importeren' })).toHaveAttribute(
		'href',
		'/boards/spoorbuurt/adressen'
	);
	await expect(page.getByTestId('address-panel')).toHaveCount(0);
	// The map flies to the PDOK point (POINT(5.87139077 51.83271650)).
	await expect
		.poll(async () => {
			const c = await mapCenter(page);
			return Math.abs(c.lng - 5.87139077) + Math.abs(c.lat - 51.8327165);
		})
		.toBeLessThan(0.0005);

	// Escape closes the list with PDOK results in it too.
	await search.fill('sweelinck 12');
	await expect(note).toBeEmpty();
	await expect(fromPdok.getByRole('option')).toHaveCount(1);
	await search.press('Escape');
	await expect(search).toHaveAttribute('aria-expanded', 'false');
	expect(errors).toEqual([]);
});

test('PDOK unreachable: the register search still works, with a quiet note', async ({ page }) => {
	await pdok?.close();
	pdok = null;
	const errors = pageErrors(page);
	await openBoard(page);
	const search = page.getByRole('combobox', { name: 'Zoek een adres' });
	const options = page.getByRole('listbox', { name: 'Gevonden adressen' }).getByRole('option');

	await search.fill('sweelinck 12');
	await expect(options).toHaveCount(1);
	await expect(options.first()).toHaveText(/Sweelinckstraat 12, 6521CA/);
	await expect(page.getByTestId('search-pdok-unreachable')).toHaveText(
		'PDOK is niet bereikbaar; alleen het adressenbestand is doorzocht.'
	);
	await expect(
		page.getByRole('group', { name: 'Uit PDOK (niet in het adressenbestand)' })
	).toHaveCount(0);
	await search.press('ArrowDown');
	await search.press('Enter');
	await expect(page.getByTestId('address-panel')).toContainText('Sweelinckstraat 12');
	await expect(page.getByTestId('search-pdok-note')).toBeEmpty();
	expect(errors).toEqual([]);
});
