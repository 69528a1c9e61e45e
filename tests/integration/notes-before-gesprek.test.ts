import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, patchConsent } from '../../src/lib/board';
import { addConfidentialGesprek, getOrgNotes } from '../../src/lib/board/org-notes';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import { MESSAGE_STORED, decodeStored, encodeStoredRequest } from '../../src/lib/collab/stored';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startRedis, type TestRedis } from '../support/redis';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * Confidential notes that reach the server before their gesprek (the real server, PostgreSQL 15).
 * A device that was offline made a gesprek with confidential notes and reconnects: the
 * organisation's socket happens to send the notes before the board's socket sends the gesprek.
 * The server keeps the notes back (it says they are not stored) until the gesprek is on the board,
 * then checks them: for another household both are stored; for a household that withdrew its
 * consent meanwhile the notes are not taken, and no stored row ever holds them. Also when the two
 * sockets reach two processes behind Redis.
 */

const base = { date: '2026-11-21', heldBy: 'Erik', outcome: 'gesproken' } as const;
const LEGIT = 'Notitieeerstaangekomenxq';
const SECRET = 'Teruggetrokkenzorgnotitiexq';

/** The server's answer to "what is stored?" on a socket: its state vector. */
function askStored(client: TestClient): Promise<Map<number, number>> {
	return new Promise((resolve) => {
		client.provider.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
			const vector = decodeStored(decoder);
			if (vector) resolve(Y.decodeStateVector(vector));
		};
		client.provider.ws!.send(new Uint8Array(encodeStoredRequest()));
	});
}

/** Whether the server has stored everything of this client's own that its document holds. */
async function storedOwn(client: TestClient): Promise<boolean> {
	const stored = await askStored(client);
	const own = client.doc.clientID;
	return (stored.get(own) ?? 0) >= Y.getState(client.doc.store, own);
}

describe('confidential notes that arrive before their gesprek', () => {
	let server: ServerProcess;
	let sql: postgres.Sql;
	let users: Record<'device' | 'colleague', SeededUser>;
	let home = '';
	let neighbour = '';
	const clients: TestClient[] = [];

	const connect = async (user: SeededUser, room = 'spoorbuurt') => {
		const c = connectClient(server.port, room, { cookie: user.cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	};
	/** Stored rows of confidential notes that hold this text. */
	const storedRowsWith = async (text: string) => {
		const [row] = await sql<{ n: number }[]>`
			select count(*)::int as n from public.org_note_updates
			where position(convert_to(${text}, 'UTF8') in data) > 0`;
		return row!.n;
	};
	/** A device that has the board and its organisation's notes, then goes offline. */
	const offlineDevice = async () => {
		const board = await connect(users.device);
		const org = await connect(users.device, 'spoorbuurt/org');
		board.provider.disconnect();
		org.provider.disconnect();
		return { board, org };
	};
	/** Back online: the notes' socket first, and the server has read what it sent. */
	const notesFirst = async (org: TestClient) => {
		org.provider.connect();
		await whenSynced(org);
		expect(await storedOwn(org)).toBe(false);
	};

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		users = await seedServerUsers(target, {
			device: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } }
		});
		server = await startServer(target);
		sql = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
		const rows = await sql<{ id: string }[]>`
			select id from public.addresses where board_id = 'spoorbuurt' order by id desc limit 2`;
		[home, neighbour] = rows.map((r) => r.id) as [string, string];
	}, 90_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
		await sql?.end();
	});

	it('stores both the new gesprek and its notes, the notes once the gesprek is there', async () => {
		const colleagueOrg = await connect(users.colleague, 'spoorbuurt/org');
		const { board, org } = await offlineDevice();
		const g = addConfidentialGesprek(board.doc, org.doc, users.device.organisationId, {
			...base,
			addressId: neighbour,
			notes: LEGIT
		});
		await notesFirst(org);
		expect(getOrgNotes(colleagueOrg.doc, g.id)).toBe('');

		board.provider.connect();
		await expect.poll(() => getOrgNotes(colleagueOrg.doc, g.id)).toBe(LEGIT);
		await expect.poll(() => storedOwn(org)).toBe(true);
		expect(await storedRowsWith(LEGIT)).toBeGreaterThan(0);
	});

	it('never stores notes about a household that withdrew while the device was offline', async () => {
		const colleague = await connect(users.colleague);
		const colleagueOrg = await connect(users.colleague, 'spoorbuurt/org');
		const received: string[] = [];
		colleagueOrg.doc.on('update', (u: Uint8Array) => received.push(Buffer.from(u).toString()));
		const { board, org } = await offlineDevice();
		const told: NotTaken[] = [];
		org.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
			told.push(...(decodeNotTaken(decoder)?.parts ?? []));
		};
		// Meanwhile the household withdraws its consent.
		const earlier = addGesprek(colleague.doc, { ...base, addressId: home }).id;
		patchConsent(colleague.doc, earlier, { withdrawn: true });
		await expect
			.poll(async () => (await sql`select 1 from public.consent_withdrawals`).length)
			.toBe(1);

		const g = addConfidentialGesprek(board.doc, org.doc, users.device.organisationId, {
			...base,
			addressId: home,
			notes: SECRET
		});
		await notesFirst(org);
		board.provider.connect();
		await expect
			.poll(() => told.map((p) => `${p.path.join('/')} ${p.reason}`))
			.toEqual([`notes/${g.id} withdrawn`]);
		await expect.poll(() => getOrgNotes(org.doc, g.id)).toBe('');
		await expect.poll(() => storedOwn(org)).toBe(true);
		expect(await storedRowsWith(SECRET)).toBe(0);
		expect(received.join('')).not.toContain(SECRET);
	});
});

describe('confidential notes before their gesprek, on two processes behind Redis', () => {
	let redis: TestRedis;
	let servers: ServerProcess[] = [];
	let users: Record<'device' | 'colleague', SeededUser>;
	const clients: TestClient[] = [];

	beforeAll(async () => {
		redis = await startRedis();
		const { databaseUrl } = (await freshDatabase('postgres')) as { databaseUrl: string };
		users = await seedServerUsers(
			{ databaseUrl },
			{
				device: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
				colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } }
			}
		);
		const env = { databaseUrl, extra: { REDIS_URL: redis.url } };
		servers = await Promise.all([startServer(env), startServer(env)]);
	}, 120_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const s of servers) await s.stop('SIGKILL');
		await redis?.stop();
	});

	it('takes the notes on one process once the gesprek reached the other', async () => {
		const [first, second] = servers as [ServerProcess, ServerProcess];
		const connect = async (server: ServerProcess, user: SeededUser, room = 'spoorbuurt') => {
			const c = connectClient(server.port, room, { cookie: user.cookie });
			clients.push(c);
			await whenSynced(c);
			return c;
		};
		const colleagueOrg = await connect(second, users.colleague, 'spoorbuurt/org');
		const board = await connect(second, users.device);
		const org = await connect(first, users.device, 'spoorbuurt/org');
		board.provider.disconnect();
		org.provider.disconnect();
		const g = addConfidentialGesprek(board.doc, org.doc, users.device.organisationId, {
			...base,
			addressId: 'spoor-9',
			notes: LEGIT
		});
		org.provider.connect();
		await whenSynced(org);
		expect(await storedOwn(org)).toBe(false);
		board.provider.connect();
		await expect.poll(() => getOrgNotes(colleagueOrg.doc, g.id), { timeout: 5000 }).toBe(LEGIT);
		await expect.poll(() => storedOwn(org)).toBe(true);
	});
});
