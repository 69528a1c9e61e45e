import { dirname, join, resolve } from 'node:path';

/** Operations settings, read from the environment (README, "Configuration"). */
export interface OpsConfig {
	/** A database ping (readiness, the 503 gate) that takes longer counts as "not answering". */
	dbTimeoutMs: number;
	/** Graceful shutdown waits this long for unstored edits to be stored before spilling them. */
	shutdownWaitMs: number;
	/** Where unstored edits are spilled at shutdown and replayed from at start. */
	spillDir: string;
	/** Bearer token for /metrics; unset: /metrics answers loopback clients only. */
	metricsToken: string | undefined;
}

export function readOpsConfig(
	dataDir: string,
	env: Record<string, string | undefined> = process.env
): OpsConfig {
	return {
		dbTimeoutMs: Number(env.BUURTBORD_DB_TIMEOUT_MS || 5000),
		shutdownWaitMs: Number(env.BUURTBORD_SHUTDOWN_WAIT_MS || 10_000),
		spillDir: env.BUURTBORD_SPILL_DIR
			? resolve(env.BUURTBORD_SPILL_DIR)
			: join(dirname(dataDir), 'unstored'),
		metricsToken: env.BUURTBORD_METRICS_TOKEN || undefined
	};
}
