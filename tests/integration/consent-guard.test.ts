import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	householdWithdrawn,
	listGesprekken,
	patchConsent,
	restoreConsent
} from '../../src/lib/board';
import type { Buurtbord } from '../../src/lib/server/app';
import { listWithdrawals } from '../../src/lib/server/consent';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { dumpDatabase, foundInDump } from '../support/db-dump';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startInProcess } from '../support/in-process';

/**
 * "Think like an attacker after the door": once a household's consent is withdrawn, the sync
 * server itself refuses anything personal for it (consent-guard.ts), whatever the client sends.
 * A signed-in editor's client that writes with Yjs directly (not through the board's commands,
 * which refuse) adds themes, talents, notes and follow-ups to the withdrawn gesprek, a new gesprek
 * with personal data at the address, and withdraws another household while adding to it in one
 * update. None of it reaches the server's document, other clients or the database (checked after
 * a restart too); the sender is told, its own copy shows the server's truth, and its connection
 * stays open for what it may do. After the consent is restored, writing works again.
 */

const SECRET = {
	talent: 'Geheimtalentnaaienxq',
	notes: 'Geheimenotitieschuldenxq',
	followUp: 'Geheimevervolgactiexq',
	newGesprek: 'Nieuwgesprekgeheimxq',
	both: 'Intrekkenentoevoegenxq'
};
const ALLOWED = { talent: 'Nahersteltoegestaanxq', pin: 'Bankje bij de speeltuin' };

type Fields = Y.Map<unknown>;

function gesprek(client: TestClient, id: string): Fields {
	return client.doc.getMap<Fields>('gesprekken').get(id)!;
}

/** Every "not taken" part the client's provider receives (src/lib/collab/not-taken.ts). */
function notTaken(client: TestClient): NotTaken[] {
	const seen: NotTaken[] = [];
	client.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
		seen.push(...(decodeNotTaken(decoder)?.parts ?? []));
	};
	return seen;
}

/** Every update a client's document receives, as one string of its bytes (latin1). */
function received(client: TestClient): { text: () => string } {
	const parts: string[] = [];
	client.doc.on('update', (u: Uint8Array) => parts.push(Buffer.from(u).toString('latin1')));
	return { text: () => parts.join('') };
}

/** What a gesprek's JSON says, to look for a text in it. */
const json = (client: TestClient) => JSON.stringify(client.doc.getMap('gesprekken').toJSON());

