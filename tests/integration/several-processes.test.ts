import { spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChangedPart, MESSAGE_REGISTER_CHANGED } from '../../src/lib/collab/register-changed';
import { freeTextOf } from '../../src/lib/privacy/review';
import { textHash } from '../../src/lib/server/public/reviews';
import { addGesprek, addInitiatief, listGesprekken } from '../../src/lib/board';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import {
	addPin,
	connectClient,
	titles,
	upgradeHeaders,
	webSocketWithHeaders,
	whenSynced,
	type TestClient
} from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startRedis, type TestRedis } from '../support/redis';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * Several Buurtbord processes on one PostgreSQL, with REDIS_URL (a real redis-server): clients on
 * different processes edit one board and see each other's edits and presence; a removed member is
 * cut off on every process; an erasure on one process leaves nothing on any process nor in
 * storage; a process killed with SIGKILL while clients edit loses nothing once its clients
 * reconnect to another. And without Redis: two processes on one database never delete each
 * other's stored edits when they compact.
 */

const PG_DUMP = `${process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'}/pg_dump`;
const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' as const } },
	editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' as const } },
	removed: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' as const } }
};

/** The board's stored log, merged into one document. */
async function storedDoc(databaseUrl: string): Promise<Y.Doc> {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql<{ data: Uint8Array }[]>`
			select data from public.board_updates where board_id = 'spoorbuurt' order by seq`;
		const doc = new Y.Doc();
		for (const row of rows) Y.applyUpdate(doc, row.data);
		return doc;
	} finally {
		await sql.end();
	}
}

function storedTitles(doc: Y.Doc): string[] {
	return [...doc.getMap<Y.Map<unknown>>('pins').values()].map((p) => String(p.get('title'))).sort();
}

/** Text and hex (bytea) hits of a string in a data-only dump of the whole database. */
function dumpHits(databaseUrl: string, text: string): number {
	const res = spawnSync(PG_DUMP, ['--data-only', '--no-owner', `--dbname=${databaseUrl}`], {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024
	});
	if (res.status !== 0) throw new Error(`pg_dump failed: ${res.stderr}`);
	const hex = Buffer.from(text).toString('hex');
	return res.stdout.split(text).length - 1 + (res.stdout.toLowerCase().split(hex).length - 1);
}

