import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { seedServerUsers } from '../support/accounts';
import { OWNER_ONLY } from '../support/seeded-server';
import { startServer, tempDataDir, type ServerProcess } from '../support/server-process';

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

/**
 * The real server process with the Postgres hooks: an update that breaks the board model is
 * refused before it is applied. The sender's socket closes with 4422 and a reason; other clients
 * never see it, and it is not stored (checked after a restart).
 */
describe('the sync server refuses updates that break the model', () => {
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];
	let cookie = '';
	const client = (port: number) => {
		const c = connectClient(port, 'spoorbuurt', { cookie });
		clients.push(c);
		return c;
	};

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
	});

	it('closes the sender with 4422, keeps the update from others and from storage', async () => {
		const dataDir = tempDataDir();
		cookie = (await seedServerUsers({ dataDir }, OWNER_ONLY)).owner.cookie;
		const first = await startServer({ dataDir });
		servers.push(first);
		const good = client(first.port);
		await whenSynced(good);
		addPin(good, 'p1', 'Voortuin wordt ontmoetingsplek');

		// An unknown top-level type.
		const intruder = client(first.port);
		await whenSynced(intruder);
		await expect.poll(() => titles(intruder)).toEqual(['Voortuin wordt ontmoetingsplek']);
		const intruderClosed = firstClose(intruder);
		intruder.doc.getMap('geheim').set('bsn', '123456789');
		const closed = await intruderClosed;
		expect(closed.code).toBe(4422);
		expect(closed.reason).toMatch(/unknown top-level type "geheim"/);
		intruder.destroy();

		// A wrong field type and an oversized value on an existing pin.
		const sloppy = client(first.port);
		await whenSynced(sloppy);
		const sloppyClosed = firstClose(sloppy);
		sloppy.doc.transact(() => {
			sloppy.pins.get('p1')!.set('lon', 'ver weg');
			sloppy.pins.get('p1')!.set('title', 'x'.repeat(20_000));
		});
		expect((await sloppyClosed).code).toBe(4422);
		sloppy.destroy();

		// The board goes on: a valid edit after the refusals reaches a new client.
		addPin(good, 'p2', 'Koffieochtend');
		const other = client(first.port);
		await whenSynced(other);
		await expect
			.poll(() => titles(other))
			.toEqual(['Koffieochtend', 'Voortuin wordt ontmoetingsplek']);
		for (const c of [good, other]) {
			expect(c.doc.share.has('geheim')).toBe(false);
			expect(c.pins.get('p1')!.get('lon')).toBe(5.87);
		}
		expect(first.output()).toMatch(/refused an update/);

		// Nothing of it was stored.
		expect(await first.stop('SIGTERM')).toBe(0);
		const second = await startServer({ dataDir });
		servers.push(second);
		const later = client(second.port);
		await whenSynced(later);
		expect(titles(later)).toEqual(['Koffieochtend', 'Voortuin wordt ontmoetingsplek']);
		expect(later.doc.share.has('geheim')).toBe(false);
		expect(later.pins.get('p1')!.get('lon')).toBe(5.87);
		expect(Y.encodeStateAsUpdate(later.doc).byteLength).toBeLessThan(10_000);
	});
});