describe.each(DRIVERS)('the sync server guards withdrawn consent on %s', (driver) => {
	let app: Buurtbord;
	let http: Server;
	let port = 0;
	let target: { dataDir?: string; databaseUrl?: string };
	let users: Record<'editor' | 'attacker' | 'colleague', SeededUser>;
	let address = '';
	let otherAddress = '';
	let gesprekId = '';
	let otherId = '';
	const clients: TestClient[] = [];
	let editor: TestClient;
	let attacker: TestClient;
	let colleague: TestClient;
	let told: NotTaken[] = [];
	let seenByColleague: { text: () => string };
	const closes: number[] = [];

	async function start(): Promise<void> {
		({ app, http, port } = await startInProcess(target));
	}
	async function stop(): Promise<void> {
		for (const c of clients.splice(0)) c.destroy();
		http.close();
		await app.close();
	}
	const connect = async (user: SeededUser) => {
		const c = connectClient(port, 'spoorbuurt', { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};

	beforeAll(async () => {
		target = await freshDatabase(driver);
		users = await seedServerUsers(target, {
			editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			attacker: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } },
			colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } }
		});
		await start();
		const rows = await app.db.query<{ id: string }>(
			"select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 2"
		);
		[address, otherAddress] = rows.map((r) => r.id) as [string, string];
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		http?.close();
		await app?.close();
	});

	it('an editor marks a household withdrawn', async () => {
		editor = await connect(users.editor);
		attacker = await connect(users.attacker);
		colleague = await connect(users.colleague);
		told = notTaken(attacker);
		seenByColleague = received(colleague);
		attacker.provider.on('connection-close', (e: { code: number } | null) => {
			if (e) closes.push(e.code);
		});
		const base = { date: '2026-11-20', heldBy: 'Erik', outcome: 'gesproken' } as const;
		gesprekId = addGesprek(editor.doc, {
			...base,
			addressId: address,
			talents: ['Zingen'],
			followUps: [{ what: 'Bellen' }]
		}).id;
		otherId = addGesprek(editor.doc, { ...base, addressId: otherAddress }).id;
		await expect.poll(() => listGesprekken(attacker.doc).length).toBe(2);
		patchConsent(editor.doc, gesprekId, { withdrawn: true });
		await expect.poll(() => householdWithdrawn(attacker.doc, address)).toBe(true);
		await expect.poll(() => listWithdrawals(app.db, 'spoorbuurt', 7)).toHaveLength(1);
	});

	it('(a) takes no themes, talents, notes or follow-ups into the withdrawn gesprek', async () => {
		const g = gesprek(attacker, gesprekId);
		attacker.doc.transact(() => {
			(g.get('talents') as Y.Array<string>).push([SECRET.talent]);
			(g.get('themeIds') as Y.Array<string>).push(['eenzaamheid']);
			(g.get('notes') as Y.Text).insert(0, SECRET.notes);
			const followUp = new Y.Map<unknown>();
			for (const [k, v] of Object.entries({ id: 'f9', what: SECRET.followUp, who: '' }))
				followUp.set(k, v);
			followUp.set('due', null);
			followUp.set('status', 'open');
			(g.get('followUps') as Y.Array<Y.Map<unknown>>).push([followUp]);
			// An existing follow-up's status: refused too (the commands refuse it).
			(g.get('followUps') as Y.Array<Y.Map<unknown>>).get(0).set('status', 'klaar');
			// Allowed in the same update: what the consent rule does not concern.
			g.set('outcome', 'later');
		});
		await expect
			.poll(() => told.map((p) => `${p.path.join('/')} ${p.reason}`).sort())
			.toEqual(
				['followUps', 'notes', 'talents', 'themeIds'].map(
					(f) => `gesprekken/${gesprekId}/${f} withdrawn`
				)
			);
		// The sender's own copy shows the server's truth; the allowed change stays.
		await expect.poll(() => json(attacker)).not.toContain(SECRET.talent);
		const after = listGesprekken(attacker.doc, { addressId: address })[0]!;
		expect(after).toMatchObject({ talents: ['Zingen'], themeIds: [], notes: '', outcome: 'later' });
		expect(after.followUps).toMatchObject([{ what: 'Bellen', status: 'open' }]);
		await expect
			.poll(() => listGesprekken(colleague.doc, { addressId: address })[0]!.outcome)
			.toBe('later');
		expect(listGesprekken(colleague.doc, { addressId: address })[0]).toEqual(after);
	});

	it('(b) takes no personal data in a new gesprek at the address', async () => {
		told.length = 0;
		attacker.doc.transact(() => {
			const g = new Y.Map<unknown>();
			const entries = { addressId: address, date: '2026-11-21', round: 1, heldBy: 'X' };
			for (const [k, v] of Object.entries(entries)) g.set(k, v);
			g.set('outcome', 'gesproken');
			for (const f of ['themeIds', 'wishes', 'worries', 'followUps']) g.set(f, new Y.Array());
			g.set('talents', Y.Array.from([SECRET.newGesprek]));
			g.set('notes', new Y.Text(SECRET.newGesprek));
			const consent = new Y.Map<unknown>();
			for (const [k, v] of Object.entries({ recordedBy: null, date: null, withdrawn: false }))
				consent.set(k, v);
			g.set('consent', consent);
			g.set('createdAt', new Date().toISOString());
			attacker.doc.getMap('gesprekken').set('nieuw', g);
		});
		await expect
			.poll(() => told.map((p) => p.path.join('/')).sort())
			.toEqual(['gesprekken/nieuw/notes', 'gesprekken/nieuw/talents']);
		await expect.poll(() => json(attacker)).not.toContain(SECRET.newGesprek);
		await expect.poll(() => listGesprekken(colleague.doc, { addressId: address })).toHaveLength(2);
		expect(json(colleague)).not.toContain(SECRET.newGesprek);
	});

	it('(c) an update that withdraws and adds at once adds nothing', async () => {
		told.length = 0;
		const g = gesprek(attacker, otherId);
		attacker.doc.transact(() => {
			(g.get('consent') as Fields).set('withdrawn', true);
			(g.get('wishes') as Y.Array<string>).push([SECRET.both]);
		});
		await expect
			.poll(() => told.map((p) => p.path.join('/')))
			.toEqual([`gesprekken/${otherId}/wishes`]);
		await expect.poll(() => householdWithdrawn(colleague.doc, otherAddress)).toBe(true);
		await expect.poll(() => json(attacker)).not.toContain(SECRET.both);
		await expect.poll(() => listWithdrawals(app.db, 'spoorbuurt', 7)).toHaveLength(2);
	});

	it('keeps the connection open for what is allowed, and never shows the refused text to others', async () => {
		addPin(attacker, 'p1', ALLOWED.pin);
		await expect.poll(() => titles(colleague)).toEqual([ALLOWED.pin]);
		expect(closes.filter((code) => code >= 4000)).toEqual([]);
		for (const text of Object.values(SECRET)) {
			expect(seenByColleague.text(), text).not.toContain(text);
			expect(json(editor), text).not.toContain(text);
		}
	});

	it('after the consent is restored, writing works again (also in the same update)', async () => {
		told.length = 0;
		expect(restoreConsent(attacker.doc, address)).toBe(1);
		await expect.poll(() => householdWithdrawn(colleague.doc, address)).toBe(false);
		(gesprek(attacker, gesprekId).get('talents') as Y.Array<string>).push([ALLOWED.talent]);
		const g = gesprek(attacker, otherId);
		attacker.doc.transact(() => {
			(g.get('consent') as Fields).set('withdrawn', false);
			(g.get('wishes') as Y.Array<string>).push([ALLOWED.talent]);
		});
		await expect
			.poll(() => listGesprekken(colleague.doc, { addressId: address })[0]!.talents)
			.toEqual(['Zingen', ALLOWED.talent]);
		await expect
			.poll(() => listGesprekken(colleague.doc, { addressId: otherAddress })[0]!.wishes)
			.toEqual([ALLOWED.talent]);
		expect(told).toEqual([]);
		await expect.poll(() => listWithdrawals(app.db, 'spoorbuurt', 7)).toEqual([]);
	});

	it('stored none of it: not in any table, nor in the board reloaded after a restart', async () => {
		await app.sync.withDocument('spoorbuurt', () => {});
		await stop();
		await start();
		const fresh = await connect(users.editor);
		expect(titles(fresh)).toEqual([ALLOWED.pin]);
		expect(listGesprekken(fresh.doc, { addressId: otherAddress })[0]!.wishes).toEqual([
			ALLOWED.talent
		]);
		const text = json(fresh);
		for (const secret of Object.values(SECRET)) expect(text, secret).not.toContain(secret);
		const dump = await dumpDatabase(app.db);
		expect(foundInDump(dump, ALLOWED.talent)).toBe(true);
		for (const secret of Object.values(SECRET)) {
			expect(foundInDump(dump, secret), secret).toBe(false);
		}
	});
});
