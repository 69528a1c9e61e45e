import { resolve } from 'node:path';

/** The default of BUURTBORD_CONSENT_GRACE_DAYS (consent.ts). */
export const DEFAULT_GRACE_DAYS = 7;

/** Server configuration, read once from the environment (see README, "Configuration"). */
export interface ServerConfig {
	/** postgres://… for PostgreSQL or a Supabase database; unset means embedded PGlite. */
	databaseUrl: string | undefined;
	/** Folder for the embedded PGlite database. */
	dataDir: string;
	/** Create the demo board "Spoorbuurt" when it does not exist yet. */
	seedDemo: boolean;
	/** With its story (gesprekken, initiatieven; BUURTBORD_DEMO=addresses: the addresses alone). */
	demoStory: boolean;
	/** Persistence: write pending updates at most this long after the last edit… */
	persistDebounceMs: number;
	/** …and never later than this after the first unsaved edit. */
	persistMaxWaitMs: number;
	/**
	 * Inserts into the update log start at least this far apart; what several boards store in
	 * between goes in as one statement (UpdateStore's `commitIntervalMs`).
	 */
	persistCommitIntervalMs: number;
	/** An open socket's session is checked again at its expiry and at least this often. */
	sessionRecheckMs: number;
	/** A board's stored log is compacted after this many stored updates (and when it is unloaded). */
	compactEvery: number;
	/** redis://… : several processes serve the same boards (sync/redis-relay.ts); unset: one process. */
	redisUrl: string | undefined;
	/** Channel names start with this, so that deployments can share one Redis. */
	redisPrefix: string;
	/**
	 * Days after which a household whose consent was marked withdrawn is erased automatically
	 * (consent.ts); until then an editor can undo the mark.
	 */
	consentGraceDays: number;
}

export function readConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: resolve(env.BUURTBORD_DATA_DIR || 'data/pglite'),
		seedDemo: env.BUURTBORD_DEMO !== 'false',
		demoStory: env.BUURTBORD_DEMO !== 'addresses',
		persistDebounceMs: Number(env.BUURTBORD_PERSIST_DEBOUNCE_MS || 250),
		persistMaxWaitMs: Number(env.BUURTBORD_PERSIST_MAX_WAIT_MS || 500),
		persistCommitIntervalMs: Number(env.BUURTBORD_PERSIST_COMMIT_INTERVAL_MS || 100),
		sessionRecheckMs: Number(env.BUURTBORD_SESSION_RECHECK_MS || 5 * 60_000),
		compactEvery: Number(env.BUURTBORD_COMPACT_EVERY || 100),
		redisUrl: env.REDIS_URL || undefined,
		redisPrefix: env.REDIS_PREFIX || 'buurtbord',
		consentGraceDays: graceDays(env.BUURTBORD_CONSENT_GRACE_DAYS)
	};
}

/**
 * BUURTBORD_CONSENT_GRACE_DAYS: a number of days from 0 to 365, written as digits with an optional
 * decimal point (1.5 is a day and a half), else an error that stops the start: a typo must not
 * erase households early or keep them for ever. Unset or empty means the default, as for the other
 * variables here. Hexadecimal, exponents or "Infinity" (which Number() would take) are refused.
 */
function graceDays(value: string | undefined): number {
	if (value === undefined || value.trim() === '') return DEFAULT_GRACE_DAYS;
	const days = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
	if (!Number.isFinite(days) || days < 0 || days > 365) {
		throw new Error(
			`BUURTBORD_CONSENT_GRACE_DAYS must be a number of days from 0 to 365 (such as 7 or 1.5), not ${JSON.stringify(value)}`
		);
	}
	return days;
}
