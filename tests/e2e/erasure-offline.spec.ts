import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addGesprek } from '../../src/lib/board';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced } from '../support/clients';
import { eraseAt } from '../support/erased';
import { collectErrors, openBoard, visibleAddresses } from './helpers';
import { OwnServer } from './own-server';
import { ownPort } from './ports';
import { expect, test, type Page } from './test';

// Its own server and data folder: the erasure must not touch what other specs see.
let dataDir: string;
let server: OwnServer;
let users: Record<'owner' | 'editor', SeededUser>;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-erasure-offline-'));
	server = new OwnServer(ownPort(2), { BUURTBORD_DATA_DIR: dataDir, PUBLIC_BASEMAP_STYLE_URL: '' });
	users = await seedServerUsers(
		{ dataDir },
		{
			owner: { org: 'Buurtteam Spoorbuurt', boards: { spoorbuurt: 'owner' } },
			editor: { org: 'Woonwaarts', displayName: 'Veldwerker', boards: { spoorbuurt: 'editor' } }
		}
	);
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

const NOTES = 'Zorgenoverhuurachterstandxq';

/** Whether the board's copy in this browser's IndexedDB (y-indexeddb's updates) holds the text. */
function deviceCopyHolds(page: Page, name: string, text: string): Promise<boolean> {
	return page.evaluate(
		({ name, text }) =>
			new Promise<boolean>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const all = db.transaction('updates').objectStore('updates').getAll();
					all.onsuccess = () => {
						const bytes = (all.result as Uint8Array[]).flatMap((u) => [...u]);
						db.close();
						resolve(new TextDecoder('latin1').decode(new Uint8Array(bytes)).includes(text));
					};
				};
			}),
		{ name, text }
	);
}

test('a device that was offline during an erasure keeps nothing of the household once it reconnects', async ({
	browser
}) => {
	const page = await server.signedInPage(browser, users.editor);
	const errors = collectErrors(page);
	await openBoard(page, 'spoorbuurt', server.url);
	const copy = `buurtbord:${users.editor.id}:spoorbuurt`;
	const [target] = await visibleAddresses(page);
	// A colleague's gesprek reaches the device, which keeps the board in its own copy.
	const client = connectClient(server.port, 'spoorbuurt', { cookie: users.editor.cookie });
	try {
		await whenSynced(client);
		addGesprek(client.doc, {
			addressId: target!.id,
			date: '2026-03-12',
			heldBy: 'Buurtcoach',
			outcome: 'gesproken',
			notes: NOTES
		});
	} finally {
		client.destroy();
	}
	await expect.poll(() => deviceCopyHolds(page, copy, NOTES)).toBe(true);

	// Offline, the household is erased; back online, the device's copy no longer holds it.
	await page.context().setOffline(true);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	await eraseAt(server.url, users.owner.cookie, target!.id);
	await page.context().setOffline(false);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
		timeout: 20_000
	});
	await expect.poll(() => deviceCopyHolds(page, copy, NOTES)).toBe(false);
	expect(errors).toEqual([]);
});
