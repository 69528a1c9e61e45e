import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, listGesprekken } from '../../src/lib/board';
import { gesprekkenMap } from '../../src/lib/board/gesprekken';
import { createBoard } from '../../src/lib/server/boards';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { isoDay, setRetention } from '../../src/lib/server/retention';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The audit log and retention through the real server, on PGlite and PostgreSQL 15: edits from a
 * Node y-websocket client are recorded once a minute per person and gesprek, opening a gesprek is
 * recorded through the endpoint, only owners read the log, and the retention job runs at start
 * (a board already past its retention period loses its private content; owners of a board near
 * its purge are warned on the pages and by one mail).
 */

const SECRET = 'Geheimeinhoudvoorretentiexq';
const SECRET_NAME = 'Gespreksvoerderretentiexq';
const DAY_MS = 24 * 60 * 60 * 1000;
const longDate = (iso: string) =>
	new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(
		new Date(`${iso}T00:00:00Z`)
	);

type Who = 'owner' | 'editor' | 'viewer' | 'outsider';

/** The rows of the audit page as text: action and the visible cells. */
function auditRows(html: string): { action: string; text: string }[] {
	const rows: { action: string; text: string }[] = [];
	for (const match of html.matchAll(/<tr[^>]*data-action="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
		const text = match[2]!
			.replace(/<[^>]+>/g, ' ')
			.replace(/&amp;/g, '&')
			.replace(/\s+/g, ' ')
			.trim();
		rows.push({ action: match[1]!, text });
	}
	return rows;
}

describe.each(DRIVERS)('audit log and retention through the server on %s', (driver) => {
	let target: { dataDir?: string; databaseUrl?: string };
	let server: ServerProcess;
	let users: Record<Who, SeededUser>;
	let outbox: string;
	const clients: TestClient[] = [];
	const labels: string[] = [];
	const addressIds: string[] = [];
	const soon = isoDay(new Date(Date.now() + 10 * DAY_MS));

	const get = (path: string, user?: SeededUser) =>
		fetch(`${server.url}${path}`, {
			redirect: 'manual',
			// As a browser asks for a page (the audit route also answers POSTs as an endpoint).
			headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) }
		});
	const auditPage = async (board = 'spoorbuurt') => {
		const res = await get(`/boards/${board}/audit`, users.owner);
		expect(res.status).toBe(200);
		return auditRows(await res.text());
	};
	const openGesprek = (user: SeededUser | null, body: unknown) =>
		fetch(`${server.url}/boards/spoorbuurt/audit`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json',
				...(user ? { cookie: user.cookie } : {})
			},
			body: JSON.stringify(body)
		});
	const connect = async (user: SeededUser, board = 'spoorbuurt') => {
		const client = connectClient(server.port, board, { cookie: user.cookie });
		clients.push(client);
		await whenSynced(client);
		return client;
	};

	beforeAll(async () => {
		target = await freshDatabase(driver);
		outbox = mkdtempSync(join(tmpdir(), 'buurtbord-outbox-'));
		const db = await openDb({ dataDir: target.dataDir ?? '', databaseUrl: target.databaseUrl });
		try {
			await ensureDemoBoard(db);
			const rows = await db.query<{ id: string; street: string; house_number: number }>(
				`select id, street, house_number from public.addresses where board_id = 'spoorbuurt'
				 and house_letter is null and addition is null order by id limit 2`
			);
			for (const r of rows) {
				addressIds.push(r.id);
				labels.push(`${r.street} ${r.house_number} · 2026-11-20`);
			}
			// Boards with content in their stored document before the server starts.
			for (const [id, name] of [
				['oud', 'Oud project'],
				['nu', 'Lopend project'],
				['bijna', 'Bijna klaar']
			] as const) {
				await createBoard(db, { id, name, centerLon: 5.9, centerLat: 52, zoom: 15 });
				const doc = new Y.Doc();
				addGesprek(doc, {
					addressId: 'x1',
					date: '2025-03-01',
					round: 1,
					heldBy: SECRET_NAME,
					outcome: 'gesproken',
					talents: [SECRET],
					notes: SECRET
				});
				await db.query('insert into public.board_updates (board_id, data) values ($1, $2)', [
					id,
					Y.encodeStateAsUpdate(doc)
				]);
			}
			await setRetention(db, 'oud', { endsOn: '2024-12-31', retentionDays: 30 });
			await setRetention(db, 'nu', { endsOn: '2099-12-31', retentionDays: 30 });
			await setRetention(db, 'bijna', { endsOn: soon, retentionDays: 0 });
		} finally {
			await db.close();
		}
		const boards = { spoorbuurt: 'owner', oud: 'owner', nu: 'owner', bijna: 'owner' } as const;
		users = await seedServerUsers(target, {
			owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards },
			editor: {
				org: 'Bindkracht10',
				displayName: 'Erik Bewerker',
				boards: { spoorbuurt: 'editor', bijna: 'editor' }
			},
			viewer: { org: 'HAN', displayName: 'Vera Kijker', boards: { spoorbuurt: 'viewer' } },
			outsider: { org: 'Elders', displayName: 'Otto Buiten' }
		});
		server = await startServer({ ...target, extra: { BUURTBORD_OUTBOX_DIR: outbox } });
	}, 90_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
	});

	it('records edits of a gesprek once a minute per person, and each person and gesprek apart', async () => {
		const editor = await connect(users.editor);
		const a = addGesprek(editor.doc, {
			addressId: addressIds[0]!,
			date: '2026-11-20',
			round: 1,
			heldBy: 'Erik',
			outcome: 'gesproken'
		});
		const notes = () => gesprekkenMap(editor.doc).get(a.id)!.get('notes') as Y.Text;
		for (let i = 0; i < 5; i++) notes().insert(0, `regel ${i} `);
		await expect
			.poll(async () =>
				(await auditPage()).filter(
					(r) => r.action === 'gesprek.change' && r.text.includes(labels[0]!)
				)
			)
			.toHaveLength(1);

		// More edits of the same gesprek, then one of another: once that one is in the log, the
		// server has handled the earlier ones too.
		for (let i = 0; i < 5; i++) notes().insert(0, `nog ${i} `);
		addGesprek(editor.doc, {
			addressId: addressIds[1]!,
			date: '2026-11-20',
			round: 1,
			heldBy: 'Erik',
			outcome: 'niet-thuis'
		});
		await expect
			.poll(async () => (await auditPage()).some((r) => r.text.includes(labels[1]!)))
			.toBe(true);

		const owner = await connect(users.owner);
		await expect.poll(() => gesprekkenMap(owner.doc).has(a.id)).toBe(true);
		(gesprekkenMap(owner.doc).get(a.id)!.get('notes') as Y.Text).insert(0, 'eigenaar ');
		await expect
			.poll(async () =>
				(await auditPage()).some(
					(r) => r.text.includes('Olga Eigenaar') && r.text.includes(labels[0]!)
				)
			)
			.toBe(true);

		const rows = await auditPage();
		const ofA = rows.filter((r) => r.action === 'gesprek.change' && r.text.includes(labels[0]!));
		expect(ofA.map((r) => r.text.includes('Erik Bewerker (Bindkracht10)'))).toEqual([false, true]);
		expect(ofA[0]!.text).toContain('Olga Eigenaar (Woonwaarts)');
		expect(ofA[1]!.text).toContain('wijzigde een gesprek');
		// Ids and labels only: the log never shows what was written.
		expect(rows.some((r) => r.text.includes('regel'))).toBe(false);
	});

	it('records a member opening a gesprek, once a minute, and refuses others', async () => {
		const owner = await connect(users.owner);
		const [gesprek] = listGesprekken(owner.doc).filter((g) => g.addressId === addressIds[0]);
		expect(gesprek).toBeDefined();

		const first = await openGesprek(users.viewer, { gesprekId: gesprek!.id });
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({ recorded: true });
		expect(await (await openGesprek(users.viewer, { gesprekId: gesprek!.id })).json()).toEqual({
			recorded: false
		});
		expect((await openGesprek(null, { gesprekId: gesprek!.id })).status).toBe(401);
		expect((await openGesprek(users.outsider, { gesprekId: gesprek!.id })).status).toBe(404);
		expect((await openGesprek(users.viewer, { gesprekId: '' })).status).toBe(400);
		expect((await openGesprek(users.viewer, { id: gesprek!.id })).status).toBe(400);

		const opened = (await auditPage()).filter((r) => r.action === 'gesprek.open');
		expect(opened).toHaveLength(1);
		expect(opened[0]!.text).toContain('Vera Kijker (HAN)');
		expect(opened[0]!.text).toContain('opende een gesprek');
		expect(opened[0]!.text).toContain(labels[0]!);
	});

	it('records the opening of a gesprek whose report arrives before the gesprek itself', async () => {
		// The page that makes a gesprek opens it at once: its report (HTTP) can overtake the gesprek
		// (socket). The server waits a moment for it instead of answering "no such gesprek".
		const editor = await connect(users.editor);
		const id = `vooruit${Date.now()}`;
		const report = openGesprek(users.editor, { gesprekId: id });
		await new Promise((resolve) => setTimeout(resolve, 300));
		addGesprek(
			editor.doc,
			{
				addressId: addressIds[1]!,
				date: '2026-11-21',
				round: 1,
				heldBy: 'Eddy',
				outcome: 'gesproken'
			},
			{ id }
		);
		const res = await report;
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ recorded: true });
		// One that never comes: still no record, after the wait.
		const never = await openGesprek(users.editor, { gesprekId: `nooit${Date.now()}` });
		expect(never.status).toBe(404);
	});

	it('shows the audit log to owners only', async () => {
		expect((await get('/boards/spoorbuurt/audit', users.owner)).status).toBe(200);
		expect((await get('/boards/spoorbuurt/audit', users.editor)).status).toBe(403);
		expect((await get('/boards/spoorbuurt/audit', users.viewer)).status).toBe(403);
		const outsider = await get('/boards/spoorbuurt/audit', users.outsider);
		expect(outsider.status).toBe(404);
		expect(await outsider.text()).not.toContain('Erik Bewerker');
		const anonymous = await get('/boards/spoorbuurt/audit');
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toContain('/login');
	});

	it('purged the board past its retention period at start, and left the current one', async () => {
		const past = await connect(users.owner, 'oud');
		const [purged] = listGesprekken(past.doc);
		expect(purged).toMatchObject({
			date: '2025-03-01',
			outcome: 'gesproken',
			notes: '',
			talents: []
		});
		expect(purged!.heldBy).not.toBe(SECRET_NAME);

		const current = await connect(users.owner, 'nu');
		expect(listGesprekken(current.doc)[0]).toMatchObject({ notes: SECRET, heldBy: SECRET_NAME });

		const log = await auditPage('oud');
		expect(log.map((r) => r.action)).toEqual(['board.purge']);
		expect(log[0]!.text).toContain('Buurtbord (automatisch)');
		const settings = await (await get('/boards/oud/instellingen', users.owner)).text();
		expect(settings).toContain('De privé-inhoud is verwijderd op');
	});

	it('warns the owners of a board whose purge is near, on the pages and by one mail', async () => {
		const banner = `op ${longDate(soon)} verwijdert Buurtbord de privé-inhoud van`;
		const home = await (await get('/', users.owner)).text();
		expect(home).toContain(banner);
		expect(home).toContain('Bijna klaar');
		expect(home).not.toContain('Lopend project&quot;');
		const board = await (await get('/boards/bijna', users.owner)).text();
		expect(board).toContain(banner);
		// An editor of the same board is not warned: setting the retention is the owners'.
		expect(await (await get('/', users.editor)).text()).not.toContain(banner);
		expect(await (await get('/boards/bijna', users.editor)).text()).not.toContain(banner);

		const mails = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
		expect(mails).toHaveLength(1);
		expect(readFileSync(join(outbox, mails[0]!), 'utf8')).toContain(users.owner.email);
	});

	it('lets owners set the end date and retention period, with clear errors', async () => {
		const post = (user: SeededUser, fields: Record<string, string>) =>
			fetch(`${server.url}/boards/spoorbuurt/instellingen?/retention`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					cookie: user.cookie,
					origin: server.url,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams(fields).toString()
			});
		expect((await get('/boards/spoorbuurt/instellingen', users.editor)).status).toBe(403);
		expect((await post(users.editor, { endsOn: '2030-01-01', retentionDays: '1' })).status).toBe(
			403
		);

		const bad = await post(users.owner, { endsOn: '31-12-2030', retentionDays: '-3' });
		expect(bad.status).toBe(400);
		const badPage = await bad.text();
		expect(badPage).toContain('Vul een geldige datum in');
		expect(badPage).toContain('Vul een heel aantal dagen in');

		const good = await post(users.owner, { endsOn: '2030-01-01', retentionDays: '30' });
		expect(good.status).toBe(200);
		const page = await (await get('/boards/spoorbuurt/instellingen', users.owner)).text();
		expect(page).toContain(`De privé-inhoud wordt verwijderd op ${longDate('2030-01-31')}`);
		expect((await auditPage()).some((r) => r.action === 'board.retention')).toBe(true);
	});

	it('keeps the purged content out of storage', async () => {
		for (const c of clients.splice(0)) c.destroy();
		await server.stop('SIGTERM');
		const db = await openDb({ dataDir: target.dataDir ?? '', databaseUrl: target.databaseUrl });
		try {
			const stored = async (board: string) =>
				Buffer.concat(
					(
						await db.query<{ data: Uint8Array }>(
							'select data from public.board_updates where board_id = $1',
							[board]
						)
					).map((r) => Buffer.from(r.data))
				);
			expect((await stored('oud')).includes(Buffer.from(SECRET))).toBe(false);
			expect((await stored('oud')).includes(Buffer.from(SECRET_NAME))).toBe(false);
			expect((await stored('nu')).includes(Buffer.from(SECRET))).toBe(true);
		} finally {
			await db.close();
		}
	});
});
