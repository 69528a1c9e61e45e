import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	addToGesprekList,
	gesprekNotes,
	gesprekkenMap,
	insertNotes,
	updateGesprek
} from '../../src/lib/board/gesprekken';
import { addPin, connectClient, whenSynced, type TestClient } from '../support/clients';
import { seedServerUsers } from '../support/accounts';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { OWNER_ONLY } from '../support/seeded-server';
import { startServer, type ServerEnv, type ServerProcess } from '../support/server-process';

/**
 * Issue 12, "never lose a client's work": the server is killed (kill -9) while 30 clients edit
 * fields, lists and text of one board, and restarted; every client reconnects by itself and
 * re-sends what the server had not stored. Afterwards every edit any client made (not only the
 * ones the server had acknowledged) is in every client's state and in the server's, also after
 * the server stored it and was killed once more. `CRASH_ROUNDS` (default 5) kills per database.
 */
const CLIENTS = 30;
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 5);
// 5 clients per gesprek: its talents stay under the list limit (200) over 5 rounds.
const GESPREKKEN = 6;
const EDITS_PER_ROUND = 6;

/** What one client did, to be found in everyone's state afterwards. */
interface Made {
	pins: Map<string, string>;
	talents: Set<string>;
	notes: Set<string>;
	/** Its own pin: the last title it set. */
	ownTitle: string;
}

