import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	getGesprek,
	householdWithdrawn,
	patchConsent,
	restoreConsent
} from '../../src/lib/board';
import type { Buurtbord } from '../../src/lib/server/app';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startInProcess } from '../support/in-process';

/**
 * A gesprek of a household that withdrew its consent stays at its address, whatever the client: an
 * editor's client writing Yjs directly (not through updateGesprek, which refuses) moves an older
 * round's gesprek (not marked withdrawn itself) to another address, so that its data would escape
 * the erasure. The server does not take the move: the sender is told, no other client ever sees
 * the gesprek elsewhere, and the stored board still has it at its address after a restart. A
 * gesprek with personal data is not moved into the withdrawn household either. Once the consent
 * is restored, the move goes through.
 */

const base = { date: '2026-11-20', heldBy: 'Erik', outcome: 'gesproken' } as const;

describe.each(DRIVERS)('the sync server keeps withdrawn households in place on %s', (driver) => {
	let app: Buurtbord;
	let http: Server;
	let port = 0;
	let target: { dataDir?: string; databaseUrl?: string };
	let users: Record<'editor' | 'attacker' | 'colleague', SeededUser>;
	let home = '';
	let away = '';
	let neighbour = '';
	let older = '';
	let marked = '';
	let other = '';
	const clients: TestClient[] = [];
	let editor: TestClient;
	let attacker: TestClient;
	let colleague: TestClient;
	const told: NotTaken[] = [];
	/** Every address the colleague's copy ever showed for the older gesprek. */
	const seen = new Set<string>();

	async function start(): Promise<void> {
		({ app, http, port } = await startInProcess(target));
	}
	const connect = async (user: SeededUser) => {
		const c = connectClient(port, 'spoorbuurt', { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};
	const fields = (client: TestClient, id: string) =>
		client.doc.getMap<Y.Map<unknown>>('gesprekken').get(id)!;
	const addressOf = (client: TestClient, id: string) => getGesprek(client.doc, id)?.addressId;

	beforeAll(async () => {
		target = await freshDatabase(driver);
		users = await seedServerUsers(target, {
			editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			attacker: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } },
			colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } }
		});
		await start();
		const rows = await app.db.query<{ id: string }>(
			"select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 3"
		);
		[home, away, neighbour] = rows.map((r) => r.id) as [string, string, string];
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		http?.close();
		await app?.close();
	});

	it('an editor marks the newer gesprek of a household withdrawn', async () => {
		editor = await connect(users.editor);
		attacker = await connect(users.attacker);
		colleague = await connect(users.colleague);
		attacker.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			told.push(...(decodeNotTaken(decoder)?.parts ?? []));
		};
		older = addGesprek(editor.doc, { ...base, addressId: home, talents: ['Zingen'] }).id;
		marked = addGesprek(editor.doc, { ...base, addressId: home, round: 2 }).id;
		other = addGesprek(editor.doc, { ...base, addressId: neighbour, wishes: ['Bankje'] }).id;
		await expect.poll(() => addressOf(colleague, other)).toBe(neighbour);
		colleague.doc.on('afterTransaction', () => {
			const address = addressOf(colleague, older);
			if (address) seen.add(address);
		});
		patchConsent(editor.doc, marked, { withdrawn: true });
		await expect.poll(() => householdWithdrawn(attacker.doc, home)).toBe(true);
	});

	it('does not take a move of the older gesprek away from the withdrawn household', async () => {
		fields(attacker, older).set('addressId', away);
		await expect
			.poll(() => told.map((p) => `${p.path.join('/')} ${p.reason}`))
			.toEqual([`gesprekken/${older}/addressId withdrawn`]);
		// The sender's own copy has it back; the others never had it elsewhere.
		await expect.poll(() => addressOf(attacker, older)).toBe(home);
		// A later change by the sender that reaches the colleague shows the move was handled.
		fields(attacker, older).set('outcome', 'later');
		await expect.poll(() => getGesprek(colleague.doc, older)?.outcome).toBe('later');
		expect(addressOf(colleague, older)).toBe(home);
		expect(addressOf(editor, older)).toBe(home);
		expect([...seen]).toEqual([home]);
		// Nor does the withdrawn gesprek itself move (with the household's mark).
		told.length = 0;
		fields(attacker, marked).set('addressId', away);
		await expect.poll(() => told.map((p) => p.path.at(-1))).toEqual(['addressId']);
		await expect.poll(() => addressOf(attacker, marked)).toBe(home);
	});

	it('does not take a gesprek with personal data into the withdrawn household', async () => {
		told.length = 0;
		fields(attacker, other).set('addressId', home);
		await expect
			.poll(() => told.map((p) => `${p.path.join('/')} ${p.reason}`))
			.toEqual([`gesprekken/${other}/addressId withdrawn`]);
		await expect.poll(() => addressOf(attacker, other)).toBe(neighbour);
		expect(addressOf(colleague, other)).toBe(neighbour);
		expect(householdWithdrawn(colleague.doc, neighbour)).toBe(false);
	});

	it('stored the gesprekken at their addresses: so the board says after a restart', async () => {
		await app.sync.withDocument('spoorbuurt', () => {});
		for (const c of clients.splice(0)) c.destroy();
		http.close();
		await app.close();
		await start();
		const fresh = await connect(users.colleague);
		expect(addressOf(fresh, older)).toBe(home);
		expect(addressOf(fresh, marked)).toBe(home);
		expect(addressOf(fresh, other)).toBe(neighbour);
		expect(getGesprek(fresh.doc, older)).toMatchObject({ talents: ['Zingen'], outcome: 'later' });
		expect(householdWithdrawn(fresh.doc, home)).toBe(true);
	});

	it('moves the gesprek once the consent is restored', async () => {
		attacker = await connect(users.attacker);
		colleague = await connect(users.colleague);
		told.length = 0;
		attacker.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			told.push(...(decodeNotTaken(decoder)?.parts ?? []));
		};
		expect(restoreConsent(attacker.doc, home)).toBe(1);
		await expect.poll(() => householdWithdrawn(colleague.doc, home)).toBe(false);
		fields(attacker, older).set('addressId', away);
		await expect.poll(() => addressOf(colleague, older)).toBe(away);
		expect(told).toEqual([]);
	});
});
