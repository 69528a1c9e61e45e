import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGesprek } from '../../src/lib/board/gesprekken';
import { AUDIT_OPEN_RATE } from '../../src/lib/server/audit';
import type { SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/**
 * The audit log is append-only, so a member must not be able to fill it (issue 8.4): "opened
 * gesprek X" is recorded only for gesprekken that exist on that board (its live document), and
 * each person may report openings only so often (a burst of 20, then 30 a minute; 429 beyond).
 */
type Who = 'owner' | 'viewer';
const GESPREKKEN = 25;
const FLOOD = 500;

describe('opening gesprekken cannot flood the audit log (real server, PostgreSQL)', () => {
	let seeded: SeededServer<Who>;
	let sql: postgres.Sql;
	const clients: TestClient[] = [];
	const ids: string[] = [];

	const open = (user: SeededUser, gesprekId: string, board = 'spoorbuurt') =>
		fetch(`${seeded.server.url}/boards/${board}/audit`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json',
				cookie: user.cookie
			},
			body: JSON.stringify({ gesprekId })
		}).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
	const rows = async (actor: SeededUser) =>
		(
			await sql<{ subject: string }[]>`select subject from public.audit_log
				where action = 'gesprek.open' and actor_id = ${actor.id}`
		).map((r) => r.subject);

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		seeded = await startSeededServer<Who>(target, {
			owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
			viewer: { org: 'HAN', boards: { spoorbuurt: 'viewer' } }
		});
		sql = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
		const writer = connectClient(seeded.server.port, 'spoorbuurt', {
			cookie: seeded.users.owner.cookie
		});
		clients.push(writer);
		await whenSynced(writer);
		for (let i = 0; i < GESPREKKEN; i++) {
			const g = addGesprek(writer.doc, {
				addressId: `spoorbuurt-${i + 1}`,
				date: '2026-11-20',
				round: 1,
				heldBy: 'Erik',
				outcome: 'gesproken'
			});
			ids.push(g.id);
		}
		// They reached the server: a second member receives them all from it.
		const reader = connectClient(seeded.server.port, 'spoorbuurt', {
			cookie: seeded.users.viewer.cookie
		});
		clients.push(reader);
		await whenSynced(reader);
		const deadline = Date.now() + 15_000;
		while (reader.doc.getMap('gesprekken').size < GESPREKKEN) {
			if (Date.now() > deadline) throw new Error('the gesprekken never reached the server');
			await new Promise((r) => setTimeout(r, 50));
		}
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await seeded?.server.stop('SIGKILL');
		await sql?.end();
	});

	it('records an existing gesprek, and nothing for an id the board does not have', async () => {
		const { viewer } = seeded.users;
		expect(await open(viewer, 'bestaat-niet')).toEqual({
			status: 404,
			body: { recorded: false, error: 'no such gesprek' }
		});
		expect(await open(viewer, ids[0]!)).toEqual({ status: 200, body: { recorded: true } });
		expect(await rows(viewer)).toEqual([ids[0]]);
	});

	it(`answers a flood of ${FLOOD} posts with 429 beyond the rate, writing a bounded number of rows`, async () => {
		const { viewer, owner } = seeded.users;
		const started = Date.now();
		const statuses: number[] = [];
		// In waves of 25 at once: existing gesprekken and made-up ids.
		for (let wave = 0; wave < FLOOD / 25; wave++) {
			const batch = await Promise.all(
				Array.from({ length: 25 }, (_, i) =>
					open(viewer, i % 2 ? ids[(wave + i) % GESPREKKEN]! : `verzonnen-${wave}-${i}`)
				)
			);
			statuses.push(...batch.map((r) => r.status));
		}
		const minutes = (Date.now() - started) / 60_000;
		const allowed = Math.ceil(AUDIT_OPEN_RATE.burst + AUDIT_OPEN_RATE.perMinute * minutes);
		const evaluated = statuses.filter((s) => s !== 429).length;
		// The first test took one token, the refill since is within `allowed`.
		expect(evaluated).toBeLessThanOrEqual(allowed);
		expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(FLOOD - allowed);
		const subjects = await rows(viewer);
		expect(subjects.every((s) => ids.includes(s))).toBe(true);
		expect(subjects.length).toBeLessThanOrEqual(Math.min(GESPREKKEN, allowed));
		// Someone else is not held up by the viewer's flood.
		expect(await open(owner, ids[1]!)).toEqual({ status: 200, body: { recorded: true } });
	}, 120_000);
});
