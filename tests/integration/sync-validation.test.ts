import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin, titles, whenSynced, type TestClient } from '../support/clients';
import { seedServerUsers } from '../support/accounts';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import { OWNER_ONLY } from '../support/seeded-server';
import { tempDataDir } from '../support/server-process';
import { syncTestbed } from '../support/sync-testbed';

/** Resolves with the first close the client's provider sees (code and reason). */
function firstClose(client: TestClient): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) => {
		const onClose = (event: { code: number; reason: string } | null) => {
			if (!event) return;
			client.provider.off('connection-close', onClose);
			resolve({ code: event.code, reason: event.reason });
		};
		client.provider.on('connection-close', onClose);
	});
}

/** Every "not taken" message the client's provider receives (see src/lib/collab/not-taken.ts). */
function notTaken(client: TestClient): NotTaken[] {
	const seen: NotTaken[] = [];
	client.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
		seen.push(...(decodeNotTaken(decoder)?.parts ?? []));
	};
	return seen;
}

/**
 * The real server process with the Postgres hooks: what breaks the board model in an update is
 * not taken (issue 12, never lose a client's work). The rest of the update is applied, the
 * sender's connection stays open and it is told exactly what was not taken; other clients never
 * see the refused parts, and they are not stored (checked after a restart). A message the server
 * cannot read still closes the connection (4400).
 */
describe('the sync server takes the valid part of an update that breaks the model', () => {
	const { signIn, client, server } = syncTestbed();

	it('applies the valid part, names what it did not take, keeps that from others and from storage', async () => {
		const dataDir = tempDataDir();
		signIn((await seedServerUsers({ dataDir }, OWNER_ONLY)).owner.cookie);
		const first = await server({ dataDir });
		const good = client(first.port);
		await whenSynced(good);
		addPin(good, 'p1', 'Voortuin wordt ontmoetingsplek');

		// An unknown top-level type, with a valid new pin in the same update.
		const intruder = client(first.port);
		const intruderClosed = firstClose(intruder);
		const intruderTold = notTaken(intruder);
		await whenSynced(intruder);
		await expect.poll(() => titles(intruder)).toEqual(['Voortuin wordt ontmoetingsplek']);
		intruder.doc.transact(() => {
			intruder.doc.getMap('geheim').set('bsn', '123456789');
			addPin(intruder, 'p3', 'Bankje bij de speeltuin');
		});
		await expect.poll(() => intruderTold).toEqual([{ path: ['geheim'], reason: 'unknown' }]);

		// On an existing pin: a wrong field type, an oversized value, an unknown field, a deleted
		// required field; and a valid change of another field in the same transaction.
		const sloppy = client(first.port);
		const sloppyClosed = firstClose(sloppy);
		const sloppyTold = notTaken(sloppy);
		await whenSynced(sloppy);
		await expect.poll(() => sloppy.pins.has('p3')).toBe(true);
		sloppy.doc.transact(() => {
			const p1 = sloppy.pins.get('p1')!;
			p1.set('lon', 'ver weg');
			p1.set('title', 'x'.repeat(20_000));
			p1.set('bsn', '123456789');
			p1.delete('createdAt');
			p1.set('lat', 51.9);
		});
		await expect
			.poll(() => sloppyTold.map((p) => `${p.path.join('/')} ${p.reason}`).sort())
			.toEqual([
				'pins/p1/bsn unknown',
				'pins/p1/createdAt required',
				'pins/p1/lon invalid',
				'pins/p1/title invalid'
			]);
		// The sender's own copy gets the previous values back; its valid change stays.
		await expect
			.poll(() => sloppy.pins.get('p1')!.get('title'))
			.toBe('Voortuin wordt ontmoetingsplek');
		expect(sloppy.pins.get('p1')!.toJSON()).toMatchObject({ lon: 5.87, lat: 51.9 });
		expect(sloppy.pins.get('p1')!.has('bsn')).toBe(false);
		expect(sloppy.pins.get('p1')!.get('createdAt')).toEqual(expect.any(String));

		// The board goes on: a valid edit reaches a new client, with the valid parts and nothing else.
		addPin(good, 'p2', 'Koffieochtend');
		const other = client(first.port);
		await whenSynced(other);
		const expected = ['Bankje bij de speeltuin', 'Koffieochtend', 'Voortuin wordt ontmoetingsplek'];
		await expect.poll(() => titles(other)).toEqual(expected);
		for (const c of [good, other, intruder, sloppy]) {
			await expect.poll(() => c.pins.get('p1')!.get('lat')).toBe(51.9);
			expect(c.doc.getMap('geheim').size).toBe(0);
			expect(c.pins.get('p1')!.toJSON()).toMatchObject({
				title: 'Voortuin wordt ontmoetingsplek',
				lon: 5.87
			});
			expect(c.pins.get('p1')!.has('bsn')).toBe(false);
		}
		expect(first.output()).toMatch(/took part of an update/);
		expect(first.output()).not.toMatch(/123456789/);

		// Nothing refused was stored; the connections stayed open.
		expect(await first.stop('SIGTERM')).toBe(0);
		const [ic, sc] = await Promise.all([intruderClosed, sloppyClosed]);
		expect([ic.code, sc.code].every((code) => code < 4000)).toBe(true);
		const second = await server({ dataDir });
		const later = client(second.port);
		await whenSynced(later);
		expect(titles(later)).toEqual(expected);
		expect(later.doc.getMap('geheim').size).toBe(0);
		expect(later.pins.get('p1')!.toJSON()).toMatchObject({ lon: 5.87, lat: 51.9 });
		expect(Y.encodeStateAsUpdate(later.doc).byteLength).toBeLessThan(10_000);
	}, 180_000);
});
