import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addGesprek, getGesprek } from '../../src/lib/board';
import {
	addConfidentialGesprek,
	getOrgNotes,
	insertOrgNotes,
	markConfidential
} from '../../src/lib/board/org-notes';
import { openDb } from '../../src/lib/server/db';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { whenSynced, type TestClient, upgradeHeaders } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { captureSocket, containsText } from '../support/raw-socket';
import { startServer, type ServerProcess } from '../support/server-process';

const SECRET = 'Vertrouwelijk-A: schuld bij de woningcorporatie 4711';
const MARKED_LATER = 'Eerst gedeeld, daarna alleen Woonwaarts 0815';
const SECRET_B = 'Vertrouwelijk-B: zorgmelding 2342';
const gesprekFields = { date: '2026-11-24', heldBy: 'Fatma', outcome: 'gesproken' } as const;

const CAST = {
	woonA: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' as const } },
	woonColleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'viewer' as const } },
	bindB: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' as const } },
	outsider: { org: 'HAN' }
};

interface Recording extends TestClient {
	/** Every binary frame this client's socket received, across reconnects. */
	frames: Buffer[];
}

/**
 * A Node y-websocket client on /sync/<room> (the board, or `spoorbuurt/org`) that keeps every raw
 * frame it receives, to check byte for byte what reached it.
 */
