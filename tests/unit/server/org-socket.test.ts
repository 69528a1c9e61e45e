import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SyncHooks } from '../../../src/lib/server/sync/hooks';
import { SyncServer } from '../../../src/lib/server/sync/server';
import { captureSocket } from '../../support/raw-socket';

const ORG_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const ORG_B = '0b0b0b0b-0000-4000-8000-00000000000b';

/**
 * The upgrade path of /sync/<board>/org with stand-in hooks: who connects is told by a header, so
 * that only the server's choice of document is under test.
 */
describe('/sync/<board>/org picks the document from the user, never from the client', () => {
	let http: Server | undefined;
	let sync: SyncServer | undefined;
	afterEach(async () => {
		await sync?.close();
		await new Promise((resolve) => http?.close(resolve));
		http = sync = undefined;
	});

	async function start(loaded: string[]): Promise<number> {
		const hooks: SyncHooks = {
			async onAuthenticate(request) {
				const who = String(request.headers['x-who'] ?? '');
				const organisationId = who === 'a' ? ORG_A : who === 'b' ? ORG_B : null;
				return { readOnly: false, userId: `user-${who}`, organisationId };
			},
			async onLoadDocument(name) {
				loaded.push(name);
			},
			async onStoreDocument() {}
		};
		sync = new SyncServer({ hooks, debounceMs: 10, maxWaitMs: 10, log: () => {} });
		http = createServer();
		sync.attach(http, { exclusive: true });
		await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
		return (http.address() as AddressInfo).port;
	}

	it('opens each organisation its own document and refuses a user without one', async () => {
		const loaded: string[] = [];
		const port = await start(loaded);
		expect((await captureSocket(port, 'wijk/org', { 'x-who': 'a' }, 100)).status).toBe(101);
		expect((await captureSocket(port, 'wijk/org', { 'x-who': 'b' }, 100)).status).toBe(101);
		expect((await captureSocket(port, 'wijk', { 'x-who': 'b' }, 100)).status).toBe(101);
		// An organisation's document brings its board's (the consent check reads it), loaded again
		// after each socket closed.
		expect([...new Set(loaded)].sort()).toEqual(['wijk', `wijk/org/${ORG_A}`, `wijk/org/${ORG_B}`]);
		const before = loaded.length;

		const none = await captureSocket(port, 'wijk/org', { 'x-who': 'nobody' }, 100);
		expect(none.status).toBe(403);
		// A client that names an organisation (or anything else after the board) gets nothing.
		for (const room of [`wijk/org/${ORG_A}`, 'wijk/other', 'wijk/', 'wijk/org/']) {
			expect((await captureSocket(port, room, { 'x-who': 'b' }, 100)).status, room).toBe(400);
		}
		expect(loaded).toHaveLength(before);
	});

	it('closes an organisation socket at once when the user loses access to the board', async () => {
		const port = await start([]);
		const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/wijk/org`, { headers: { 'x-who': 'a' } });
		await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
		const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
		expect(await sync!.reauthorize('wijk', 'user-a', null)).toBe(1);
		expect(await closed).toBe(4403);
	});
});
