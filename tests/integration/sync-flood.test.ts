import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin, connectClient, whenSynced, type TestClient } from '../support/clients';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';
import { askEverything, editToSeenMs, rawSyncSocket, syncMessage } from '../support/sync-load';
import { CLOSE_TOO_MANY_REQUESTS, DEFAULT_LIMITS } from '../../src/lib/server/sync/limits';

const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' as const } },
	flooder: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' as const } }
};

/** Updates of a client of its own, each adding one notitie (valid, and independent of the board). */
function floodUpdates(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const pins = doc.getMap<Y.Map<unknown>>('pins');
	for (let i = 0; i < count; i++) {
		doc.transact(() => {
			const pin = new Y.Map<unknown>();
			for (const [k, v] of Object.entries({
				id: `flood-${i}`,
				kind: 'notitie',
				// ~1 KB each, so that one read of the socket holds few of them: the server charges
				// every message, but what it has already read is handled before it pauses.
				title: `flood ${i} ${'x'.repeat(900)}`,
				addressId: null,
				lon: 5.87,
				lat: 51.832,
				createdAt: new Date().toISOString()
			})) {
				pin.set(k, v);
			}
			pins.set(`flood-${i}`, pin);
		});
	}
	return updates;
}

/**
 * A signed-in editor's client sends as fast as it can: the server reads it only as fast as the
 * user's budget on the board allows (limits.ts, IncomingBudget). Nothing is dropped, the socket
 * stays open, and the others on the board keep their latency.
 */
describe('one user sending more than the budget', () => {
	let server: ServerProcess;
	let cookies: Record<keyof typeof CAST, string>;
	let a: TestClient;
	let b: TestClient;
	const pinId = 'meetpunt';

	beforeAll(async () => {
		const seeded = await startSeededServer({}, CAST);
		server = seeded.server;
		cookies = { owner: seeded.users.owner.cookie, flooder: seeded.users.flooder.cookie };
		a = connectClient(server.port, 'spoorbuurt', { cookie: cookies.owner });
		b = connectClient(server.port, 'spoorbuurt', { cookie: cookies.owner });
		await Promise.all([whenSynced(a), whenSynced(b)]);
		addPin(a, pinId, 'start');
		await new Promise<void>((resolve) => {
			const check = () => b.pins.has(pinId) && (b.pins.unobserve(check), resolve());
			b.pins.observe(check);
			check();
		});
		await editToSeenMs(a, b, pinId, 50); // warm up
	}, 120_000);

	afterAll(async () => {
		a?.destroy();
		b?.destroy();
		await server?.stop('SIGKILL');
	});

	it('is slowed down, not cut off: every update arrives, and the others keep their latency', async () => {
		const idleMs = await editToSeenMs(a, b, pinId);
		const count = 1200;
		const updates = floodUpdates(count);
		const flooder = rawSyncSocket(server.port, 'spoorbuurt', cookies.flooder);
		await flooder.opened;
		const started = performance.now();
		flooder.ws.send(askEverything());
		for (const u of updates) flooder.ws.send(syncMessage(2, u));
		const latency = await editToSeenMs(a, b, pinId);
		const flooded = () => [...b.pins.keys()].filter((k) => k.startsWith('flood-')).length;
		await expect.poll(flooded, { timeout: 60_000 }).toBe(count);
		const seconds = (performance.now() - started) / 1000;
		const { messageBurst, messagesPerSecond } = DEFAULT_LIMITS;
		console.log(
			`${count} updates applied in ${seconds.toFixed(1)} s; edit-to-seen median idle ${idleMs.toFixed(2)} ms, during the flood ${latency.toFixed(2)} ms`
		);
		// Read at the budget's pace: the burst at once, then messagesPerSecond (less what one read
		// of the socket, 64 KB, held when the budget ran out).
		expect(seconds).toBeGreaterThan(((count - messageBurst - 64) / messagesPerSecond) * 0.9);
		expect(flooder.ws.readyState).toBe(flooder.ws.OPEN);
		expect(latency).toBeLessThanOrEqual(2 * Math.max(idleMs, 5) + 5);
		flooder.ws.close();
	}, 120_000);

	it('closes a connection that asks for everyone’s presence in a loop (4429)', async () => {
		const asker = rawSyncSocket(server.port, 'spoorbuurt', cookies.flooder);
		await asker.opened;
		asker.ws.send(askEverything());
		const query = Buffer.from([3]);
		for (let i = 0; i < 100 && asker.ws.readyState === asker.ws.OPEN; i++) asker.ws.send(query);
		expect((await asker.closed).code).toBe(CLOSE_TOO_MANY_REQUESTS);
	}, 30_000);
});
