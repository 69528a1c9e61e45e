import type { BoardRole } from '../../src/lib/server/access';
import { seedServerUsers, type SeededUser, type SeedUser } from './accounts';
import { startServer, tempDataDir, type ServerEnv, type ServerProcess } from './server-process';

/** The default cast: one owner of the demo board, enough for tests about sync itself. */
export const OWNER_ONLY = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' as BoardRole } }
} satisfies Record<string, SeedUser>;

export interface SeededServer<K extends string> {
	server: ServerProcess;
	users: Record<K, SeededUser>;
	/** Where the database is, for a restart on the same data (pass to startServer). */
	target: { dataDir?: string; databaseUrl?: string };
}

/**
 * Seeds accounts into a fresh (or the given) database, then starts the real server on it. Sessions
 * are stored in the database, so a restart on the same target keeps everyone signed in.
 */
export async function startSeededServer<K extends string = keyof typeof OWNER_ONLY>(
	env: ServerEnv = {},
	users: Record<K, SeedUser> = OWNER_ONLY as Record<K, SeedUser>
): Promise<SeededServer<K>> {
	const target = env.databaseUrl
		? { databaseUrl: env.databaseUrl }
		: { dataDir: env.dataDir ?? tempDataDir() };
	const seeded = await seedServerUsers(target, users);
	const server = await startServer({ ...env, ...target });
	return { server, users: seeded, target };
}
