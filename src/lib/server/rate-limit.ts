/**
 * A token bucket per key (e.g. per person), in this process's memory: `capacity` requests at once,
 * then `refillPerMinute` a minute. With several server processes each holds its own buckets, so
 * the bound per person is that many times higher (still bounded).
 */
export class RateLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(
		readonly capacity: number,
		readonly refillPerMinute: number,
		private readonly now: () => number = Date.now
	) {}

	/** Takes one token for `key`: 0 when allowed, else the seconds until the next token. */
	take(key: string): number {
		const now = this.now();
		const perMs = this.refillPerMinute / 60_000;
		const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
		bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * perMs);
		bucket.at = now;
		this.buckets.set(key, bucket);
		if (this.buckets.size > 10_000) this.prune(now);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
	}

	/** Forgets buckets that are full again (they behave exactly like a new one). */
	private prune(now: number): void {
		const perMs = this.refillPerMinute / 60_000;
		for (const [key, b] of this.buckets) {
			if (b.tokens + (now - b.at) * perMs >= this.capacity) this.buckets.delete(key);
		}
	}
}