const ownPin = (i: number) => `eigen-${i}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first missing edit of `made` in a client's document, or null when all are there. */
function missing(doc: Y.Doc, made: Made[], gesprekIds: string[]): string | null {
	const pins = doc.getMap<Y.Map<unknown>>('pins');
	const gesprekken = gesprekkenMap(doc);
	const talents = new Set<string>();
	let notes = '';
	for (const id of gesprekIds) {
		const fields = gesprekken.get(id);
		if (!fields) return `gesprek ${id}`;
		for (const t of (fields.get('talents') as Y.Array<string>).toArray()) talents.add(t);
		notes += (fields.get('notes') as Y.Text).toString();
	}
	for (const [i, m] of made.entries()) {
		for (const [id, title] of m.pins) if (pins.get(id)?.get('title') !== title) return `pin ${id}`;
		if (pins.get(ownPin(i))?.get('title') !== m.ownTitle) return `title of ${ownPin(i)}`;
		for (const t of m.talents) if (!talents.has(t)) return `talent ${t}`;
		for (const n of m.notes) if (!notes.includes(n)) return `notes ${n}`;
	}
	return null;
}

describe.each(DRIVERS)('kill -9 while 30 clients edit (%s)', (driver) => {
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
	});

	it(`keeps every edit of every client over ${ROUNDS} crashes`, async () => {
		const started = performance.now();
		const db = await freshDatabase(driver);
		const { cookie } = (await seedServerUsers(db, OWNER_ONLY)).owner;
		const start = async (env: ServerEnv) => {
			const s = await startServer({
				...env,
				// Stored a little after the edits: each kill lands among stored and unstored ones.
				extra: { BUURTBORD_PERSIST_DEBOUNCE_MS: '200', BUURTBORD_PERSIST_MAX_WAIT_MS: '800' }
			});
			servers.push(s);
			return s;
		};
		let server = await start(db);
		const port = server.port;
		const refusals: number[] = [];
		for (let i = 0; i < CLIENTS; i++) {
			const c = connectClient(port, 'spoorbuurt', { cookie });
			c.provider.on('connection-close', (event: { code: number } | null) => {
				if (event && event.code >= 4000) refusals.push(event.code);
			});
			clients.push(c);
		}
		await Promise.all(clients.map((c) => whenSynced(c, 30_000)));

		// Shared gesprekken (lists and notes) and a pin of each client's own (a field it keeps setting).
		const first = clients[0]!;
		const gesprekIds = Array.from(
			{ length: GESPREKKEN },
			(_, g) =>
				addGesprek(first.doc, {
					addressId: `spoorbuurt-${g + 1}`,
					date: '2026-11-30',
					heldBy: 'Test',
					outcome: 'gesproken'
				}).id
		);
		const made: Made[] = clients.map((c, i) => {
			addPin(c, ownPin(i), `eigen ${i} begin`);
			return {
				pins: new Map(),
				talents: new Set(),
				notes: new Set(),
				ownTitle: `eigen ${i} begin`
			};
		});
		await expect
			.poll(() => clients.every((c) => missing(c.doc, made, gesprekIds) === null), {
				timeout: 90_000
			})
			.toBe(true);

		const edit = async (i: number, round: number) => {
			const c = clients[i]!;
			const m = made[i]!;
			const gesprek = gesprekIds[i % GESPREKKEN]!;
			for (let e = 0; e < EDITS_PER_ROUND; e++) {
				const tag = `c${i}r${round}e${e}`;
				if (e % 3 === 0) {
					const id = `pin-${tag}`;
					addPin(c, id, `pin ${tag}`);
					m.pins.set(id, `pin ${tag}`);
				}
				c.pins.get(ownPin(i))!.set('title', (m.ownTitle = `eigen ${tag}`));
				addToGesprekList(c.doc, gesprek, 'talents', tag);
				m.talents.add(tag);
				// Start or end of the notes: never inside another client's marker.
				const marker = `[${tag}]`;
				insertNotes(c.doc, gesprek, Math.random() < 0.5 ? 0 : Infinity, marker);
				m.notes.add(marker);
				// A field everybody sets at once: it must converge, to one of the values set.
				updateGesprek(c.doc, gesprek, { outcome: e % 2 ? 'later' : 'niet-thuis' });
				await pause(20 + Math.random() * 60);
			}
		};

		const log = (what: string) =>
			process.env.CRASH_DEBUG &&
			console.log(`[crash ${driver}] ${Math.round(performance.now() - started)} ms: ${what}`);
		log('set up');
		const timings: number[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			const t0 = performance.now();
			const editing = Promise.all(clients.map((_, i) => edit(i, round)));
			// The crash lands among the edits; clients edit on, offline, until it is back.
			await pause(100 + Math.random() * 150);
			await server.stop('SIGKILL');
			log(`round ${round}: killed`);
			server = await start({ ...db, port });
			log(`round ${round}: restarted`);
			await editing;
			log(`round ${round}: edits done`);
			await expect
				.poll(
					() => {
						const gaps = clients.map((c) => missing(c.doc, made, gesprekIds));
						log(
							`waiting: ${gaps.filter(Boolean).length} clients miss e.g. ${gaps.find(Boolean)}; closes ${refusals.join()}; ` +
								server
									.output()
									.split('\n')
									.filter((l) => /refused|took part/.test(l))
									.slice(-2)
									.join(' ')
						);
						return gaps.every((g) => g === null);
					},
					{ timeout: 90_000 }
				)
				.toBe(true);
			timings.push(performance.now() - t0);
		}

		// The server's state: a new client sees everything, and so it does after the server stored
		// it and was killed once more.
		const check = async () => {
			const fresh = connectClient(port, 'spoorbuurt', { cookie });
			clients.push(fresh);
			await whenSynced(fresh, 30_000);
			expect(missing(fresh.doc, made, gesprekIds)).toBeNull();
			return fresh;
		};
		const live = await check();
		await pause(1_000); // > BUURTBORD_PERSIST_MAX_WAIT_MS: stored
		await server.stop('SIGKILL');
		server = await start({ ...db, port });
		const stored = await check();
		// Everyone agrees on the field everybody set, and on the notes' order.
		const outcomes = new Set(
			[...clients, stored].map((c) =>
				gesprekIds.map((g) => gesprekkenMap(c.doc).get(g)?.get('outcome')).join()
			)
		);
		expect(outcomes.size).toBe(1);
		const notes = (c: TestClient) =>
			gesprekIds.map((g) => gesprekNotes(c.doc, g).toString()).join('|');
		await expect.poll(() => clients.every((c) => notes(c) === notes(stored))).toBe(true);
		expect(notes(live)).toBe(notes(stored));

		expect(refusals).toEqual([]);
		// Legitimate clients: nothing refused, nothing taken back.
		for (const s of servers)
			expect(s.output()).not.toMatch(/refused an update|took part of an update/);
		const edits = made.reduce((n, m) => n + m.talents.size, 0);
		console.log(
			`[crash ${driver}] ${CLIENTS} clients, ${ROUNDS} kills, ${edits} edit rounds (each: title, list, text, shared field; every third a new pin); ` +
				`kill→all converged per round ms: ${timings.map((t) => Math.round(t)).join(', ')}; total ${Math.round(performance.now() - started)} ms`
		);
	}, 600_000);
});