describe('several processes behind Redis', () => {
	let redis: TestRedis;
	let databaseUrl: string;
	let users: Record<keyof typeof CAST, SeededUser>;
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];

	const client = (server: ServerProcess, user: SeededUser, room = 'spoorbuurt') => {
		const c = connectClient(server.port, room, { cookie: user.cookie });
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		redis = await startRedis();
		({ databaseUrl } = (await freshDatabase('postgres')) as { databaseUrl: string });
		users = await seedServerUsers({ databaseUrl }, CAST);
		const env = { databaseUrl, extra: { REDIS_URL: redis.url, BUURTBORD_COMPACT_EVERY: '5' } };
		servers.push(...(await Promise.all([startServer(env), startServer(env), startServer(env)])));
	}, 120_000);

	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers) await s.stop('SIGKILL');
		await redis?.stop();
	});

	it('clients on three processes edit one board, converge and see each other', async () => {
		const [a, b, c] = servers.map((s) => client(s, users.editor));
		await Promise.all([a, b, c].map((x) => whenSynced(x!)));
		// One edit from process 1 to a client of process 2: relayed while both are connected (how
		// fast is measured by bench/processes.ts, not timed here).
		addPin(a!, 'eerste', 'Eerste');
		await expect.poll(() => titles(b!), { interval: 2 }).toContain('Eerste');

		for (let i = 0; i < 15; i++) {
			addPin(a!, `a${i}`, `A ${i}`);
			addPin(b!, `b${i}`, `B ${i}`);
			addPin(c!, `c${i}`, `C ${i}`);
		}
		for (const x of [a, b, c]) {
			await expect.poll(() => titles(x!).length, { timeout: 10_000 }).toBe(46);
		}
		expect(titles(b!)).toEqual(titles(a!));
		expect(titles(c!)).toEqual(titles(a!));

		// Presence: a cursor on process 3, stamped with its user there, is seen on process 1.
		c!.provider.awareness.setLocalStateField('cursor', { lon: 5.871, lat: 51.832 });
		await expect
			.poll(() =>
				[...a!.provider.awareness.getStates().values()].some(
					(s) => (s.cursor as { lon?: number } | undefined)?.lon === 5.871
				)
			)
			.toBe(true);
		const seen = [...a!.provider.awareness.getStates().values()].find(
			(s) => (s.cursor as { lon?: number } | undefined)?.lon === 5.871
		);
		expect((seen?.user as { id: string }).id).toBe(users.editor.id);
	});

	it('a removed member is cut off on every process at once', async () => {
		const closes: number[][] = [[], [], []];
		servers.forEach((server, i) => {
			const c = client(server, users.removed);
			c.provider.on('connection-close', (event: CloseEvent | null) => {
				if (event) closes[i]!.push(event.code);
			});
		});
		await Promise.all(clients.slice(-3).map((c) => whenSynced(c)));
		const res = await fetch(`${servers[0]!.url}/boards/spoorbuurt/leden?/remove`, {
			method: 'POST',
			headers: {
				cookie: users.owner.cookie,
				origin: servers[0]!.url,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			},
			body: new URLSearchParams({ userId: users.removed.id })
		});
		expect(((await res.json()) as { type: string }).type).toBe('success');
		for (const codes of closes) {
			await expect.poll(() => codes, { timeout: 2000, interval: 20 }).toContain(4403);
		}
		for (const c of clients.splice(-3)) c.destroy();
	});

	it('an import stored on one process reaches the open pages on every process', async () => {
		const told = [0, 0, 0];
		const pages = servers.map((server, i) => {
			const c = connectClient(server.port, 'spoorbuurt', {
				cookie: users.owner.cookie,
				params: { access: 'write' }
			});
			clients.push(c);
			c.provider.messageHandlers[MESSAGE_REGISTER_CHANGED] = () => told[i]!++;
			return c;
		});
		await Promise.all(pages.map((c) => whenSynced(c)));
		const row = {
			line: 2,
			street: 'Relaisstraat',
			houseNumber: 1,
			houseLetter: null,
			addition: null,
			postcode: '6521ZZ',
			city: 'Nijmegen',
			lon: 5.871,
			lat: 51.831,
			bagId: null,
			complexNumber: null
		};
		const res = await fetch(`${servers[1]!.url}/boards/spoorbuurt/adressen/import`, {
			method: 'POST',
			headers: {
				cookie: users.owner.cookie,
				origin: servers[1]!.url,
				'content-type': 'application/json'
			},
			body: JSON.stringify({ rows: [row] })
		});
		expect(res.status).toBe(200);
		await expect.poll(() => told, { timeout: 5000 }).toEqual([1, 1, 1]);
		for (const c of clients.splice(-3)) c.destroy();
	});

	it("an owner's approval of an initiatief text on one process reaches the open pages on every process", async () => {
		const told = servers.map(() => [] as string[]);
		const pages = servers.map((server, i) => {
			const c = connectClient(server.port, 'spoorbuurt', {
				cookie: users.owner.cookie,
				params: { access: 'write' }
			});
			clients.push(c);
			c.provider.messageHandlers[MESSAGE_REGISTER_CHANGED] = (_encoder, decoder) =>
				told[i]!.push(decodeChangedPart(decoder));
			return c;
		});
		await Promise.all(pages.map((c) => whenSynced(c)));
		// Written on process 3, approved through process 2 (which reads the live document).
		const initiatief = addInitiatief(pages[2]!.doc, {
			title: 'Buurtbank bij het relais',
			description: 'Een bank om samen op te zitten.',
			place: { lon: 5.871, lat: 51.831 }
		});
		const approve = () =>
			fetch(`${servers[1]!.url}/boards/spoorbuurt/instellingen?/approveInitiative`, {
				method: 'POST',
				headers: {
					cookie: users.owner.cookie,
					origin: servers[1]!.url,
					'content-type': 'application/x-www-form-urlencoded',
					'x-sveltekit-action': 'true'
				},
				body: new URLSearchParams({ id: initiatief.id, hash: textHash(freeTextOf(initiatief)) })
			}).then(async (res) => ((await res.json()) as { type: string }).type);
		await expect.poll(approve, { timeout: 5000 }).toBe('success');
		await expect
			.poll(() => told, { timeout: 5000 })
			.toEqual([['approvals'], ['approvals'], ['approvals']]);
		for (const c of clients.splice(-3)) c.destroy();
	});

	it('an erasure on one process leaves nothing on any process nor in storage', async () => {
		const secret = 'Geheimeschuldzorgvanpietxq';
		const [addressId] = (await fetchAddresses(databaseUrl)).slice(0, 1);
		// Written on process 2, seen on process 3, erased through process 1.
		const writer = client(servers[1]!, users.editor);
		const watcher = client(servers[2]!, users.editor);
		await Promise.all([whenSynced(writer), whenSynced(watcher)]);
		addGesprek(writer.doc, {
			addressId: addressId!,
			date: '2026-03-12',
			heldBy: 'Buurtcoach',
			outcome: 'gesproken',
			notes: secret
		});
		await expect
			.poll(() => listGesprekken(watcher.doc, { addressId }).length, { timeout: 5000 })
			.toBe(1);
		await expect.poll(() => dumpHits(databaseUrl, secret), { timeout: 5000 }).toBeGreaterThan(0);

		const res = await fetch(`${servers[0]!.url}/boards/spoorbuurt/wissen`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: users.owner.cookie },
			body: JSON.stringify({ addressId })
		});
		expect(res.status).toBe(200);
		for (const c of [writer, watcher]) {
			await expect.poll(() => listGesprekken(c.doc, { addressId }).length).toBe(0);
		}
		// Every process's live document: a fresh client of each gets no trace of it.
		for (const server of servers) {
			const fresh = client(server, users.owner);
			await whenSynced(fresh);
			expect(Buffer.from(Y.encodeStateAsUpdate(fresh.doc)).includes(secret)).toBe(false);
		}
		// Storage: the other processes compacted as well, so no stored row holds it.
		await expect.poll(() => dumpHits(databaseUrl, secret), { timeout: 5000 }).toBe(0);
	});

	it('without Redis each process serves its own clients and says it is not ready; back, they catch up', async () => {
		const [first, third] = [servers[0]!, servers[2]!];
		const a = client(first, users.editor);
		const c = client(third, users.editor);
		await Promise.all([whenSynced(a), whenSynced(c)]);
		const ready = async (server: ServerProcess) => (await fetch(`${server.url}/readyz`)).status;
		expect(await ready(first)).toBe(200);

		await redis.pause();
		await expect.poll(() => ready(first), { timeout: 5000 }).toBe(503);
		addPin(a, 'tijdens-a', 'Tijdens storing A');
		addPin(c, 'tijdens-c', 'Tijdens storing C');
		await expect.poll(() => titles(a)).toContain('Tijdens storing A');

		await redis.resume();
		await expect.poll(() => ready(first), { timeout: 10_000 }).toBe(200);
		await expect.poll(() => ready(third), { timeout: 10_000 }).toBe(200);
		// The catch-up after reconnecting brings each process the other's edits from the outage.
		for (const x of [a, c]) {
			await expect
				.poll(() => titles(x), { timeout: 10_000 })
				.toEqual(expect.arrayContaining(['Tijdens storing A', 'Tijdens storing C']));
		}
		// And live relaying works again.
		addPin(a, 'na-a', 'Na storing');
		await expect.poll(() => titles(c), { timeout: 5000 }).toContain('Na storing');
	});

	it('a process killed while clients edit loses nothing: its clients reconnect to another', async () => {
		const [first, second] = [servers[0]!, servers[1]!];
		const a = client(first, users.editor);
		const b = client(second, users.editor);
		await Promise.all([whenSynced(a), whenSynced(b)]);
		let killed = false;
		const edits = (c: TestClient, prefix: string) =>
			(async () => {
				for (let i = 0; i < 40; i++) {
					addPin(c, `${prefix}${i}`, `${prefix} ${i}`);
					await new Promise((resolve) => setTimeout(resolve, 10));
				}
			})();
		const editing = Promise.all([
			edits(a, 'Kill-a'),
			edits(b, 'Kill-b'),
			(async () => {
				await expect
					.poll(() => titles(a).filter((t) => t.startsWith('Kill-b')).length)
					.toBeGreaterThan(10);
				await second.stop('SIGKILL');
				killed = true;
			})()
		]);
		await editing;
		expect(killed).toBe(true);
		// b's tab reconnects through the load balancer to a live process, with the same document.
		b.provider.destroy();
		const again = new WebsocketProvider(`ws://127.0.0.1:${first.port}/sync`, 'spoorbuurt', b.doc, {
			WebSocketPolyfill: webSocketWithHeaders(
				upgradeHeaders(first.port, { cookie: users.editor.cookie })
			),
			disableBc: true
		});
		try {
			const expected = [
				...Array.from({ length: 40 }, (_, i) => `Kill-a ${i}`),
				...Array.from({ length: 40 }, (_, i) => `Kill-b ${i}`)
			];
			await expect
				.poll(() => titles(a).filter((t) => t.startsWith('Kill')).length, { timeout: 10_000 })
				.toBe(80);
			// Stored: the merged log holds every edit of both clients.
			await expect
				.poll(
					async () =>
						storedTitles(await storedDoc(databaseUrl)).filter((t) => t.startsWith('Kill')),
					{
						timeout: 10_000
					}
				)
				.toEqual(expected.sort());
		} finally {
			again.destroy();
		}
	});
});

