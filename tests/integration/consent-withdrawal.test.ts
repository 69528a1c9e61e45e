import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addGesprek,
	addToGesprekList,
	BoardInputError,
	householdWithdrawn,
	insertNotes,
	listGesprekken,
	patchConsent,
	restoreConsent
} from '../../src/lib/board';
import type { Buurtbord } from '../../src/lib/server/app';
import { listAudit } from '../../src/lib/server/audit';
import { listWithdrawals, runConsentErasure } from '../../src/lib/server/consent';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { dumpDatabase, foundInDump as found } from '../support/db-dump';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startInProcess } from '../support/in-process';

/**
 * Withdrawn consent through the real server, in-process on PGlite and PostgreSQL 15, with a clock
 * the test moves instead of waiting: an editor's tick lists the household for the owners (who,
 * when) and is audited; a colleague's form refuses its personal fields at once; unticking takes
 * it off the list and nothing is erased; ticked again, the retention job erases it exactly when
 * the grace period is over, as an owner's erasure does (live document, history, stored log), and
 * what an outdated client typed offline into the household does not come back.
 */

const DAY = 24 * 60 * 60 * 1000;

const SECRET = {
	talent: 'Kanheelgoedbreienxq',
	worry: 'Zorgenoverhuurachterstandxq',
	notes: 'Notitieoverdemenschxq',
	followUp: 'Belmaatschappelijkwerkxq',
	// Typed by a client that was offline when the consent was withdrawn (it never saw the tick).
	offline: 'Offlinegetyptgeheimxq'
};
const KEPT = { talent: 'Blijvendtalentzingenxq' };