function recordingClient(port: number, room: string, cookie: string): Recording {
	const frames: Buffer[] = [];
	class Recorder extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: upgradeHeaders(port, { cookie }) });
			this.on('message', (data: Buffer) => frames.push(Buffer.from(data)));
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
		WebSocketPolyfill: Recorder as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 200
	});
	return {
		doc,
		provider,
		frames,
		pins: doc.getMap('pins'),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

describe.each(DRIVERS)('confidential notes through the server on %s', (driver) => {
	const servers: ServerProcess[] = [];
	const clients: Recording[] = [];
	let users: Record<keyof typeof CAST, SeededUser>;
	let target: { dataDir?: string; databaseUrl?: string };

	const client = (port: number, who: keyof typeof CAST, room: string) => {
		const c = recordingClient(port, room, users[who].cookie);
		clients.push(c);
		return c;
	};
	const start = async () => {
		const s = await startServer(target);
		servers.push(s);
		return s;
	};

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
	});

	it(
		'keeps an organisation’s notes from every other organisation, on the wire and over a restart',
		{ timeout: 90_000 },
		async () => {
			target = await freshDatabase(driver);
			users = await seedServerUsers(target, CAST);
			const orgA = users.woonA.organisationId;
			const first = await start();

			const aBoard = client(first.port, 'woonA', 'spoorbuurt');
			const aOrg = client(first.port, 'woonA', 'spoorbuurt/org');
			const colleagueOrg = client(first.port, 'woonColleague', 'spoorbuurt/org');
			const bBoard = client(first.port, 'bindB', 'spoorbuurt');
			const bOrg = client(first.port, 'bindB', 'spoorbuurt/org');
			await Promise.all([aBoard, aOrg, colleagueOrg, bBoard, bOrg].map((c) => whenSynced(c)));

			// Woonwaarts records a gesprek with confidential notes, and marks a shared one.
			const g = addConfidentialGesprek(aBoard.doc, aOrg.doc, orgA, {
				addressId: 'spoor-1',
				date: '2026-11-24',
				heldBy: 'Fatma',
				outcome: 'gesproken',
				notes: SECRET
			});
			const shared = addGesprek(aBoard.doc, {
				addressId: 'spoor-2',
				date: '2026-11-24',
				heldBy: 'Fatma',
				outcome: 'gesproken',
				notes: MARKED_LATER
			});
			await expect.poll(() => getGesprek(bBoard.doc, shared.id)?.notes).toBe(MARKED_LATER);
			markConfidential(aBoard.doc, aOrg.doc, shared.id, orgA);

			// The colleague of the same organisation reads both live (even as a viewer).
			await expect.poll(() => getOrgNotes(colleagueOrg.doc, g.id)).toBe(SECRET);
			await expect.poll(() => getOrgNotes(colleagueOrg.doc, shared.id)).toBe(MARKED_LATER);
			// The colleague is a viewer: their edits of the notes are dropped by the server. (A later
			// edit by Woonwaarts that reaches the viewer shows the server has handled theirs.)
			// (Notes are taken only for a gesprek the board holds: consent-guard-notes.ts.)
			const barrier = addGesprek(aBoard.doc, { ...gesprekFields, addressId: 'spoor-3' }).id;
			insertOrgNotes(aBoard.doc, colleagueOrg.doc, 'van-de-lezer', 0, 'mag niet');
			insertOrgNotes(aBoard.doc, aOrg.doc, barrier, 0, 'daarna');
			await expect.poll(() => getOrgNotes(colleagueOrg.doc, barrier)).toBe('daarna');
			expect(getOrgNotes(aOrg.doc, 'van-de-lezer')).toBe('');
			// Bindkracht10 sees that the gesprekken are there, and that their notes are confidential.
			await expect.poll(() => getGesprek(bBoard.doc, shared.id)?.confidential).toBe(orgA);
			expect(getGesprek(bBoard.doc, g.id)).toMatchObject({ confidential: orgA, notes: '' });
			// Bindkracht10's own organisation document is its own: no notes of Woonwaarts in it.
			const own = addGesprek(bBoard.doc, { ...gesprekFields, addressId: 'spoor-4' }).id;
			insertOrgNotes(bBoard.doc, bOrg.doc, own, 0, SECRET_B);
			expect(getOrgNotes(bOrg.doc, g.id)).toBe('');
			await expect.poll(() => getOrgNotes(colleagueOrg.doc, own)).toBe('');
			// The recording sees the note where it belongs (the colleague's socket)…
			expect(containsText(Buffer.concat(colleagueOrg.frames), SECRET)).toBe(true);
			// …and not one byte of it reached Bindkracht10, on either socket.
			const bBytes = Buffer.concat([...bBoard.frames, ...bOrg.frames]);
			expect(bBytes.length).toBeGreaterThan(0);
			expect(containsText(bBytes, SECRET)).toBe(false);
			const aBytes = Buffer.concat([...aBoard.frames, ...aOrg.frames, ...colleagueOrg.frames]);
			expect(containsText(aBytes, SECRET_B)).toBe(false);

			// A Bindkracht10 tab opened after the marking gets no trace of the text it once shared.
			const late = await captureSocket(first.port, 'spoorbuurt', { cookie: users.bindB.cookie });
			expect(late.status).toBe(101);
			expect(containsText(late.bytes, MARKED_LATER)).toBe(false);
			expect(containsText(late.bytes, SECRET)).toBe(false);
			const lateOrg = await captureSocket(first.port, 'spoorbuurt/org', {
				cookie: users.bindB.cookie
			});
			expect(lateOrg.status).toBe(101);
			expect(containsText(lateOrg.bytes, SECRET_B)).toBe(true);
			expect(containsText(lateOrg.bytes, SECRET)).toBe(false);

			// Other people are refused before any byte of the document: outsider 404, anonymous 401.
			const outsider = await captureSocket(first.port, 'spoorbuurt/org', {
				cookie: users.outsider.cookie
			});
			expect(outsider.status).toBe(404);
			expect(containsText(outsider.bytes, SECRET)).toBe(false);
			expect((await captureSocket(first.port, 'spoorbuurt/org')).status).toBe(401);
			// A client never names an organisation.
			expect(
				(
					await captureSocket(first.port, `spoorbuurt/org/${orgA}`, {
						cookie: users.bindB.cookie
					})
				).status
			).toBe(400);

			// Over a restart: Woonwaarts' notes are kept for Woonwaarts, and still only for them.
			for (const c of clients.splice(0)) c.destroy();
			expect(await first.stop('SIGTERM')).toBe(0);

			// In storage: the shared log holds neither note (the marked one's log was compacted after
			// the marking), the organisation's log holds both.
			const db = await openDb({ databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' });
			try {
				const bytes = async (table: string) =>
					Buffer.concat(
						(await db.query<{ data: Uint8Array }>(`select data from public.${table}`)).map((r) =>
							Buffer.from(r.data)
						)
					);
				const board = await bytes('board_updates');
				expect(containsText(board, SECRET)).toBe(false);
				expect(containsText(board, MARKED_LATER)).toBe(false);
				const notes = await bytes('org_note_updates');
				expect(containsText(notes, SECRET)).toBe(true);
				expect(containsText(notes, MARKED_LATER)).toBe(true);
			} finally {
				await db.close();
			}
			const second = await start();
			const again = client(second.port, 'woonColleague', 'spoorbuurt/org');
			await whenSynced(again);
			expect(getOrgNotes(again.doc, g.id)).toBe(SECRET);
			expect(getOrgNotes(again.doc, shared.id)).toBe(MARKED_LATER);
			const bAfter = await captureSocket(second.port, 'spoorbuurt/org', {
				cookie: users.bindB.cookie
			});
			expect(containsText(bAfter.bytes, SECRET_B)).toBe(true);
			expect(containsText(bAfter.bytes, SECRET)).toBe(false);
			const boardAfter = await captureSocket(second.port, 'spoorbuurt', {
				cookie: users.bindB.cookie
			});
			expect(containsText(boardAfter.bytes, SECRET)).toBe(false);
			expect(containsText(boardAfter.bytes, MARKED_LATER)).toBe(false);
		}
	);

	it(
		'refuses another organisation’s client that unmarks or takes over the notes (4422)',
		{ timeout: 60_000 },
		async () => {
			target = await freshDatabase(driver);
			users = await seedServerUsers(target, CAST);
			const orgA = users.woonA.organisationId;
			const server = await start();
			const aBoard = client(server.port, 'woonA', 'spoorbuurt');
			const aOrg = client(server.port, 'woonA', 'spoorbuurt/org');
			await Promise.all([aBoard, aOrg].map((c) => whenSynced(c)));
			const g = addConfidentialGesprek(aBoard.doc, aOrg.doc, orgA, {
				addressId: 'spoor-1',
				date: '2026-11-24',
				heldBy: 'Fatma',
				outcome: 'gesproken',
				notes: SECRET
			});

			// Bindkracht10 with a client of its own (the form forbids it): unmark, then take over.
			for (const change of [
				(fields: Y.Map<unknown>) => {
					fields.set('confidential', null);
					(fields.get('notes') as Y.Text).insert(0, 'Typ hier verder');
				},
				(fields: Y.Map<unknown>) => fields.set('confidential', users.bindB.organisationId)
			]) {
				const b = client(server.port, 'bindB', 'spoorbuurt');
				await whenSynced(b);
				await expect.poll(() => getGesprek(b.doc, g.id)?.confidential).toBe(orgA);
				const closed = new Promise<number>((resolve) =>
					b.provider.on('connection-close', (event) => resolve(event?.code ?? 0))
				);
				change(b.doc.getMap('gesprekken').get(g.id) as Y.Map<unknown>);
				expect(await closed).toBe(4422);
				b.destroy();
			}
			// Woonwaarts still has its confidential notes, and a new tab of Bindkracht10 sees the marker.
			expect(getGesprek(aBoard.doc, g.id)).toMatchObject({ confidential: orgA, notes: '' });
			expect(getOrgNotes(aOrg.doc, g.id)).toBe(SECRET);
			const late = client(server.port, 'bindB', 'spoorbuurt');
			await whenSynced(late);
			expect(getGesprek(late.doc, g.id)).toMatchObject({ confidential: orgA, notes: '' });
			// Woonwaarts itself may still unmark them.
			(aBoard.doc.getMap('gesprekken').get(g.id) as Y.Map<unknown>).set('confidential', null);
			await expect.poll(() => getGesprek(late.doc, g.id)?.confidential).toBeNull();
		}
	);
});
