/**
 * The servers of bench/processes.ts: a throwaway PostgreSQL 15 with two databases (one per
 * set-up, so that neither board carries the other's pins), a throwaway redis-server, one server
 * process without Redis and two with it. URLs carry a bench member's cookie (see splitCredentials).
 */
import { seedServerUsers } from '../tests/support/accounts';
import { startPostgres } from '../tests/support/postgres';
import { startRedis } from '../tests/support/redis';
import { startServer, type ServerProcess } from '../tests/support/server-process';
import { bundleTestServer } from './lib/servers';

export interface ProcessesSetup {
	/** One process, no Redis. */
	single: string;
	/** Two processes on one database behind Redis. */
	pair: [string, string];
	close(): Promise<void>;
}

export async function freshClients(): Promise<ProcessesSetup> {
	const pg = await startPostgres();
	const redis = await startRedis();
	const servers: ServerProcess[] = [];
	const close = async () => {
		for (const s of servers) await s.stop('SIGTERM');
		await redis.stop();
		await pg.stop();
	};
	try {
		const member = { bench: { org: 'Bench', boards: { spoorbuurt: 'editor' as const } } };
		const url = (server: ServerProcess, cookie: string) =>
			`ws://127.0.0.1:${server.port}/sync#${new URLSearchParams({ cookie })}`;
		const singleDb = await pg.createDatabase();
		const pairDb = await pg.createDatabase();
		const singleUser = (await seedServerUsers({ databaseUrl: singleDb }, member)).bench;
		const pairUser = (await seedServerUsers({ databaseUrl: pairDb }, member)).bench;
		// LOG_LEVEL stays at info: startServer reads the port from the "listening" line.
		const extra = {};
		await bundleTestServer();
		const single = await startServer({ databaseUrl: singleDb, extra });
		servers.push(single);
		const pairEnv = { databaseUrl: pairDb, extra: { ...extra, REDIS_URL: redis.url } };
		const a = await startServer(pairEnv);
		servers.push(a);
		const b = await startServer(pairEnv);
		servers.push(b);
		return {
			single: url(single, singleUser.cookie),
			pair: [url(a, pairUser.cookie), url(b, pairUser.cookie)],
			close
		};
	} catch (err) {
		await close();
		throw err;
	}
}
