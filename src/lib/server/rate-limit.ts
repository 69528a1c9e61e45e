import type { Queryable } from './db';

/**
 * A token bucket per key (e.g. per person): `capacity` requests at once, then `refillPerMinute` a
 * minute. The buckets live in the database (public.rate_limits, taken and refilled in one
 * statement by private.take_token), so every server process on the same database shares them:
 * with several processes behind a load balancer the bound per person stays the same.
 */
export class RateLimiter {
	private takes = 0;

	constructor(
		private readonly db: () => Queryable,
		/** What is limited, the first part of each key (e.g. 'audit.open'). */
		readonly name: string,
		readonly capacity: number,
		readonly refillPerMinute: number
	) {}

	/** Takes one token for `key`: 0 when allowed, else the seconds until the next token. */
	async take(key: string): Promise<number> {
		const db = this.db();
		const [row] = await db.query<{ wait: number }>(
			'select private.take_token($1, $2, $3) as wait',
			[`${this.name}|${key}`, this.capacity, this.refillPerMinute]
		);
		// Now and then forget buckets untouched long enough to be full again.
		if (++this.takes % 500 === 0) {
			const fullAfterSeconds = Math.ceil((this.capacity / this.refillPerMinute) * 60) + 60;
			await db.query('select private.forget_full_buckets(make_interval(secs => $1))', [
				fullAfterSeconds
			]);
		}
		return Number(row?.wait ?? 1);
	}
}
