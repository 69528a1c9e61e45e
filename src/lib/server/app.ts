import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readConfig, type ServerConfig } from './config';
import { checkUpgradeOrigin, readOriginPolicy } from './auth/origin';
import { embeddedResolver, type AuthResolver } from './auth/resolve';
import { onSessionEnded } from './auth/session-events';
import { readSupabaseConfig, supabaseResolver } from './auth/supabase';
import { openDb, type Db } from './db';
import { acquireDataDirLock } from './db/lock';
import { DEMO_BOARD, ensureDemoBoard } from './demo';
import { refreshProjection } from './public/store';
import { sendMail } from './mail';
import { startRetentionJob } from './retention';
import { withConsentTracking } from './consent';
import { readOpsConfig, type OpsConfig } from './ops/config';
import { DbHealth } from './ops/health';
import { opsHttp } from './ops/http';
import { componentLog, logger } from './ops/log';
import { createMetrics } from './ops/metrics';
import { setRuntime } from './runtime';
import { postgresHooks } from './sync/postgres-hooks';
import { withPublicProjection } from './public/projector';
import { SyncServer } from './sync/server';
import { replaySpills, writeSpill } from './sync/spill';
import { UpdateStore } from './sync/store';

export interface Buurtbord {
	config: ServerConfig;
	db: Db;
	auth: AuthResolver;
	sync: SyncServer;
	ops: OpsConfig;
	/** Whether the database answers (readiness, the 503 gate). */
	health: DbHealth;
	/**
	 * Answers /healthz, /readyz and /metrics, and refuses a page with 503 while the database does
	 * not answer. Returns whether it handled the request (else hand it to the app).
	 */
	handleOps(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
	/** Serves /sync/<board> websocket upgrades on this HTTP server (see SyncServer.attach). */
	attach(server: EventEmitter, options?: { exclusive?: boolean }): void;
	/** Stores pending edits, closes connections and the database. */
	close(): Promise<void>;
}

/** Opens the database (migrating it), seeds the demo board and creates the sync server. */
export async function startBuurtbord(config: ServerConfig = readConfig()): Promise<Buurtbord> {
	// Before anything opens: a half-configured Supabase mode stops the start with a clear error.
	const supabase = readSupabaseConfig();
	// PGlite allows one process per data folder: the CLI refuses while this lock is held.
	const lock =
		config.databaseUrl || config.dataDir.startsWith('memory://')
			? null
			: acquireDataDirLock(config.dataDir, 'server');
	let db: Db;
	try {
		db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
	} catch (err) {
		lock?.release();
		throw err;
	}
	const log = logger();
	const ops = readOpsConfig(config.dataDir);
	try {
		// Edits a previous run could not store before it stopped (see spill.ts) go in first.
		const store = new UpdateStore(db);
		await replaySpills(
			ops.spillDir,
			async (name, update) => void (await store.append(name, update)),
			componentLog('storage')
		);
	} catch (err) {
		await db.close();
		lock?.release();
		throw err;
	}
	if (config.seedDemo && (await ensureDemoBoard(db, { story: config.demoStory }))) {
		log.info('created the demo board "spoorbuurt"');
		// Its story was written straight into storage: the public pages' projection follows it now.
		await refreshProjection(db, DEMO_BOARD.id);
	}
	const auth: AuthResolver = supabase ? supabaseResolver(db, supabase) : embeddedResolver(db);
	// The public resident pages' projection follows every stored board document (public/projector.ts).
	// The owners' list of households whose consent was withdrawn follows every board document
	// (consent.ts); their open pages hear when it changes.
	const told: { sync?: SyncServer } = {};
	const hooks = withConsentTracking(
		withPublicProjection(
			postgresHooks(db, {
				auth,
				compactEvery: config.compactEvery,
				commitIntervalMs: config.persistCommitIntervalMs,
				log: componentLog('sync')
			}),
			db
		),
		db,
		{
			notify: (boardId) => void told.sync?.registerChanged(boardId, { part: 'withdrawals' }),
			log: componentLog('consent')
		}
	);
	const originPolicy = readOriginPolicy();
	// Several processes on the same boards: updates, presence, access and session events through Redis.
	// Loaded only then: ioredis is ~10 MB of resident memory a single process does not need.
	const relay = config.redisUrl
		? new (await import('./sync/redis-relay')).RedisRelay(config.redisUrl, {
				prefix: config.redisPrefix,
				log: componentLog('relay')
			})
		: undefined;
	const sync = new SyncServer({
		relay,
		hooks,
		checkOrigin: (request) => checkUpgradeOrigin(request, originPolicy),
		debounceMs: config.persistDebounceMs,
		maxWaitMs: config.persistMaxWaitMs,
		sessionRecheckMs: config.sessionRecheckMs,
		storeTimeoutMs: ops.dbTimeoutMs * 2,
		log: componentLog('sync')
	});
	told.sync = sync;
	const health = new DbHealth(db, {
		timeoutMs: ops.dbTimeoutMs,
		log: (message, level) => log[level]({ component: 'database' }, message)
	});
	const http = opsHttp({
		health,
		metrics: createMetrics({ sync, db: health }),
		metricsToken: ops.metricsToken,
		gate: db.driver === 'postgres',
		relayReady: relay && (() => relay.connected),
		log: componentLog('http', 'warn')
	});
	// A session that ends closes its sockets (sign-out, a replacing sign-in, all of a user's).
	const stopSessionEvents = onSessionEnded((end) => {
		sync.endSessions(end);
		relay?.publish({ type: 'session-ended', end });
	});
	if (relay) {
		try {
			await relay.start(sync);
		} catch (err) {
			stopSessionEvents();
			await relay.close();
			await sync.close();
			await db.close();
			lock?.release();
			throw new Error(`REDIS_URL is set but Redis did not answer: ${(err as Error).message}`, {
				cause: err
			});
		}
	}
	setRuntime({ db, config, auth, sync });
	// Retention: at start, then hourly (purges boards past their retention period, warns owners,
	// erases households whose consent was withdrawn longer than the grace period).
	const retention = startRetentionJob({
		db,
		sync,
		consentGraceDays: config.consentGraceDays,
		mail: (message) =>
			sendMail(message, {
				dataDir: config.dataDir,
				log: (line) => log.info({ component: 'mail' }, line)
			}),
		log: componentLog('retention')
	});
	let closed: Promise<void> | undefined;
	return {
		config,
		db,
		auth,
		sync,
		ops,
		health,
		handleOps: http.handle,
		attach: (server, options) => sync.attach(http.gateUpgrades(server), options),
		close() {
			closed ??= (async () => {
				retention.stop();
				stopSessionEvents();
				// Bounded: with a frozen database a running job or compaction never ends.
				const bounded = async (work: Promise<unknown>) => {
					let timer: ReturnType<typeof setTimeout> | undefined;
					await Promise.race([
						work,
						new Promise((resolve) => (timer = setTimeout(resolve, ops.shutdownWaitMs)))
					]);
					clearTimeout(timer);
				};
				await bounded(retention.idle());
				const unstored = await sync.close({ waitMs: ops.shutdownWaitMs });
				await relay?.close();
				const spilled = writeSpill(ops.spillDir, unstored);
				if (spilled) {
					log.warn(
						{ component: 'storage', documents: unstored.length },
						`the database did not store every edit before shutdown: kept in ${spilled}, stored at the next start`
					);
				}
				await bounded(hooks.drain());
				setRuntime(undefined);
				await db.close();
				lock?.release();
			})();
			return closed;
		}
	};
}
