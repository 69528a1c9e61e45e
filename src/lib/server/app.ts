import type { EventEmitter } from 'node:events';
import { readConfig, type ServerConfig } from './config';
import { embeddedResolver, type AuthResolver } from './auth/resolve';
import { readSupabaseConfig, supabaseResolver } from './auth/supabase';
import { openDb, type Db } from './db';
import { acquireDataDirLock } from './db/lock';
import { ensureDemoBoard } from './demo';
import { sendMail } from './mail';
import { startRetentionJob } from './retention';
import { setRuntime } from './runtime';
import { postgresHooks } from './sync/postgres-hooks';
import { SyncServer } from './sync/server';

export interface Buurtbord {
	config: ServerConfig;
	db: Db;
	auth: AuthResolver;
	sync: SyncServer;
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
	if (config.seedDemo && (await ensureDemoBoard(db, { story: config.demoStory }))) {
		console.log('[buurtbord] created the demo board "spoorbuurt"');
	}
	const auth: AuthResolver = supabase ? supabaseResolver(db, supabase) : embeddedResolver(db);
	const hooks = postgresHooks(db, { auth });
	const sync = new SyncServer({
		hooks,
		debounceMs: config.persistDebounceMs,
		maxWaitMs: config.persistMaxWaitMs
	});
	setRuntime({ db, config, auth, sync });
	// Retention: at start, then daily (purges boards past their retention period, warns owners).
	const retention = startRetentionJob({
		db,
		sync,
		mail: (message) => sendMail(message, { dataDir: config.dataDir })
	});
	let closed: Promise<void> | undefined;
	return {
		config,
		db,
		auth,
		sync,
		attach: (server, options) => sync.attach(server, options),
		close() {
			closed ??= (async () => {
				retention.stop();
				await retention.idle();
				await sync.close();
				await hooks.drain();
				setRuntime(undefined);
				await db.close();
				lock?.release();
			})();
			return closed;
		}
	};
}
