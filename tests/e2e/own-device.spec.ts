import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import { openBoard, visibleAddresses } from './helpers';
import { localData, waitForOfflineCopy } from './field-helpers';
import { OwnServer } from './own-server';

// "Dit is mijn eigen apparaat" (issue 12): confidential notes on the device only when chosen, and
// then sealed with the session's key. Its own server: signing out ends the session.
let dataDir: string;
let server: OwnServer;
let users: Record<'fatma' | 'wim' | 'plain' | 'owner' | 'leaver', SeededUser>;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-own-device-'));
	server = new OwnServer(ownPort(1), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: ''
	});
	users = await server.seed({
		fatma: { org: 'Woonwaarts', displayName: 'Fatma', boards: { spoorbuurt: 'editor' } },
		wim: { org: 'Woonwaarts', displayName: 'Wim', boards: { spoorbuurt: 'editor' } },
		plain: { org: 'Woonwaarts', displayName: 'Pim', boards: { spoorbuurt: 'editor' } },
		owner: {
			org: 'Buurtteam Spoorbuurt',
			displayName: 'Eigenaar',
			boards: { spoorbuurt: 'owner' }
		},
		leaver: { org: 'Woonwaarts', displayName: 'Vera Vertrek', boards: { spoorbuurt: 'editor' } }
	});
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

interface RawDevice {
	/** Database name → object store → number of records. */
	counts: Record<string, Record<string, number>>;
	/** Every key and value of every record of Buurtbord's databases, bytes as latin1. */
	text: string;
}

/** Reads every Buurtbord IndexedDB database on the device record by record, as raw as it gets. */
function rawDevice(page: Page): Promise<RawDevice> {
	return page.evaluate(async () => {
		const latin1 = new TextDecoder('latin1');
		const flatten = (value: unknown): string => {
			if (value instanceof Uint8Array) return latin1.decode(value);
			if (value instanceof ArrayBuffer) return latin1.decode(new Uint8Array(value));
			if (Array.isArray(value)) return value.map(flatten).join('|');
			if (value && typeof value === 'object')
				return Object.values(value as Record<string, unknown>)
					.map(flatten)
					.join('|');
			return String(value);
		};
		const counts: Record<string, Record<string, number>> = {};
		let text = '';
		for (const info of await indexedDB.databases()) {
			const name = info.name ?? '';
			if (!name.startsWith('buurtbord')) continue;
			// Never creates one: a database deleted since the listing would be made anew (empty) by
			// open(), and then be listed again on every later look.
			const db = await new Promise<IDBDatabase | null>((resolve) => {
				const req = indexedDB.open(name);
				req.onupgradeneeded = () => req.transaction?.abort();
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => resolve(null);
			});
			if (!db) continue;
			counts[name] = {};
			for (const store of Array.from(db.objectStoreNames)) {
				const tx = db.transaction(store, 'readonly');
				const [keys, values] = await Promise.all(
					[tx.objectStore(store).getAllKeys(), tx.objectStore(store).getAll()].map(
						(req) =>
							new Promise<unknown[]>((resolve, reject) => {
								req.onsuccess = () => resolve(req.result as unknown[]);
								req.onerror = () => reject(req.error);
							})
					)
				);
				counts[name][store] = values!.length;
				text += flatten(keys) + flatten(values);
			}
			db.close();
		}
		return { counts, text };
	});
}

const notesStore = (user: SeededUser) => `buurtbord:${user.id}:spoorbuurt:org-notes`;

/** A new gesprek at the first address on the map, its notes marked "alleen mijn organisatie". */
async function confidentialGesprek(page: Page, heldBy: string): Promise<string> {
	const [address] = await visibleAddresses(page);
	expect(address).toBeDefined();
	await page.mouse.click(address!.x, address!.y);
	const panel = page.getByTestId('address-panel');
	await panel.getByRole('button', { name: 'Nieuw gesprek' }).click();
	const form = panel.getByTestId('gesprek-form');
	await form.getByLabel('Gevoerd door').fill(heldBy);
	await form.getByRole('button', { name: 'Gesprek opslaan' }).click();
	await expect(panel.getByTestId('history-item').filter({ hasText: heldBy })).toBeVisible();
	const toggle = form.getByRole('checkbox', { name: 'Alleen mijn organisatie' });
	await expect(toggle).toBeEnabled();
	await toggle.check();
	await expect(form).toContainText("Deze notitie lezen alleen collega's van Woonwaarts");
	return address!.label;
}