describe('two processes on one database without Redis', () => {
	it('compacting on one process keeps the edits the other stored', async () => {
		const { databaseUrl } = (await freshDatabase('postgres')) as { databaseUrl: string };
		const users = await seedServerUsers({ databaseUrl }, { editor: CAST.editor });
		// Compaction after every 3 stored updates, so both processes compact many times.
		const env = { databaseUrl, extra: { BUURTBORD_COMPACT_EVERY: '3' } };
		const servers = await Promise.all([startServer(env), startServer(env)]);
		const clients = servers.map((s) =>
			connectClient(s.port, 'spoorbuurt', { cookie: users.editor.cookie })
		);
		try {
			await Promise.all(clients.map((c) => whenSynced(c)));
			for (let i = 0; i < 12; i++) {
				addPin(clients[0]!, `x${i}`, `Een ${i}`);
				addPin(clients[1]!, `y${i}`, `Twee ${i}`);
				// Each edit its own stored update (the writer's debounce is 100 ms).
				await new Promise((resolve) => setTimeout(resolve, 150));
			}
			await expect
				.poll(async () => storedTitles(await storedDoc(databaseUrl)).length, { timeout: 10_000 })
				.toBe(24);
		} finally {
			for (const c of clients) c.destroy();
			for (const s of servers) await s.stop('SIGKILL');
		}
	});
});

async function fetchAddresses(databaseUrl: string): Promise<string[]> {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql<{ id: string }[]>`
			select id from public.addresses where board_id = 'spoorbuurt' order by id limit 2`;
		return rows.map((r) => r.id);
	} finally {
		await sql.end();
	}
}
