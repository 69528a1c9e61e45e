import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/lib/server/db';
import { RateLimiter } from '../../src/lib/server/rate-limit';
import { DRIVERS, freshDatabase } from '../support/drivers';

/**
 * The token buckets that bound how often one person may do something (issue 13: "audit-open rate
 * limit per process"): they live in the database, so two limiters on the same database, as two
 * server processes behind a load balancer hold, share one bound per person.
 */
describe.each(DRIVERS)('rate limits shared through the database (%s)', (driver) => {
	const dbs: Db[] = [];
	afterAll(async () => {
		await Promise.all(dbs.map((db) => db.close()));
	});

	it('allows a burst, then refuses with the seconds to wait, and refills with time', async () => {
		const target = await freshDatabase(driver);
		const db = await openDb({ databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' });
		dbs.push(db);
		// 3 at once, then 60 a minute: one a second.
		const limiter = new RateLimiter(() => db, 'test.burst', 3, 60);
		const waits = [];
		for (let i = 0; i < 5; i++) waits.push(await limiter.take('anna'));
		expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
		expect(waits[3]).toBeGreaterThanOrEqual(1);
		// Someone else has a bucket of their own.
		expect(await limiter.take('bert')).toBe(0);
		// After a second a token is back.
		await expect.poll(() => limiter.take('anna'), { timeout: 5_000, interval: 300 }).toBe(0);
	});

	it('holds one bound for two limiters taking at the same moment', async () => {
		const target = await freshDatabase(driver);
		const config = { databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' };
		const first = await openDb(config);
		dbs.push(first);
		// PGlite is one process's database; PostgreSQL gets a second pool, as a second process has.
		const second = driver === 'postgres' ? await openDb(config) : first;
		if (second !== first) dbs.push(second);
		// Next to no refill during the test: exactly the capacity may pass.
		const a = new RateLimiter(() => first, 'audit.open', 20, 0.001);
		const b = new RateLimiter(() => second, 'audit.open', 20, 0.001);
		const waits = await Promise.all(
			Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).take('viewer'))
		);
		expect(waits.filter((w) => w === 0)).toHaveLength(20);
		expect(waits.filter((w) => w > 0)).toHaveLength(80);
		const [row] = await first.query<{ n: number }>(
			'select count(*)::int as n from public.rate_limits'
		);
		// One row for the person, holding no content.
		expect(row?.n).toBe(1);
	});
});
