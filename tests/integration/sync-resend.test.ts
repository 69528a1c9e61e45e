import { describe, expect, it } from 'vitest';
import { addPin, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS } from '../support/drivers';
import { syncTestbed } from '../support/sync-testbed';

/** Every close a client's provider sees (code and reason). */
function closes(client: TestClient): { code: number; reason: string }[] {
	const seen: { code: number; reason: string }[] = [];
	client.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
		if (event) seen.push({ code: event.code, reason: event.reason });
	});
	return seen;
}

/**
 * Issue 12, "never lose a client's work": a client that re-sends edits the server lost in a
 * crash is not refused, also when one of them lost to a concurrent edit that the server kept.
 * Deterministic: A and B share a pin; B goes offline, sets its title and adds a pin; A sets the
 * title online and it is stored; B reconnects (its title loses to A's, its pin is applied); the
 * server is killed (kill -9) before it stores that and restarted on the same data; B re-sends.
 */
describe.each(DRIVERS)('a client re-sending edits after a crash (%s)', (driver) => {
	// A wide window between applying and storing: the crash lands in it.
	const { fresh, client, server } = syncTestbed({
		BUURTBORD_PERSIST_DEBOUNCE_MS: '5000',
		BUURTBORD_PERSIST_MAX_WAIT_MS: '60000'
	});

	it('accepts B again: its lost title stays lost, its new pin is kept', async () => {
		const db = await fresh(driver);
		const first = await server(db);
		// A's client id is the higher one, so A's title wins the conflict (Yjs orders by client id).
		const [a, b] = [client(first.port), client(first.port)].sort(
			(x, y) => y.doc.clientID - x.doc.clientID
		) as [TestClient, TestClient];
		const refusals = closes(b);
		await Promise.all([whenSynced(a), whenSynced(b)]);
		addPin(a, 'gedeeld', 'Gedeelde pin');
		await expect.poll(() => b.pins.get('gedeeld')?.get('title')).toBe('Gedeelde pin');

		// B offline: its title and a new pin.
		b.provider.disconnect();
		b.pins.get('gedeeld')!.set('title', 'Titel van B');
		addPin(b, 'van-b', 'Nieuwe pin van B');
		// A online: its title; A leaves, so the board is stored and unloaded.
		a.pins.get('gedeeld')!.set('title', 'Titel van A');
		const stored = client(first.port);
		await whenSynced(stored);
		await expect.poll(() => stored.pins.get('gedeeld')?.get('title')).toBe('Titel van A');
		stored.destroy();
		a.destroy();

		// B reconnects: its title loses, its pin is applied (and not stored yet).
		const watcher = client(first.port);
		await whenSynced(watcher);
		b.provider.connect();
		await expect.poll(() => watcher.pins.get('van-b')?.get('title')).toBe('Nieuwe pin van B');
		await expect.poll(() => b.pins.get('gedeeld')?.get('title')).toBe('Titel van A');
		watcher.destroy();

		// The crash, before the server stores; a restart on the same data and port.
		await first.stop('SIGKILL');
		const second = await server({ ...db, port: first.port });
		const after = client(second.port);
		await whenSynced(after);
		// B reconnects by itself and re-sends: nothing refused, nothing lost.
		await expect
			.poll(() => after.pins.get('van-b')?.get('title'), { timeout: 15_000 })
			.toBe('Nieuwe pin van B');
		expect(after.pins.get('gedeeld')?.get('title')).toBe('Titel van A');
		expect(refusals.filter((c) => c.code >= 4000)).toEqual([]);
		expect(second.output()).not.toMatch(/refused an update/);
	}, 180_000);
});
