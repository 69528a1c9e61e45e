import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SyncHooks } from '../../../src/lib/server/sync/hooks';
import { SyncServer } from '../../../src/lib/server/sync/server';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../../support/clients';

/**
 * A new client's answer (the whole document) is encoded once per document state and reused: every
 * new client must still get the document as it is at that moment. Stand-in hooks keep the stored
 * updates in memory.
 */
describe('the answer for a new client', () => {
	let http: Server | undefined;
	let sync: SyncServer | undefined;
	const clients: TestClient[] = [];
	afterEach(async () => {
		clients.splice(0).forEach((c) => c.destroy());
		await sync?.close();
		if (http) await new Promise((resolve) => http!.close(resolve));
		http = sync = undefined;
	});

	async function start(stored: Uint8Array[] = []): Promise<number> {
		const hooks: SyncHooks = {
			async onAuthenticate() {
				return { readOnly: false, userId: 'u' };
			},
			async onLoadDocument(_name, doc) {
				for (const update of stored) Y.applyUpdate(doc, update);
			},
			async onStoreDocument(_name, update) {
				stored.push(update);
			}
		};
		sync = new SyncServer({ hooks, debounceMs: 5, maxWaitMs: 20, log: () => {} });
		http = createServer();
		sync.attach(http, { exclusive: true });
		await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
		return (http.address() as AddressInfo).port;
	}

	function connect(port: number): TestClient {
		const client = connectClient(port, 'wijk');
		clients.push(client);
		return client;
	}

	it('gives every new client the document as it is now, also after edits', async () => {
		const port = await start();
		const a = connect(port);
		await whenSynced(a);
		addPin(a, 'p1', 'Eerste');
		// New clients one after another, each editing: none gets an answer from before an edit.
		for (const [i, title] of ['Tweede', 'Derde', 'Vierde'].entries()) {
			const fresh = connect(port);
			await whenSynced(fresh);
			await expect.poll(() => titles(fresh).length).toBe(i + 1);
			addPin(fresh, `p${i + 2}`, title);
		}
		const all = ['Derde', 'Eerste', 'Tweede', 'Vierde'];
		const last = connect(port);
		await expect.poll(() => titles(last)).toEqual(all);
		// A client that already holds part of the document gets what it lacks.
		await expect.poll(() => titles(a)).toEqual(all);
	});

	it('gives new clients the stored document, and a change the server made', async () => {
		const doc = new Y.Doc();
		const pin = new Y.Map<unknown>();
		doc.getMap('pins').set('s1', pin);
		pin.set('title', 'Opgeslagen');
		const port = await start([Y.encodeStateAsUpdate(doc)]);
		const a = connect(port);
		await whenSynced(a);
		expect(titles(a)).toEqual(['Opgeslagen']);
		// A change on the server (as an erasure makes it), then a new client.
		await sync!.withDocument('wijk', (live) => live.getMap('pins').delete('s1'));
		const b = connect(port);
		await whenSynced(b);
		expect(titles(b)).toEqual([]);
		await expect.poll(() => titles(a)).toEqual([]);
	});
});
