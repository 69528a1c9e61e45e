import { expect, test, type WebSocketRoute } from '@playwright/test';
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

test('a change the server refuses stops the connection and asks to reload', async ({ page }) => {
	const errors = collectErrors(page);
	// The page talks to the real server through this route; the test adds one bad message of its
	// own on the page's connection, as a broken or tampered client would send it.
	let toServer: WebSocketRoute | undefined;
	// Only the board's own document (/sync/spoorbuurt), not the organisation's notes (/sync/spoorbuurt/org).
	await page.routeWebSocket(/\/sync\/spoorbuurt(\?.*)?$/, (ws) => {
		toServer = ws.connectToServer();
	});
	await openBoard(page);
	expect(toServer).toBeDefined();
	toServer!.send(invalidUpdateMessage());

	const status = page.getByTestId('connection-status');
	await expect(status).toHaveAttribute('data-status', 'refused');
	await expect(page.getByRole('alert')).toContainText('geweigerd');

	await page.unrouteAll();
	await page.getByRole('button', { name: 'Bord herladen' }).click();
	await expect(status).toHaveAttribute('data-status', 'connected');
	// Chromium logs the closed websocket; nothing else may go wrong on the page.
	expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
});
