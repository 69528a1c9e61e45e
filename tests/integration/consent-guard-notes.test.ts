import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, householdWithdrawn, patchConsent, removeGesprek } from '../../src/lib/board';
import { addConfidentialGesprek, getOrgNotes, orgNotesMap } from '../../src/lib/board/org-notes';
import type { Buurtbord } from '../../src/lib/server/app';
import { listWithdrawals } from '../../src/lib/server/consent';
import { eraseHousehold } from '../../src/lib/server/erasure';
import { orgDocName } from '../../src/lib/server/sync/org-docs';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { dumpDatabase, foundInDump } from '../support/db-dump';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startInProcess } from '../support/in-process';

/**
 * Confidential notes live in an organisation's own document, the consent in the board's: once a
 * household withdrew its consent, the server takes no confidential text about it either. A member's
 * client that writes Yjs directly into its organisation's document (no board connection of its own,
 * and nobody else has the board open: the server keeps the board's document loaded for the check)
 * types into a withdrawn household's note and starts a new one; neither reaches a colleague of the
 * same organisation or the database, while a note about another household in the same update does.
 * The erasure then removes the household's notes from every organisation's document, also another
 * organisation's notes on a gesprek that was deleted before.
 */

const SECRET = { typed: 'Getyptgeheimschuldxq', started: 'Nieuwenotitiezorgxq' };
const ALLOWED = 'Anderhuishoudenmagxq';
const KEPT = { own: 'Eerderopgeschrevenxq', deleted: 'Bindkrachtnotitiexq' };
const base = { date: '2026-11-20', heldBy: 'Erik', outcome: 'gesproken' } as const;

