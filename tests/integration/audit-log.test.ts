import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, recordAudit, recordGesprekChanges } from '../../src/lib/server/audit';
import type { Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { seedUsers } from '../support/accounts';
import { migratedDb } from '../support/db';
import { DRIVERS } from '../support/drivers';

describe.each(DRIVERS)('the audit log (%s)', (driver) => {
	let db: Db;
	let users: Awaited<ReturnType<typeof seed>>;
	const seed = (d: Db) =>
		seedUsers(d, {
			olga: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
			erik: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } }
		});

	beforeAll(async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		users = await seed(db);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('appends entries and lists them newest first, with name and organisation', async () => {
		await recordAudit(db, {
			boardId: 'spoorbuurt',
			actorId: users.erik.id,
			action: 'gesprek.open',
			subject: 'g-first'
		});
		await recordAudit(db, {
			boardId: 'spoorbuurt',
			actorId: users.olga.id,
			action: 'household.erase',
			subject: 'a-12'
		});
		const { rows, total } = await listAudit(db, 'spoorbuurt');
		expect(total).toBe(2);
		expect(rows.map((r) => [r.action, r.subject, r.organisationName])).toEqual([
			['household.erase', 'a-12', 'Woonwaarts'],
			['gesprek.open', 'g-first', 'Bindkracht10']
		]);
	});

	it('refuses to change, remove or truncate entries, even for the table owner', async () => {
		await expect(db.query('update public.audit_log set subject = $1', ['x'])).rejects.toThrow(
			/append-only/
		);
		await expect(db.query('delete from public.audit_log')).rejects.toThrow(/append-only/);
		await expect(db.exec('truncate public.audit_log')).rejects.toThrow(/append-only/);
		expect((await listAudit(db, 'spoorbuurt')).total).toBe(2);
	});

	it('pages the log, newest first', async () => {
		for (let i = 0; i < 5; i++) {
			await recordAudit(
				db,
				{ boardId: 'paged', actorId: users.erik.id, action: 'gesprek.open', subject: `g${i}` },
				{ at: new Date(Date.UTC(2026, 10, 1, 10, i)) }
			);
		}
		const first = await listAudit(db, 'paged', { limit: 2 });
		const last = await listAudit(db, 'paged', { limit: 2, offset: 4 });
		expect(first.total).toBe(5);
		expect(first.rows.map((r) => r.subject)).toEqual(['g4', 'g3']);
		expect(last.rows.map((r) => r.subject)).toEqual(['g0']);
	});

	it('refuses an action it does not know', async () => {
		await expect(
			db.query(
				`insert into public.audit_log (board_id, actor_id, action) values ('spoorbuurt', null, 'gesprek.read')`
			)
		).rejects.toThrow();
	});

	it('coalesces the same person, action and subject within the window', async () => {
		const base = new Date('2026-11-25T10:00:00Z');
		const at = (s: number) => new Date(base.getTime() + s * 1000);
		const entry = {
			boardId: 'spoorbuurt',
			actorId: users.erik.id,
			action: 'gesprek.change' as const,
			subject: 'g-coalesce'
		};
		const results = await Promise.all([
			recordAudit(db, entry, { coalesceSeconds: 60, at: at(0) }),
			recordAudit(db, entry, { coalesceSeconds: 60, at: at(1) }),
			recordAudit(db, entry, { coalesceSeconds: 60, at: at(30) })
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
		// Someone else, or another gesprek, is an entry of its own.
		expect(
			await recordAudit(
				db,
				{ ...entry, actorId: users.olga.id },
				{ coalesceSeconds: 60, at: at(30) }
			)
		).toBe(true);
		expect(
			await recordAudit(db, { ...entry, subject: 'g-other' }, { coalesceSeconds: 60, at: at(30) })
		).toBe(true);
		// A minute later it is recorded again.
		expect(await recordAudit(db, entry, { coalesceSeconds: 60, at: at(61) })).toBe(true);
		const rows = await db.query<{ n: number }>(
			`select count(*)::int as n from public.audit_log where subject = 'g-coalesce' and actor_id = $1`,
			[users.erik.id]
		);
		expect(rows[0]!.n).toBe(2);
	});
	it('records a mass edit of thousands of gesprekken in one statement, coalesced like single ones', async () => {
		const base = new Date('2026-11-26T10:00:00Z');
		const at = (s: number) => new Date(base.getTime() + s * 1000);
		const ids = Array.from({ length: 3000 }, (_, i) => `mass-${i}`);
		let queries = 0;
		const counted = {
			query: <T extends object>(sql: string, params?: Parameters<Db['query']>[1]) => {
				queries++;
				return db.query<T>(sql, params);
			},
			exec: (sql: string) => db.exec(sql)
		};
		const count = async () =>
			(
				await db.query<{ n: number }>(
					`select count(*)::int as n from public.audit_log
					 where action = 'gesprek.change' and subject like 'mass-%' and actor_id = $1`,
					[users.erik.id]
				)
			)[0]!.n;
		// Two updates at the same moment, overlapping: each gesprek once.
		await Promise.all([
			recordGesprekChanges(counted, 'spoorbuurt', users.erik.id, ids.slice(0, 2000), at(0)),
			recordGesprekChanges(counted, 'spoorbuurt', users.erik.id, ids.slice(1000), at(1))
		]);
		expect(await count()).toBe(3000);
		expect(queries).toBeLessThanOrEqual(2);
		// Within the minute: nothing new, and the database is not asked.
		await recordGesprekChanges(counted, 'spoorbuurt', users.erik.id, ids, at(30));
		expect(await count()).toBe(3000);
		expect(queries).toBeLessThanOrEqual(2);
		// A minute later each is recorded again.
		await recordGesprekChanges(counted, 'spoorbuurt', users.erik.id, ids, at(61));
		expect(await count()).toBe(6000);
	});
});
