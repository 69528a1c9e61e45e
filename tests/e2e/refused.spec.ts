import { expect, test, type Page, type WebSocketRoute } from './test';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { collectErrors, openBoard } from './helpers';

/** A y-websocket "update" message carrying a change the board's model does not allow. */
function invalidUpdateMessage(): Buffer {
	const doc = new Y.Doc();
	doc.getMap('not-a-board-kind').set('x', 'y');
	const message = encoding.createEncoder();
	encoding.writeVarUint(message, 0); // sync
	encoding.writeVarUint(message, 2); // update
	encoding.writeVarUint8Array(message, Y.encodeStateAsUpdate(doc));
	return Buffer.from(encoding.toUint8Array(message));
}

/** A y-websocket "update" message the server cannot read (a garbled update). */
function garbledUpdateMessage(): Buffer {
	const message = encoding.createEncoder();
	encoding.writeVarUint(message, 0); // sync
	encoding.writeVarUint(message, 2); // update
	encoding.writeVarUint8Array(message, new Uint8Array([7, 255, 255, 255, 255, 1, 2, 3]));
	return Buffer.from(encoding.toUint8Array(message));
}

/**
 * The page talks to the real server through this route; the test adds one message of its own on
 * the page's connection, as a broken or tampered client would send it. Only the board's own
 * document (/sync/spoorbuurt), not the organisation's notes (/sync/spoorbuurt/org).
 */
async function openWithRoute(page: Page): Promise<WebSocketRoute> {
	let toServer: WebSocketRoute | undefined;
	await page.routeWebSocket(/\/sync\/spoorbuurt(\?.*)?$/, (ws) => {
		toServer = ws.connectToServer();
	});
	await openBoard(page);
	expect(toServer).toBeDefined();
	return toServer!;
}

test('a change that breaks the model: the rest is kept and the page names what was not taken', async ({
	page
}) => {
	const errors = collectErrors(page);
	const toServer = await openWithRoute(page);
	toServer.send(invalidUpdateMessage());

	const notice = page.getByTestId('not-taken');
	await expect(notice).toBeVisible();
	await expect(notice).toContainText('Niet alles is opgeslagen');
	await expect(notice).toContainText(
		'onbekend onderdeel ‘not-a-board-kind’: bestaat niet in het bord'
	);
	// The connection stays: nothing to reload, nothing of the device's work dropped.
	const status = page.getByTestId('connection-status');
	await expect(status).toHaveAttribute('data-status', 'connected');
	await page.getByRole('button', { name: 'Sluiten' }).click();
	await expect(notice).toHaveCount(0);
	await expect(status).toHaveAttribute('data-status', 'connected');
	expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
});

test('a message the server cannot read stops the connection and asks to reload', async ({
	page
}) => {
	const errors = collectErrors(page);
	const toServer = await openWithRoute(page);
	toServer.send(garbledUpdateMessage());

	const status = page.getByTestId('connection-status');
	await expect(status).toHaveAttribute('data-status', 'refused');
	await expect(page.getByRole('alert')).toContainText('geweigerd');

	await page.unrouteAll();
	await page.getByRole('button', { name: 'Bord herladen' }).click();
	await expect(status).toHaveAttribute('data-status', 'connected');
	// Chromium logs the closed websocket; nothing else may go wrong on the page.
	expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
});
