import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { manyDeleteRanges, manyValuesOfOneField } from '../support/costly-updates';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';
import { askEverything, rawSyncSocket, syncMessage } from '../support/sync-load';

/**
 * An editor's client sends updates that were cheap to make and very costly to check: a delete set
 * of many ranges over thousands of structs, and one field set tens of thousands of times. Each
 * blocked the whole process (every board, every request) for a minute or more. Now the server
 * keeps answering while it takes them, and applies them as Yjs does.
 */
describe('updates that were costly to check', () => {
	let server: ServerProcess;
	let cookie: string;
	const clients: TestClient[] = [];

	beforeAll(async () => {
		const seeded = await startSeededServer();
		server = seeded.server;
		cookie = seeded.users.owner.cookie;
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.stop('SIGKILL');
	});

	it('do not stop the server answering, and are applied', { timeout: 120_000 }, async () => {
		const watcher = connectClient(server.port, 'spoorbuurt', { cookie });
		clients.push(watcher);
		await whenSynced(watcher);

		const attacker = rawSyncSocket(server.port, 'spoorbuurt', cookie);
		await attacker.opened;
		attacker.ws.send(askEverything());
		attacker.ws.send(syncMessage(2, manyDeleteRanges(10_000, 600_000)));
		attacker.ws.send(syncMessage(2, manyValuesOfOneField(60_000)));

		// While the server takes them: how long the health answer and a colleague's edit take.
		let slowest = 0;
		const applied = () =>
			(watcher.pins.get('veel-waarden') as Y.Map<unknown> | undefined)?.get('title') ===
			'titel 59999';
		const deadline = Date.now() + 90_000;
		while (!applied() && Date.now() < deadline) {
			const start = Date.now();
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
			slowest = Math.max(slowest, Date.now() - start);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(applied()).toBe(true);
		// Blocked, it was a minute or more; 10 s leaves room for a machine busy with other work
		// (5.9 s seen with a load average of 11 on two cores).
		expect(slowest).toBeLessThan(10_000);

		const colleague = connectClient(server.port, 'spoorbuurt', { cookie });
		clients.push(colleague);
		await whenSynced(colleague);
		addPin(watcher, 'daarna', 'gewoon verder');
		await expect.poll(() => titles(colleague)).toContain('gewoon verder');
		expect(server.child.exitCode).toBeNull();
		attacker.ws.close();
	});
});
