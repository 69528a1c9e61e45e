import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenceColour } from '../../src/lib/collab/presence-state';
import type { SeedUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import {
	awarenessMessage,
	editLatencies,
	openRawSocket,
	percentile,
	type RawPresenceSocket
} from '../support/presence';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/**
 * Presence against the real server process (issue 8 points 5 and 7): a connection sets only its
 * own awareness ids, every state carries the server's stamp of the signed-in user, one connection
 * cannot register thousands of ids or flood the others, and a closed connection's presence goes.
 */
const CAST = {
	owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
	editor: { org: 'Bindkracht10', displayName: 'Erik Bewerker', boards: { spoorbuurt: 'editor' } },
	viewer: { org: 'HAN', displayName: 'Vera Lezer', boards: { spoorbuurt: 'viewer' } }
} satisfies Record<string, SeedUser>;

type Seeded = SeededServer<keyof typeof CAST>;

interface SeenState {
	cursor?: { lon: number; lat: number };
	user?: { id: string; name: string; organisation: string | null; colour: string };
}

describe('presence on the sync server', () => {
	let seeded: Seeded;
	const clients: TestClient[] = [];
	const sockets: RawPresenceSocket[] = [];

	beforeAll(async () => {
		seeded = await startSeededServer({}, CAST);
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of sockets.splice(0)) s.close();
		await seeded?.server.stop('SIGKILL');
	});

	async function client(cookie: string): Promise<TestClient> {
		const c = connectClient(seeded.server.port, 'spoorbuurt', { cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	}
	async function raw(cookie: string): Promise<RawPresenceSocket> {
		const s = await openRawSocket(seeded.server.port, cookie);
		sockets.push(s);
		return s;
	}
	const stateOf = (observer: TestClient, clientId: number) =>
		observer.provider.awareness.getStates().get(clientId) as SeenState | undefined;

	it('a viewer cannot set presence for another member’s id, and every state carries the server’s stamp', async () => {
		const { users } = seeded;
		const owner = await client(users.owner.cookie);
		const editor = await client(users.editor.cookie);
		owner.provider.awareness.setLocalStateField('cursor', { lon: 5.1, lat: 51.1 });
		await expect.poll(() => stateOf(editor, owner.doc.clientID)?.cursor?.lon).toBe(5.1);

		// The viewer claims the owner's id with another name, then announces itself as "Olga".
		const viewer = await raw(users.viewer.cookie);
		const ownerClock = owner.provider.awareness.meta.get(owner.doc.clientID)!.clock;
		const viewerId = 777_001;
		viewer.ws.send(
			awarenessMessage([
				{
					clientId: owner.doc.clientID,
					clock: ownerClock + 5,
					state: { cursor: { lon: 9, lat: 52 }, user: { name: 'Nep' } }
				}
			])
		);
		viewer.ws.send(
			awarenessMessage([
				{
					clientId: viewerId,
					clock: 1,
					state: { cursor: { lon: 6.5, lat: 51.5 }, user: { name: 'Olga Eigenaar' } }
				}
			])
		);
		// Sent after the spoof on the same socket: once it is seen, the spoof was handled too.
		await expect.poll(() => stateOf(editor, viewerId)?.cursor?.lon).toBe(6.5);
		expect(stateOf(editor, viewerId)?.user).toEqual({
			id: users.viewer.id,
			name: 'Vera Lezer',
			organisation: 'HAN',
			colour: presenceColour(users.viewer.id)
		});
		const ownerSeen = stateOf(editor, owner.doc.clientID);
		expect(ownerSeen?.cursor?.lon).toBe(5.1);
		expect(ownerSeen?.user?.name).toBe('Olga Eigenaar');
		expect(ownerSeen?.user?.organisation).toBe('Woonwaarts');
		// A client's own claim of a name is replaced too.
		owner.provider.awareness.setLocalStateField('user', { name: 'Iemand anders' });
		owner.provider.awareness.setLocalStateField('cursor', { lon: 5.2, lat: 51.1 });
		await expect.poll(() => stateOf(editor, owner.doc.clientID)?.cursor?.lon).toBe(5.2);
		expect(stateOf(editor, owner.doc.clientID)?.user?.name).toBe('Olga Eigenaar');
		viewer.close();
	});

	it('one connection registers at most two ids: a newcomer is not sent 120,000', async () => {
		const attacker = await raw(seeded.users.editor.cookie);
		const total = 120_000;
		for (let start = 0; start < total; start += 20_000) {
			const entries = [];
			for (let i = start; i < start + 20_000; i++)
				entries.push({ clientId: 1_000_000 + i, clock: 1, state: { cursor: { lon: 5, lat: 51 } } });
			attacker.ws.send(awarenessMessage(entries));
		}
		// Then a state of one of its ids it did get: seen by a watcher once all was handled.
		const watcher = await client(seeded.users.owner.cookie);
		attacker.ws.send(
			awarenessMessage([{ clientId: 1_000_000, clock: 2, state: { cursor: { lon: 7, lat: 51 } } }])
		);
		await expect.poll(() => stateOf(watcher, 1_000_000)?.cursor?.lon).toBe(7);

		const newcomer = await raw(seeded.users.owner.cookie);
		await expect.poll(() => newcomer.idsSeen().has(1_000_000)).toBe(true);
		const fromAttacker = [...newcomer.idsSeen()].filter(
			(id) => id >= 1_000_000 && id < 1_000_000 + total
		);
		expect(fromAttacker.length).toBeLessThanOrEqual(2);
		attacker.close();
		newcomer.close();
	});

	it('a presence flood reaches others at most 20 times a second and edits stay as fast', async () => {
		const { users } = seeded;
		const a = await client(users.owner.cookie);
		const b = await client(users.editor.cookie);
		await editLatencies(a, b, 10, 'warm');
		const idle = await editLatencies(a, b, 60, 'idle');

		const flooder = await raw(users.viewer.cookie);
		const listener = await raw(users.owner.cookie);
		let clock = 0;
		let flooding = true;
		const flood = (async () => {
			// 5,000 cursor updates a second (250 times the limit), in bursts of 50 every 10 ms.
			while (flooding) {
				for (let i = 0; i < 50; i++) {
					clock++;
					const cursor = { lon: 5 + (clock % 100) / 1000, lat: 51 };
					flooder.ws.send(awarenessMessage([{ clientId: 888_001, clock, state: { cursor } }]));
				}
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
		})();
		const before = listener.messages();
		const startedAt = performance.now();
		const busy = await editLatencies(a, b, 60, 'flood');
		// The rate is counted over at least 2 s of flood: on a quiet machine the edits above take
		// a fraction of a second, too short a window to tell 20/s from 28/s.
		while (performance.now() - startedAt < 2000) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const seconds = (performance.now() - startedAt) / 1000;
		const received = listener.messages() - before;
		flooding = false;
		await flood;
		flooder.close();
		listener.close();

		const rate = received / seconds;
		console.log(
			`presence flood: ${clock} messages sent, listener got ${received} in ${seconds.toFixed(2)} s ` +
				`(${rate.toFixed(1)}/s); edit-to-seen p50/p95 idle ${percentile(idle, 50).toFixed(2)}/` +
				`${percentile(idle, 95).toFixed(2)} ms, flood ${percentile(busy, 50).toFixed(2)}/` +
				`${percentile(busy, 95).toFixed(2)} ms`
		);
		// 20 per second, plus the first of a burst and the other states' own changes.
		expect(rate).toBeLessThanOrEqual(25);
		expect(clock).toBeGreaterThan(1000);
		// Every edit still arrived (editLatencies waits for each); the typical one within 2× of idle
		// plus 5 ms. The tail is not asserted here: on a shared machine another process decides it.
		// `npm run bench` measures the cost of presence properly (docs/benchmarks.md, "Presence cost").
		expect(busy).toHaveLength(60);
		expect(percentile(busy, 50)).toBeLessThanOrEqual(2 * percentile(idle, 50) + 5);
	});

	it('presence of a connection that closes is gone for the others within seconds', async () => {
		const { users } = seeded;
		const watcher = await client(users.owner.cookie);
		const leaving = await client(users.editor.cookie);
		leaving.provider.awareness.setLocalStateField('cursor', { lon: 5.5, lat: 51.5 });
		await expect.poll(() => stateOf(watcher, leaving.doc.clientID)?.cursor?.lon).toBe(5.5);
		// A bare socket that closes without saying goodbye (no null state) goes too.
		const abrupt = await raw(users.viewer.cookie);
		abrupt.ws.send(
			awarenessMessage([{ clientId: 999_001, clock: 1, state: { cursor: { lon: 6, lat: 52 } } }])
		);
		await expect.poll(() => stateOf(watcher, 999_001)?.cursor?.lon).toBe(6);

		// Closed without the goodbye (null state) y-websocket sends on disconnect(): the server removes it.
		leaving.provider.shouldConnect = false;
		leaving.provider.ws?.close();
		abrupt.ws.terminate();
		await expect
			.poll(() => stateOf(watcher, leaving.doc.clientID), { timeout: 3000 })
			.toBeUndefined();
		await expect.poll(() => stateOf(watcher, 999_001), { timeout: 3000 }).toBeUndefined();
	});
});
