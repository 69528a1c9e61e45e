import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import { addGesprek } from '../../src/lib/board';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced } from '../support/clients';
import { addressOnScreen, collectErrors, openBoard, visibleAddresses } from './helpers';
import { OwnServer } from './own-server';

// Its own server and data folder: the erasure must not touch what other specs see.
let dataDir: string;
let server: OwnServer;
let users: Record<'owner' | 'editor', SeededUser>;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-erasure-'));
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
			editor: { org: 'Woonwaarts', displayName: 'Redacteur', boards: { spoorbuurt: 'editor' } }
		}
	);
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

const HELD_BY = 'Gespreksvoerder Vertrouwelijk';
const NOTES = 'Heeft schulden en zoekt een maatje';

test('an owner erases a household; an editor sees its gesprek disappear at once', async ({
	browser
}) => {
	const ownerPage = await server.signedInPage(browser, users.owner);
	const editorPage = await server.signedInPage(browser, users.editor);
	const errors = [...collectErrors(ownerPage), ...collectErrors(editorPage)];
	await openBoard(ownerPage, 'spoorbuurt', server.url);
	await openBoard(editorPage, 'spoorbuurt', server.url);

	const addresses = await visibleAddresses(ownerPage);
	const target = addresses[3 % addresses.length]!;
	const other = addresses[4 % addresses.length]!;
	// Two households with a gesprek each, written as the editor's app would.
	const client = connectClient(server.port, 'spoorbuurt', { cookie: users.editor.cookie });
	try {
		await whenSynced(client);
		for (const address of [target, other]) {
			addGesprek(client.doc, {
				addressId: address.id,
				date: '2026-03-12',
				heldBy: address === target ? HELD_BY : 'Blijft staan',
				outcome: 'gesproken',
				notes: address === target ? NOTES : ''
			});
		}

		// The editor has the household open.
		const editorTarget = await addressOnScreen(editorPage, target.id);
		await editorPage.mouse.click(editorTarget.x, editorTarget.y);
		const editorPanel = editorPage.getByTestId('address-panel');
		await expect(editorPanel.getByRole('heading', { level: 2 })).toContainText(target.label);
		await expect(editorPanel.getByTestId('history-item')).toContainText(HELD_BY);
		// Only owners may erase.
		await expect(
			editorPanel.getByRole('button', { name: 'Gegevens van dit huishouden wissen' })
		).toHaveCount(0);

		// The owner erases it, confirming in a dialog that names the address.
		await ownerPage.mouse.click(target.x, target.y);
		const panel = ownerPage.getByTestId('address-panel');
		await expect(panel.getByTestId('history-item')).toContainText(HELD_BY);
		await panel.getByRole('button', { name: 'Gegevens van dit huishouden wissen' }).click();
		const dialog = ownerPage.getByRole('dialog');
		await expect(dialog).toBeVisible();
		await expect(dialog.getByRole('heading')).toContainText(target.label);
		await dialog.getByRole('button', { name: 'Definitief wissen' }).click();
		await expect(dialog).toBeHidden();
		await expect(panel.getByRole('status')).toContainText('zijn gewist');
		await expect(panel.getByTestId('history-item')).toHaveCount(0);

		// The editor's open browser: the gesprek is gone without a reload.
		await expect(editorPanel.getByTestId('history-item')).toHaveCount(0);
		await expect(editorPage.getByText(HELD_BY)).toHaveCount(0);
		// The other household is untouched.
		await editorPanel.getByRole('button', { name: 'Sluiten' }).click();
		const editorOther = await addressOnScreen(editorPage, other.id);
		await editorPage.mouse.click(editorOther.x, editorOther.y);
		await expect(editorPanel.getByTestId('history-item')).toContainText('Blijft staan');
	} finally {
		client.destroy();
	}
	expect(errors).toEqual([]);
});