async function openGesprek(page: Page, addressLabel: string, heldBy: string): Promise<void> {
	const list = page.getByTestId('list-view');
	await list.getByRole('button', { name: addressLabel, exact: true }).click();
	const panel = page.getByTestId('address-panel');
	await panel.getByTestId('history-item').filter({ hasText: heldBy }).getByRole('button').click();
	await expect(panel.getByTestId('gesprek-form')).toBeVisible();
}

async function setOwnDevice(page: Page, on: boolean): Promise<void> {
	const box = page.getByTestId('own-device');
	if (!(await box.evaluate((el) => (el as HTMLDetailsElement).open)))
		await box.locator('summary').click();
	const choice = box.getByRole('checkbox', { name: 'Dit is mijn eigen apparaat' });
	if (on) await choice.check();
	else await choice.uncheck();
}

test('off by default: confidential notes are not stored on the device', async ({ browser }) => {
	test.setTimeout(120_000);
	const page = await server.signedInPage(browser, users.plain);
	await openBoard(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);
	const box = page.getByTestId('own-device');
	await expect(box).toHaveAttribute('data-state', 'off');
	await expect(box.locator('summary')).toHaveText('Vertrouwelijke notities: niet op dit apparaat');
	await box.locator('summary').click();
	await expect(box.getByRole('checkbox', { name: 'Dit is mijn eigen apparaat' })).not.toBeChecked();

	const secret = `Alleen online ${Date.now()}`;
	const heldBy = `Pim ${Date.now()}`;
	await confidentialGesprek(page, heldBy);
	await page.getByTestId('gesprek-notes').fill(secret);
	// The board's own copy is on the device (with the gesprek), the note is not, nor any notes store.
	await expect.poll(async () => (await rawDevice(page)).text).toContain(heldBy);
	const raw = await rawDevice(page);
	expect(raw.text).not.toContain(secret);
	expect(Object.keys(raw.counts).filter((n) => n.endsWith(':org-notes'))).toEqual([]);
	await page.context().close();
});