describe.each(DRIVERS)('the sync server guards confidential notes on %s', (driver) => {
	let app: Buurtbord;
	let http: Server;
	let port = 0;
	let users: Record<'editor' | 'writer' | 'colleague' | 'bind', SeededUser>;
	let home = '';
	let neighbour = '';
	const ids = { own: '', marked: '', neighbour: '', deleted: '' };
	const clients: TestClient[] = [];
	const told: NotTaken[] = [];
	let colleagueOrg: TestClient;
	let bindOrg: TestClient;
	const receivedByColleague: string[] = [];

	const connect = async (user: SeededUser, room = 'spoorbuurt') => {
		const c = connectClient(port, room, { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};

	beforeAll(async () => {
		const target = await freshDatabase(driver);
		users = await seedServerUsers(target, {
			editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			writer: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'viewer' } },
			bind: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } }
		});
		({ app, http, port } = await startInProcess(target));
		const rows = await app.db.query<{ id: string }>(
			"select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 2"
		);
		[home, neighbour] = rows.map((r) => r.id) as [string, string];
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		http?.close();
		await app?.close();
	});

	it('two organisations keep notes on a household, which then withdraws its consent', async () => {
		const editor = await connect(users.editor);
		const editorOrg = await connect(users.editor, 'spoorbuurt/org');
		const bind = await connect(users.bind);
		bindOrg = await connect(users.bind, 'spoorbuurt/org');
		colleagueOrg = await connect(users.colleague, 'spoorbuurt/org');
		colleagueOrg.doc.on('update', (u: Uint8Array) =>
			receivedByColleague.push(Buffer.from(u).toString('latin1'))
		);
		const orgA = users.editor.organisationId;
		const add = (notes: string, addressId = home) =>
			addConfidentialGesprek(editor.doc, editorOrg.doc, orgA, { ...base, addressId, notes }).id;
		ids.own = add(KEPT.own);
		ids.marked = addGesprek(editor.doc, { ...base, addressId: home, round: 2 }).id;
		ids.neighbour = add('', neighbour);
		// Bindkracht10's notes on a gesprek that Woonwaarts deletes later (its own notes only go).
		await expect.poll(() => bind.doc.getMap('gesprekken').size).toBe(3);
		ids.deleted = addConfidentialGesprek(bind.doc, bindOrg.doc, users.bind.organisationId, {
			...base,
			addressId: home,
			notes: KEPT.deleted
		}).id;
		await expect.poll(() => editor.doc.getMap('gesprekken').has(ids.deleted)).toBe(true);
		removeGesprek(editor.doc, ids.deleted);
		patchConsent(editor.doc, ids.marked, { withdrawn: true });
		await expect.poll(() => listWithdrawals(app.db, 'spoorbuurt', 7)).toHaveLength(1);
		await expect.poll(() => getOrgNotes(colleagueOrg.doc, ids.own)).toBe(KEPT.own);
		expect(householdWithdrawn(editor.doc, home)).toBe(true);
		// Nobody has the board itself open any more: the organisations' documents keep it loaded.
		editor.destroy();
		bind.destroy();
		await expect.poll(() => app.sync.connections).toBe(3);
		await app.sync.readDocument('spoorbuurt', () => {});
		expect(app.sync.loadedDocuments()).toContain('spoorbuurt');
	});

	it('takes no confidential text about the withdrawn household, and the rest of the update', async () => {
		const writer = await connect(users.writer, 'spoorbuurt/org');
		writer.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			told.push(...(decodeNotTaken(decoder)?.parts ?? []));
		};
		const notes = orgNotesMap(writer.doc);
		writer.doc.transact(() => {
			notes.get(ids.own)!.insert(0, SECRET.typed);
			notes.set(ids.marked, new Y.Text(SECRET.started));
			notes.set(ids.neighbour, new Y.Text(ALLOWED));
		});
		await expect
			.poll(() => told.map((p) => `${p.path.join('/')} ${p.reason}`).sort())
			.toEqual([`notes/${ids.own} withdrawn`, `notes/${ids.marked} withdrawn`].sort());
		await expect.poll(() => getOrgNotes(writer.doc, ids.own)).toBe(KEPT.own);
		expect(getOrgNotes(writer.doc, ids.marked)).toBe('');
		await expect.poll(() => getOrgNotes(colleagueOrg.doc, ids.neighbour)).toBe(ALLOWED);
		expect(getOrgNotes(colleagueOrg.doc, ids.own)).toBe(KEPT.own);
		for (const secret of Object.values(SECRET)) {
			expect(receivedByColleague.join(''), secret).not.toContain(secret);
		}
	});

	it('stored none of it', async () => {
		await app.sync.withDocument(orgDocName('spoorbuurt', users.writer.organisationId!), () => {});
		const dump = await dumpDatabase(app.db);
		expect(foundInDump(dump, ALLOWED)).toBe(true);
		for (const secret of Object.values(SECRET)) {
			expect(foundInDump(dump, secret), secret).toBe(false);
		}
	});

	it("erases the household's notes from every organisation's document", async () => {
		expect(getOrgNotes(bindOrg.doc, ids.deleted)).toBe(KEPT.deleted);
		await eraseHousehold(
			{ db: app.db, sync: app.sync },
			{ boardId: 'spoorbuurt', addressId: home, actorId: null }
		);
		await expect.poll(() => getOrgNotes(bindOrg.doc, ids.deleted)).toBe('');
		await expect.poll(() => getOrgNotes(colleagueOrg.doc, ids.own)).toBe('');
		expect(getOrgNotes(colleagueOrg.doc, ids.neighbour)).toBe(ALLOWED);
		const dump = await dumpDatabase(app.db);
		for (const text of Object.values(KEPT)) expect(foundInDump(dump, text), text).toBe(false);
		expect(foundInDump(dump, ALLOWED)).toBe(true);
	});

	it('lets the board go when the last organisation document closes', async () => {
		for (const c of clients.splice(0)) c.destroy();
		await expect.poll(() => app.sync.loadedDocuments(), { timeout: 10_000 }).toEqual([]);
	});
});
