import { afterEach } from 'vitest';
import { seedServerUsers } from './accounts';
import { connectClient, type TestClient } from './clients';
import { freshDatabase, type Driver } from './drivers';
import { OWNER_ONLY } from './seeded-server';
import { startServer, type ServerEnv, type ServerProcess } from './server-process';

/**
 * Real server processes and Node y-websocket clients of the demo board's owner, for one describe
 * block: servers with the given extra settings, each client on the owner's session, and after
 * each test every client closed and every server killed (kill -9).
 */
export function syncTestbed(extra: Record<string, string> = {}) {
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];
	// The owner's session cookie, seeded into each fresh database (sessions survive restarts).
	let cookie = '';

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
	});

	return {
		/** A fresh database with the owner seeded: their session is what `client` uses. */
		async fresh(driver: Driver): Promise<ServerEnv> {
			const db = await freshDatabase(driver);
			cookie = (await seedServerUsers(db, OWNER_ONLY)).owner.cookie;
			return db;
		},
		/** Uses the owner seeded elsewhere (a data folder seeded by the test). */
		signIn(sessionCookie: string): void {
			cookie = sessionCookie;
		},
		client(port: number): TestClient {
			const c = connectClient(port, 'spoorbuurt', { cookie });
			clients.push(c);
			return c;
		},
		async server(env: ServerEnv): Promise<ServerProcess> {
			const s = await startServer({ ...env, extra: { ...extra, ...env.extra } });
			servers.push(s);
			return s;
		}
	};
}
