import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import { addPin } from '../../src/lib/board/pins';
import type { SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import {
	collectErrors,
	initiatiefRow,
	mapCenter,
	openBoard,
	renderedTitles,
	visibleAddresses
} from './helpers';
import { OwnServer } from './own-server';

// Its own server: the board's stored document starts with pins an older app made.
let dataDir: string;
let server: OwnServer;
let users: { owner: SeededUser; editor: SeededUser; viewer: SeededUser };

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-legacy-pins-'));
	server = new OwnServer(ownPort(1), {
		BUURTBORD_DATA_DIR: dataDir
	});
	users = await server.seed({
		owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
		editor: { org: 'Bindkracht10', displayName: 'Erik Bewerker', boards: { spoorbuurt: 'editor' } },
		viewer: { org: 'HAN', displayName: 'Vera Lezer', boards: { spoorbuurt: 'viewer' } }
	});
	await server.start();
});

test.afterAll(async () => {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

/** What the server holds now, read by a fresh sync client (as the owner). */
async function stored(): Promise<{ pins: string[]; notities: string[]; initiatieven: string[] }> {
	const client: TestClient = connectClient(server.port, 'spoorbuurt', {
		cookie: users.owner.cookie
	});
	try {
		await whenSynced(client);
		const texts = (name: string, field: string) =>
			[...client.doc.getMap<{ get(key: string): unknown }>(name).values()]
				.map((item) => String(item.get(field)))
				.sort();
		return {
			pins: texts('pins', 'title'),
			notities: texts('notities', 'text'),
			initiatieven: texts('initiatieven', 'title')
		};
	} finally {
		client.destroy();
	}
}

test('stored pins become notities and initiatieven once an editor opens the board; a viewer changes nothing', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const stamp = Date.now();
	const initiatief = `Buurtmoestuin ${stamp}`;
	const notitie = `Bankje kapot ${stamp}`;
	const gesprek = `Mevrouw op de hoek ${stamp}`;

	// A viewer has the board open when an older app (a sync client) adds three pins.
	const viewer = await server.signedInPage(browser, users.viewer);
	const viewerErrors = collectErrors(viewer);
	await openBoard(viewer, 'spoorbuurt', server.url);
	const [address] = await visibleAddresses(viewer);
	const center = await mapCenter(viewer);
	const old = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
	try {
		await whenSynced(old);
		const at = { lon: center.lng, lat: center.lat };
		addPin(old.doc, { kind: 'initiatief', title: initiatief, addressId: address!.id, ...at });
		addPin(old.doc, { kind: 'notitie', title: notitie, addressId: null, ...at });
		addPin(old.doc, { kind: 'gesprek', title: gesprek, addressId: null, ...at });
	} finally {
		old.destroy();
	}

	// The viewer's page shows the pins as they are and does not migrate them: they stay stored.
	await expect
		.poll(() => renderedTitles(viewer, 'pins'))
		.toEqual(expect.arrayContaining([initiatief, notitie, gesprek]));
	await expect(await initiatiefRow(viewer, initiatief)).toHaveCount(0);
	expect((await stored()).pins).toEqual([gesprek, initiatief, notitie].sort());
	await viewer.reload();
	await openBoard(viewer, 'spoorbuurt', server.url);
	expect((await stored()).pins).toHaveLength(3);

	// An editor opens the board: the pins are gone, the same titles are an initiatief and notities.
	const editor = await server.signedInPage(browser, users.editor);
	const editorErrors = collectErrors(editor);
	await openBoard(editor, 'spoorbuurt', server.url);
	await expect(await initiatiefRow(editor, initiatief)).toContainText(address!.label);
	await expect
		.poll(() => renderedTitles(editor, 'notities'))
		.toEqual(expect.arrayContaining([notitie, `Gesprek: ${gesprek}`]));
	await expect.poll(() => renderedTitles(editor, 'pins')).toEqual([]);
	// The server accepted the change (a refused update would show status 'refused').
	await expect(editor.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');

	// Live in the viewer's page, and in a second browser that opens the board afterwards.
	await expect(await initiatiefRow(viewer, initiatief)).toHaveCount(1);
	await expect.poll(() => renderedTitles(viewer, 'pins')).toEqual([]);
	await expect
		.poll(() => renderedTitles(viewer, 'notities'))
		.toEqual(expect.arrayContaining([notitie, `Gesprek: ${gesprek}`]));
	const owner = await server.signedInPage(browser, users.owner);
	const ownerErrors = collectErrors(owner);
	await openBoard(owner, 'spoorbuurt', server.url);
	await expect(await initiatiefRow(owner, initiatief)).toHaveCount(1);
	await expect
		.poll(() => renderedTitles(owner, 'notities'))
		.toEqual(expect.arrayContaining([notitie, `Gesprek: ${gesprek}`]));

	// Stored on the server: nothing lost, nothing doubled (two editors' pages ran it).
	await expect.poll(async () => (await stored()).pins).toEqual([]);
	const after = await stored();
	expect(after.initiatieven.filter((t) => t === initiatief)).toHaveLength(1);
	expect(after.notities.filter((t) => t.endsWith(String(stamp)))).toEqual(
		[notitie, `Gesprek: ${gesprek}`].sort()
	);

	expect([...viewerErrors, ...editorErrors, ...ownerErrors]).toEqual([]);
	for (const page of [viewer, editor, owner]) await page.context().close();
});
