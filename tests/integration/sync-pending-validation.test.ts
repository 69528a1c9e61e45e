import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin, connectClient, whenSynced, type TestClient } from '../support/clients';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';
import {
	askEverything,
	rawSyncSocket,
	syncMessage,
	type RawSyncSocket
} from '../support/sync-load';

const INVALID = {
	bsn: (pin: Y.Map<unknown>) => pin.set('bsn', '123456789'),
	kind: (pin: Y.Map<unknown>) => pin.set('kind', 42),
	title: (pin: Y.Map<unknown>) => pin.set('title', 'x'.repeat(5000))
};
type Invalid = keyof typeof INVALID;

/** Whether a board document shows anything the layout forbids (what the attacks try to slip in). */
function showsInvalid(doc: Y.Doc): boolean {
	for (const pin of doc.getMap<Y.Map<unknown>>('pins').values()) {
		if (pin.has('bsn') || typeof pin.get('kind') !== 'string') return true;
		if (String(pin.get('title')).length > 1000) return true;
	}
	return false;
}

/**
 * A new pin made in four transactions, each depending on the ones before (the pin's map, then
 * later values of its fields): the third carries the invalid value, if any.
 */
function parts(pinId: string, invalid: Invalid | null): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const pins = doc.getMap<Y.Map<unknown>>('pins');
	doc.transact(() => {
		const pin = new Y.Map<unknown>();
		pin.set('kind', 'notitie');
		pin.set('title', 'eerste');
		pin.set('addressId', null);
		pin.set('lon', 5.87);
		pin.set('lat', 51.83);
		pin.set('createdAt', new Date().toISOString());
		pins.set(pinId, pin);
	});
	pins.get(pinId)!.set('title', 'tweede');
	if (invalid) INVALID[invalid](pins.get(pinId)!);
	else pins.get(pinId)!.set('lon', 5.9);
	pins.get(pinId)!.set('title', 'laatste');
	return updates;
}

/**
 * Resolves when the server has handled everything sent on the socket before: the answer to a
 * sync request (step 2) arrives after it, or the socket was closed.
 */
function settled(socket: RawSyncSocket): Promise<void> {
	if (socket.ws.readyState !== socket.ws.OPEN) return Promise.resolve();
	return new Promise((resolve) => {
		const onMessage = (data: Buffer) => {
			if (data[0] === 0 && data[1] === 1) done();
		};
		const done = () => {
			socket.ws.off('message', onMessage);
			resolve();
		};
		socket.ws.on('message', onMessage);
		void socket.closed.then(done);
		socket.ws.send(askEverything());
	});
}

/**
 * Randomised: invalid updates split into dependent parts, sent in every order over one or two
 * sockets of the same user, are never accepted (an observer never sees them: the server takes the
 * valid parts and not the invalid value, or refuses the socket that carried it with 4422); the
 * same split of a valid update is always applied.
 */
describe('updates that wait for missing parts cannot slip past the validator', () => {
	let server: ServerProcess;
	let cookie: string;
	let observer: TestClient;
	let marker: TestClient;
	let sawInvalid = false;

	beforeAll(async () => {
		const seeded = await startSeededServer();
		server = seeded.server;
		cookie = seeded.users.owner.cookie;
		observer = connectClient(server.port, 'spoorbuurt', { cookie });
		marker = connectClient(server.port, 'spoorbuurt', { cookie });
		await Promise.all([whenSynced(observer), whenSynced(marker)]);
		observer.doc.on('afterTransaction', () => {
			if (showsInvalid(observer.doc)) sawInvalid = true;
		});
	}, 180_000);

	afterAll(async () => {
		observer?.destroy();
		marker?.destroy();
		await server?.stop('SIGKILL');
	});

	/** Everything the server broadcast before now has reached the observer. */
	async function observerCaughtUp(run: number) {
		addPin(marker, `marker-${run}`, `marker ${run}`);
		await expect.poll(() => observer.pins.has(`marker-${run}`), { timeout: 10_000 }).toBe(true);
	}

	it('never accepts an invalid value, in any order, and accepts the valid ones', async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom<Invalid | null>('bsn', 'kind', 'title', null),
				fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
				fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 4, maxLength: 4 }),
				async (invalid, order, socketOf) => {
					run++;
					const pinId = `aanval-${run}`;
					const updates = parts(pinId, invalid);
					const sockets = [0, 1].map(() => rawSyncSocket(server.port, 'spoorbuurt', cookie));
					await Promise.all(sockets.map((s) => s.opened));
					for (const i of order) sockets[socketOf[i]!]!.ws.send(syncMessage(2, updates[i]!));
					await Promise.all(sockets.map(settled));
					await observerCaughtUp(run);
					const codes = await Promise.all(
						sockets.map((s) => (s.ws.readyState === s.ws.OPEN ? 0 : s.closed.then((c) => c.code)))
					);
					for (const s of sockets) s.ws.close();
					expect(sawInvalid).toBe(false);
					if (invalid) {
						// Its valid parts taken and the invalid value not (the socket stays open), or all
						// of it refused (4422); never the invalid value.
						expect(codes.every((c) => c === 0 || c === 4422)).toBe(true);
						if (codes.every((c) => c === 0)) {
							await expect.poll(() => observer.pins.get(pinId)?.get('title')).toBe('laatste');
						}
					} else {
						expect(codes).toEqual([0, 0]);
						const pin = observer.pins.get(pinId);
						expect(pin?.toJSON()).toMatchObject({ title: 'laatste', lon: 5.9, kind: 'notitie' });
					}
				}
			),
			{ numRuns: 30 }
		);
	}, 300_000);
});