describe.each(DRIVERS)('withdrawn consent on %s', (driver) => {
	let app: Buurtbord;
	let http: Server;
	let port = 0;
	let users: Record<'owner' | 'editor' | 'colleague' | 'viewer', SeededUser>;
	let addressId = '';
	let keptAddressId = '';
	let gesprekId = '';
	const clients: TestClient[] = [];
	const connect = (user: SeededUser) => {
		const c = connectClient(port, 'spoorbuurt', { cookie: user.cookie });
		clients.push(c);
		return c;
	};
	let editor: TestClient;
	let colleague: TestClient;
	let outdated: TestClient;
	const list = () => listWithdrawals(app.db, 'spoorbuurt', 7);
	const audit = async () =>
		(await listAudit(app.db, 'spoorbuurt', { limit: 500 })).rows.filter((r) =>
			['consent.withdraw', 'consent.restore', 'household.erase'].includes(r.action)
		);

	beforeAll(async () => {
		const target = await freshDatabase(driver);
		users = await seedServerUsers(target, {
			owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' }, displayName: 'Olga Owner' },
			editor: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' }, displayName: 'Erik Editor' },
			colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			viewer: { org: 'Woonwaarts', boards: { spoorbuurt: 'viewer' } }
		});
		({ app, http, port } = await startInProcess(target));
		const rows = await app.db.query<{ id: string }>(
			"select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 2"
		);
		[addressId, keptAddressId] = rows.map((r) => r.id) as [string, string];
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		http?.close();
		await app?.close();
	});

	it('an editor records a household; every client has it', async () => {
		editor = connect(users.editor);
		colleague = connect(users.colleague);
		outdated = connect(users.colleague);
		await Promise.all([whenSynced(editor), whenSynced(colleague), whenSynced(outdated)]);
		gesprekId = addGesprek(editor.doc, {
			addressId,
			date: '2026-11-20',
			heldBy: 'Erik',
			outcome: 'gesproken',
			talents: [SECRET.talent],
			worries: [SECRET.worry],
			followUps: [{ what: SECRET.followUp }],
			consent: { recordedBy: 'Erik', date: '2026-11-20' },
			notes: SECRET.notes
		}).id;
		addGesprek(editor.doc, {
			addressId: keptAddressId,
			date: '2026-11-20',
			heldBy: 'Erik',
			outcome: 'gesproken',
			talents: [KEPT.talent]
		});
		await expect.poll(() => listGesprekken(outdated.doc, { addressId }).length).toBe(1);
		await expect.poll(() => listGesprekken(colleague.doc).length).toBeGreaterThanOrEqual(2);
		expect(await list()).toEqual([]);
	});

	it('ticking "Ingetrokken" lists the household for the owners, audited, and freezes it for a colleague', async () => {
		// The outdated client goes offline before the tick, and goes on typing there.
		outdated.provider.disconnect();
		const before = Date.now();
		patchConsent(editor.doc, gesprekId, { withdrawn: true });

		await expect.poll(list).toHaveLength(1);
		const [row] = await list();
		expect(row).toMatchObject({
			addressId,
			markedBy: { name: 'Erik Editor', organisation: 'Bindkracht10' }
		});
		expect(row!.address).toMatch(/\d/);
		expect(row!.markedAt.getTime()).toBeGreaterThanOrEqual(before - 2_000);
		expect(row!.eraseAt.getTime() - row!.markedAt.getTime()).toBe(7 * DAY);

		// The colleague's copy knows at once, and its commands add nothing personal any more.
		await expect.poll(() => householdWithdrawn(colleague.doc, addressId)).toBe(true);
		expect(() => addToGesprekList(colleague.doc, gesprekId, 'talents', 'nieuw')).toThrow(
			BoardInputError
		);
		expect(() => insertNotes(colleague.doc, gesprekId, 0, 'nieuw')).toThrow(BoardInputError);

		// The audit log: who and which gesprek (an id), no address, no content.
		await expect
			.poll(async () => (await audit()).map((r) => r.action))
			.toEqual(['consent.withdraw']);
		const [entry] = await audit();
		expect(entry).toMatchObject({ actorId: users.editor.id, subject: gesprekId });
	});

	it('a viewer cannot tick it, and cannot untick it either', async () => {
		const viewer = connect(users.viewer);
		await whenSynced(viewer);
		restoreConsent(viewer.doc, addressId);
		// The server dropped it: the household stays listed and withdrawn for everyone.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await list()).toHaveLength(1);
		expect(householdWithdrawn(editor.doc, addressId)).toBe(true);
		viewer.destroy();
	});

	it('unticking (a misclick) takes it off the list, audited, and the job erases nothing', async () => {
		expect(restoreConsent(colleague.doc, addressId)).toBe(1);
		await expect.poll(list).toEqual([]);
		await expect
			.poll(async () => (await audit()).map((r) => r.action))
			.toEqual(['consent.restore', 'consent.withdraw']);
		expect((await audit())[0]).toMatchObject({ actorId: users.colleague.id, subject: gesprekId });
		const erased = await runConsentErasure({
			db: app.db,
			sync: app.sync,
			graceDays: 7,
			now: () => new Date(Date.now() + 30 * DAY),
			log: () => {}
		});
		expect(erased).toEqual([]);
		expect(listGesprekken(editor.doc, { addressId })[0]!.talents).toEqual([SECRET.talent]);
	});

	it('ticked again, the job erases it once the grace period is over, and not a moment before', async () => {
		patchConsent(editor.doc, gesprekId, { withdrawn: true });
		await expect.poll(list).toHaveLength(1);
		const { markedAt } = (await list())[0]!;
		// Meanwhile the outdated client, offline, adds to the household it still sees as consenting.
		addToGesprekList(outdated.doc, gesprekId, 'talents', SECRET.offline);
		insertNotes(outdated.doc, gesprekId, 0, SECRET.offline);

		const run = (at: number) =>
			runConsentErasure({
				db: app.db,
				sync: app.sync,
				graceDays: 7,
				now: () => new Date(at),
				log: () => {}
			});
		expect(await run(markedAt.getTime() + 7 * DAY - 60_000)).toEqual([]);
		expect(listGesprekken(editor.doc, { addressId })).toHaveLength(1);
		expect(await run(markedAt.getTime() + 7 * DAY)).toEqual([`spoorbuurt/${addressId}`]);

		// Gone for every connected client at once; the other household stays.
		await expect.poll(() => listGesprekken(editor.doc, { addressId })).toEqual([]);
		await expect.poll(() => listGesprekken(colleague.doc, { addressId })).toEqual([]);
		expect(listGesprekken(editor.doc, { addressId: keptAddressId })[0]!.talents).toEqual([
			KEPT.talent
		]);
		expect(await list()).toEqual([]);
		// Audited as the owner's erasure is, by the server: no address.
		const erasures = (await audit()).filter((r) => r.action === 'household.erase');
		expect(erasures).toHaveLength(1);
		expect(erasures[0]).toMatchObject({ actorId: null, subject: null });
		// A later run finds nothing to do.
		expect(await run(markedAt.getTime() + 30 * DAY)).toEqual([]);
	});

	it('what the outdated client typed offline does not come back when it reconnects', async () => {
		outdated.provider.connect();
		await whenSynced(outdated);
		// It receives the erasure; the server kept nothing of its offline typing.
		await expect.poll(() => listGesprekken(outdated.doc, { addressId })).toEqual([]);
		const fresh = connect(users.owner);
		await whenSynced(fresh);
		expect(listGesprekken(fresh.doc, { addressId })).toEqual([]);
		// Give the server time to store whatever it would store of the reconnect.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await list()).toEqual([]);
	});

	it('leaves no trace of the household in any table', async () => {
		for (const c of clients.splice(0)) c.destroy();
		await app.sync.withDocument('spoorbuurt', () => {});
		const dump = await dumpDatabase(app.db);
		expect(found(dump, KEPT.talent)).toBe(true);
		for (const text of Object.values(SECRET)) expect(found(dump, text), text).toBe(false);
		// The list is empty; the audit rows name the gesprek and people, never the address.
		const lines = dump.split('\n');
		const start = lines.indexOf('-- public.audit_log');
		const end = lines.findIndex((l, i) => i > start && l.startsWith('-- '));
		const auditRows = lines
			.slice(start + 1, end < 0 ? undefined : end)
			.filter((l) => /consent\.(withdraw|restore)|household\.erase/.test(l));
		expect(auditRows).toHaveLength(4);
		for (const line of auditRows) expect(line).not.toContain(addressId);
	});
});
