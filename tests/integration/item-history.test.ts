import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addGesprek,
	addInitiatief,
	addNotitie,
	addThema,
	addToInitiatiefList,
	archiveThema,
	removeGesprek,
	removeInitiatief,
	removeNotitie,
	renameThema,
	updateGesprek,
	updateInitiatief,
	updateNotitie
} from '../../src/lib/board';
import {
	addConfidentialGesprek,
	insertOrgNotes,
	markConfidential,
	removeOrgNotes
} from '../../src/lib/board/org-notes';
import type { HistoryEntry } from '../../src/lib/board/restore';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The item history through the real server (PGlite and PostgreSQL 15): two people change a gesprek's fields from their own
 * Node clients, and the history endpoint names both, each change with its old and new value; a
 * change of confidential notes is listed (without text) only for that organisation; people who are
 * not members get 404.
 */

type Who = 'owner' | 'editor' | 'viewer' | 'outsider';

describe.each(DRIVERS)('item history through the server on %s', (driver) => {
	let server: ServerProcess;
	let users: Record<Who, SeededUser>;
	let addressId = '';
	const clients: TestClient[] = [];

	const history = async (user: SeededUser, id: string, kind: HistoryEntry['kind'] = 'gesprek') => {
		const res = await fetch(`${server.url}/boards/spoorbuurt/geschiedenis?kind=${kind}&id=${id}`, {
			headers: { cookie: user.cookie, accept: 'application/json' }
		});
		return {
			status: res.status,
			entries: res.ok ? ((await res.json()) as { entries: HistoryEntry[] }).entries : []
		};
	};
	const deletedList = async (user: SeededUser, kind: HistoryEntry['kind']) => {
		const res = await fetch(`${server.url}/boards/spoorbuurt/geschiedenis?kind=${kind}&deleted`, {
			headers: { cookie: user.cookie, accept: 'application/json' }
		});
		return {
			status: res.status,
			text: await res.text()
		};
	};
	/** The set changes of an item, as [field, old, new, person]. */
	const sets = async (user: SeededUser, kind: HistoryEntry['kind'], id: string) =>
		(await history(user, id, kind)).entries
			.filter((e) => e.op === 'set' || e.op === 'add')
			.map((e) => [e.field, e.oldValue, e.newValue, e.actorName])
			.sort();
	const connect = async (user: SeededUser, doc = 'spoorbuurt') => {
		const client = connectClient(server.port, doc, { cookie: user.cookie });
		clients.push(client);
		await whenSynced(client);
		return client;
	};

	beforeAll(async () => {
		const target = await freshDatabase(driver);
		const db = await openDb({ dataDir: target.dataDir ?? '', databaseUrl: target.databaseUrl });
		try {
			await ensureDemoBoard(db);
			const [row] = await db.query<{ id: string }>(
				`select id from public.addresses where board_id = 'spoorbuurt' order by id limit 1`
			);
			addressId = row!.id;
		} finally {
			await db.close();
		}
		users = await seedServerUsers(target, {
			owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
			editor: {
				org: 'Bindkracht10',
				displayName: 'Erik Bewerker',
				boards: { spoorbuurt: 'editor' }
			},
			viewer: { org: 'HAN', displayName: 'Vera Kijker', boards: { spoorbuurt: 'viewer' } },
			outsider: { org: 'Elders', displayName: 'Otto Buiten' }
		});
		server = await startServer(target);
	}, 90_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
	});

	it('names both people who changed a gesprek, each change with its old and new value', async () => {
		const olga = await connect(users.owner);
		const erik = await connect(users.editor);
		const g = addGesprek(olga.doc, {
			addressId,
			date: '2026-11-20',
			heldBy: 'Anna',
			outcome: 'later'
		});
		await expect
			.poll(() => erik.doc.getMap('gesprekken').has(g.id), { timeout: 10_000 })
			.toBe(true);
		updateGesprek(olga.doc, g.id, { heldBy: 'Bram' });
		updateGesprek(erik.doc, g.id, { outcome: 'gesproken' });

		// A viewer reads it too.
		await expect
			.poll(
				async () =>
					(await history(users.viewer, g.id)).entries
						.filter((e) => e.op === 'set')
						.map((e) => [e.field, e.oldValue, e.newValue, e.actorName, e.organisationName])
						.sort(),
				{ timeout: 10_000 }
			)
			.toEqual([
				['heldBy', 'Anna', 'Bram', 'Olga Eigenaar', 'Woonwaarts'],
				['outcome', 'later', 'gesproken', 'Erik Bewerker', 'Bindkracht10']
			]);
		expect((await history(users.viewer, g.id)).entries.map((e) => e.op)).toContain('create');
		// Not a member: as if the board did not exist.
		expect((await history(users.outsider, g.id)).status).toBe(404);
	});

	it('shows a change of confidential notes only to that organisation, and never their text', async () => {
		const erik = await connect(users.editor);
		const erikOrg = await connect(users.editor, 'spoorbuurt/org');
		const g = addConfidentialGesprek(erik.doc, erikOrg.doc, users.editor.organisationId, {
			addressId,
			date: '2026-11-21',
			heldBy: 'Erik',
			outcome: 'gesproken',
			notes: 'Vertrouwelijkgeheimxq'
		});
		await expect
			.poll(
				async () =>
					(await history(users.editor, g.id)).entries
						.filter((e) => e.confidential)
						.map((e) => e.field),
				{ timeout: 10_000 }
			)
			.toEqual(['notes']);
		const own = await history(users.editor, g.id);
		expect(JSON.stringify(own.entries)).not.toContain('Vertrouwelijkgeheimxq');
		// Another organisation on the same board sees that the gesprek exists, not the notes' history.
		const other = await history(users.owner, g.id);
		expect(other.status).toBe(200);
		expect(other.entries.map((e) => e.op)).toContain('create');
		expect(other.entries.filter((e) => e.confidential)).toEqual([]);
	});

	it('names who changed an initiatief, a notitie and a thema, with old and new values, and lists deleted ones', async () => {
		const olga = await connect(users.owner);
		const erik = await connect(users.editor);
		const i = addInitiatief(olga.doc, { title: 'Straatfeest', place: { lon: 5.87, lat: 51.83 } });
		const n = addNotitie(olga.doc, { text: 'Bankje kapot', lon: 5.87, lat: 51.83 });
		const t = addThema(olga.doc, { name: 'Eenzaamheid', colour: '#112233' });
		await expect
			.poll(() => erik.doc.getMap('themas').has(t.id) && erik.doc.getMap('notities').has(n.id), {
				timeout: 10_000
			})
			.toBe(true);
		updateInitiatief(erik.doc, i.id, { title: 'Zomerfeest', status: 'loopt' });
		addToInitiatiefList(erik.doc, i.id, 'addressIds', addressId);
		updateNotitie(erik.doc, n.id, { text: 'Bankje gemaakt' });
		renameThema(erik.doc, t.id, 'Alleen zijn');
		archiveThema(olga.doc, t.id);

		await expect
			.poll(() => sets(users.viewer, 'initiatief', i.id), { timeout: 10_000 })
			.toEqual([
				['addressIds', null, addressId, 'Erik Bewerker'],
				['status', 'idee', 'loopt', 'Erik Bewerker'],
				['title', 'Straatfeest', 'Zomerfeest', 'Erik Bewerker']
			]);
		await expect
			.poll(() => sets(users.viewer, 'notitie', n.id), { timeout: 10_000 })
			.toEqual([['text', 'Bankje kapot', 'Bankje gemaakt', 'Erik Bewerker']]);
		await expect
			.poll(() => sets(users.viewer, 'thema', t.id), { timeout: 10_000 })
			.toEqual([
				['archived', false, true, 'Olga Eigenaar'],
				['name', 'Eenzaamheid', 'Alleen zijn', 'Erik Bewerker']
			]);

		// Deleted: listed with their last fields (to restore), for members only.
		removeInitiatief(erik.doc, i.id);
		removeNotitie(erik.doc, n.id);
		await expect
			.poll(async () => JSON.parse((await deletedList(users.viewer, 'initiatief')).text), {
				timeout: 10_000
			})
			.toMatchObject({
				deleted: [
					{
						entityId: i.id,
						op: 'delete',
						actorName: 'Erik Bewerker',
						oldValue: { title: 'Zomerfeest', status: 'loopt', addressIds: [addressId] }
					}
				]
			});
		await expect
			.poll(async () => JSON.parse((await deletedList(users.owner, 'notitie')).text), {
				timeout: 10_000
			})
			.toMatchObject({ deleted: [{ entityId: n.id, oldValue: { text: 'Bankje gemaakt' } }] });
		expect((await deletedList(users.outsider, 'initiatief')).status).toBe(404);
		expect((await history(users.outsider, t.id, 'thema')).status).toBe(404);
	});

	it('gives a member of another organisation nothing of confidential notes from any history endpoint', async () => {
		const SECRET = 'Geheimvanbindkrachtxq';
		const SHARED = 'Eerstgedeeldetekstxq';
		const erik = await connect(users.editor);
		const erikOrg = await connect(users.editor, 'spoorbuurt/org');
		// One confidential from the start, one marked confidential after shared notes.
		const g = addConfidentialGesprek(erik.doc, erikOrg.doc, users.editor.organisationId, {
			addressId,
			date: '2026-11-22',
			heldBy: 'Erik',
			outcome: 'gesproken',
			notes: SECRET
		});
		const h = addGesprek(erik.doc, {
			addressId,
			date: '2026-11-23',
			heldBy: 'Erik',
			outcome: 'gesproken',
			notes: SHARED
		});
		markConfidential(erik.doc, erikOrg.doc, h.id, users.editor.organisationId);
		insertOrgNotes(erik.doc, erikOrg.doc, h.id, 0, `${SECRET} `);
		// Stored before the deletion: notes reaching the server after it would not be taken.
		await expect
			.poll(async () => (await history(users.editor, g.id)).entries.some((e) => e.confidential), {
				timeout: 10_000
			})
			.toBe(true);
		// Then both are deleted, their notes too.
		removeOrgNotes(erikOrg.doc, g.id);
		removeGesprek(erik.doc, g.id);
		await expect
			.poll(
				async () =>
					(await history(users.editor, h.id)).entries.filter((e) => e.confidential).length,
				{ timeout: 10_000 }
			)
			.toBeGreaterThan(0);
		await expect
			.poll(async () => (await deletedList(users.editor, 'gesprek')).text, { timeout: 10_000 })
			.toContain(g.id);

		// The rows exist (own organisation)...
		for (const id of [g.id, h.id]) {
			const own = await history(users.editor, id);
			expect(own.entries.some((e) => e.confidential)).toBe(true);
		}
		// ...but another organisation's owner and viewer get none of them, from any variant.
		for (const who of [users.owner, users.viewer]) {
			const bodies: string[] = [];
			for (const id of [g.id, h.id]) {
				const other = await history(who, id);
				expect(other.status).toBe(200);
				expect(other.entries.filter((e) => e.confidential)).toEqual([]);
				expect(other.entries.some((e) => e.op === 'create')).toBe(true);
				bodies.push(JSON.stringify(other.entries));
			}
			for (const kind of ['gesprek', 'initiatief', 'notitie', 'thema'] as const) {
				const list = await deletedList(who, kind);
				expect(list.status).toBe(200);
				bodies.push(list.text);
				expect(JSON.parse(list.text).deleted.filter((e: HistoryEntry) => e.confidential)).toEqual(
					[]
				);
			}
			for (const body of bodies) expect(body).not.toContain(SECRET);
		}
		// Nobody's history holds the text, not even the own organisation's.
		for (const id of [g.id, h.id])
			expect(JSON.stringify((await history(users.editor, id)).entries)).not.toContain(SECRET);
	});
});