test('own device: the note is stored sealed, is locked after an offline reload, its offline edit is sent on reconnect, and signing out empties the device', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const page = await server.signedInPage(browser, users.fatma);
	const context = page.context();
	await openBoard(page, 'spoorbuurt', server.url);
	await waitForOfflineCopy(page);

	await setOwnDevice(page, true);
	const box = page.getByTestId('own-device');
	await expect(box).toHaveAttribute('data-state', 'open');
	await expect(box.locator('summary')).toHaveText(
		'Vertrouwelijke notities: versleuteld op dit apparaat'
	);
	await box.locator('summary').click();

	const secret = `Schuldhulp-traject ${Date.now()}, niet delen`;
	const offlineText = ' Offline: zoon woont weer thuis.';
	const heldBy = `Fatma ${Date.now()}`;
	const label = await confidentialGesprek(page, heldBy);
	const notes = page.getByTestId('gesprek-notes');
	await notes.fill(secret);

	// Stored: the sealed store holds records, and no byte sequence of the device spells the note.
	const store = notesStore(users.fatma);
	await expect
		.poll(async () => (await rawDevice(page)).counts[store]?.updates ?? 0)
		.toBeGreaterThan(1);
	let raw = await rawDevice(page);
	expect(raw.text).toContain(heldBy); // the board's copy, which the search does read
	expect(raw.text).not.toContain(secret);
	expect(raw.text).not.toContain('Schuldhulp');

	// Offline, the note stays editable; what is written is stored, sealed.
	await context.setOffline(true);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	const before = raw.counts[store]!.updates!;
	await notes.press('End');
	await page.keyboard.insertText(offlineText);
	await expect
		.poll(async () => (await rawDevice(page)).counts[store]?.updates ?? 0)
		.toBeGreaterThan(before);
	expect((await rawDevice(page)).text).not.toContain('zoon woont');
	// The sync state counts the note's change as not yet sent (the board itself has none).
	const sync = page.getByTestId('sync-state');
	await expect(sync).toHaveAttribute('data-state', 'unsent');
	expect(Number(await sync.getAttribute('data-unsent'))).toBeGreaterThanOrEqual(1);

	// Reloaded without network: the board comes from the device, the notes stay locked (no key).
	await page.reload();
	await expect(page.getByTestId('board-map')).toBeVisible();
	await expect(box).toHaveAttribute('data-state', 'locked');
	await openGesprek(page, label, heldBy);
	await expect(page.getByTestId('gesprek-form')).toContainText(
		'Vertrouwelijke notities staan versleuteld op dit apparaat en zijn leesbaar zodra je weer verbinding hebt.'
	);
	await expect(page.getByTestId('gesprek-notes')).toHaveCount(0);
	raw = await rawDevice(page);
	expect(raw.counts[store]?.updates).toBeGreaterThan(0);
	expect(raw.text).not.toContain('Schuldhulp');
	expect(raw.text).not.toContain('zoon woont');

	// Back online: the key comes, the notes open with the offline edit, which reaches the server.
	await context.setOffline(false);
	await expect(box).toHaveAttribute('data-state', 'open');
	await expect
		.poll(() => page.getByTestId('gesprek-notes').inputValue())
		.toBe(secret + offlineText);
	await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'saved');
	const colleague = await server.signedInPage(browser, users.wim);
	await openBoard(colleague, 'spoorbuurt', server.url);
	await openGesprek(colleague, label, heldBy);
	await expect
		.poll(() => colleague.getByTestId('gesprek-notes').inputValue())
		.toBe(secret + offlineText);
	// The colleague did not choose "own device": nothing of the notes on that device.
	expect(
		Object.keys((await rawDevice(colleague)).counts).filter((n) => n.endsWith(':org-notes'))
	).toEqual([]);
	await colleague.context().close();

	// Signing out leaves nothing: no database (sealed store included), no cache.
	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(/\/login/);
	await expect.poll(() => localData(page)).toEqual({ databases: [], caches: [] });
	await context.close();
});

test('turning the option off erases the stored notes at once', async ({ browser }) => {
	test.setTimeout(120_000);
	const page = await server.signedInPage(browser, users.wim);
	await openBoard(page, 'spoorbuurt', server.url);
	await setOwnDevice(page, true);
	await expect(page.getByTestId('own-device')).toHaveAttribute('data-state', 'open');
	const store = notesStore(users.wim);
	await expect.poll(async () => Object.keys((await rawDevice(page)).counts)).toContain(store);
	await setOwnDevice(page, false);
	await expect(page.getByTestId('own-device')).toHaveAttribute('data-state', 'off');
	await expect.poll(async () => Object.keys((await rawDevice(page)).counts)).not.toContain(store);
	// And it stays off after a reload.
	await page.reload();
	await expect(page.getByTestId('own-device')).toHaveAttribute('data-state', 'off');
	expect(Object.keys((await rawDevice(page)).counts)).not.toContain(store);
	await page.context().close();
});

test('losing access to the board (4403) wipes the sealed notes too', async ({ browser }) => {
	test.setTimeout(120_000);
	const page = await server.signedInPage(browser, users.leaver);
	await openBoard(page, 'spoorbuurt', server.url);
	await setOwnDevice(page, true);
	await expect(page.getByTestId('own-device')).toHaveAttribute('data-state', 'open');
	const store = notesStore(users.leaver);
	await expect.poll(async () => Object.keys((await rawDevice(page)).counts)).toContain(store);

	const owner = await server.signedInPage(browser, users.owner);
	await owner.goto(`${server.url}/boards/spoorbuurt/leden`);
	const row = owner.getByTestId('member-row').filter({ hasText: 'Vera Vertrek' });
	await row.getByRole('button', { name: 'Vera Vertrek van het bord verwijderen' }).click();
	await expect(row).toHaveCount(0);

	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'revoked');
	await expect.poll(() => localData(page)).toEqual({ databases: [], caches: [] });
	expect(await page.evaluate(() => Object.keys(localStorage))).not.toContainEqual(
		expect.stringMatching(/^buurtbord-own-device:/)
	);
	await page.context().close();
	await owner.context().close();
});
