import type { Db } from '../db';

export interface DbHealthOptions {
	/** A ping that has not answered after this long counts as "not answering". */
	timeoutMs: number;
	/** A successful ping is trusted for this long before the next request pings again. */
	freshMs?: number;
	log: (message: string, level: 'info' | 'warn') => void;
}

/**
 * Whether the database answers, asked at most once per `freshMs` and never waited for longer than
 * `timeoutMs`. While it is known not to answer, callers get `false` at once (fail fast with a 503)
 * and one ping at a time checks whether it is back. Every change of state is logged once.
 */
export class DbHealth {
	private up = true;
	private lastOk = 0;
	private inflight: Promise<boolean> | undefined;
	/** Total pings that failed or timed out, for /metrics. */
	failures = 0;

	constructor(
		private readonly db: Db,
		private readonly options: DbHealthOptions
	) {}

	get isUp(): boolean {
		return this.up;
	}

	/** True when the database answered recently or answers now within the timeout. */
	async ready(): Promise<boolean> {
		if (this.up && Date.now() - this.lastOk < (this.options.freshMs ?? 1000)) return true;
		if (this.inflight) return this.up ? this.inflight : false;
		return this.ping();
	}

	/** Pings now (readiness probe), sharing a ping already in flight. */
	ping(): Promise<boolean> {
		this.inflight ??= this.run().finally(() => (this.inflight = undefined));
		return this.inflight;
	}

	private async run(): Promise<boolean> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const started = Date.now();
		try {
			await Promise.race([
				this.db.query('select 1'),
				new Promise((_, reject) => {
					timer = setTimeout(
						() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)),
						this.options.timeoutMs
					);
				})
			]);
			this.lastOk = Date.now();
			if (!this.up) {
				this.options.log(`database answers again (after ${this.lastOk - started} ms)`, 'info');
			}
			this.up = true;
			return true;
		} catch (err) {
			this.failures++;
			if (this.up) {
				this.options.log(
					`database not available: ${(err as Error).message}; pages and sync answer 503 until it is back`,
					'warn'
				);
			}
			this.up = false;
			return false;
		} finally {
			clearTimeout(timer);
		}
	}
}
