import { setBoardRole, type BoardRole } from '../../src/lib/server/access';
import { createAccount } from '../../src/lib/server/auth/accounts';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { openDb, type Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { fillFromTemplate } from './server-process';

/** The password of every seeded account. */
export const TEST_PASSWORD = 'correct horse battery staple';
/** Its hash, made once per test process (at full cost, ~0.1 s) for every account seeded in it. */
let testPasswordHash: Promise<string> | undefined;

export interface SeedUser {
	/** Organisation name; accounts naming the same organisation share it. */
	org: string;
	email?: string;
	displayName?: string;
	/** Memberships: board id → role. */
	boards?: Record<string, BoardRole>;
}

export interface SeededUser {
	id: string;
	email: string;
	password: string;
	organisationId: string;
	/** A signed-in session, as the browser holds it after login. */
	token: string;
	/** `Cookie` header value carrying that session. */
	cookie: string;
}

/**
 * Creates accounts (through the same code as sign-up), memberships and a session for each, in a
 * migrated database. Keys name the users in the test ("owner", "viewer", "otherOrg", …).
 */
export async function seedUsers<K extends string>(
	db: Db,
	users: Record<K, SeedUser>
): Promise<Record<K, SeededUser>> {
	const out = {} as Record<K, SeededUser>;
	const suffix = Math.random().toString(36).slice(2, 8);
	for (const [key, spec] of Object.entries(users) as [K, SeedUser][]) {
		const email = spec.email ?? `${key.toLowerCase()}-${suffix}@example.test`;
		const created = await createAccount(
			db,
			{
				email,
				password: TEST_PASSWORD,
				displayName: spec.displayName ?? key,
				organisationName: spec.org
			},
			(testPasswordHash ??= hashPassword(TEST_PASSWORD))
		);
		if (!created.ok) throw new Error(`seeding ${key} failed: ${JSON.stringify(created)}`);
		for (const [boardId, role] of Object.entries(spec.boards ?? {}) as [string, BoardRole][]) {
			await setBoardRole(db, boardId, created.user.id, role);
		}
		const { token } = await createSession(db, created.user.id);
		out[key] = {
			id: created.user.id,
			email,
			password: TEST_PASSWORD,
			organisationId: created.user.organisationId!,
			token,
			cookie: `${SESSION_COOKIE}=${token}`
		};
	}
	return out;
}

/**
 * Seeds accounts into a server's database before the server starts (PGlite allows one process per
 * data folder): migrates, creates the demo board, then the users. Use the same dataDir/databaseUrl
 * for startServer afterwards.
 */
export async function seedServerUsers<K extends string>(
	target: { dataDir?: string; databaseUrl?: string },
	users: Record<K, SeedUser>
): Promise<Record<K, SeededUser>> {
	if (!target.databaseUrl && target.dataDir) fillFromTemplate(target.dataDir);
	const db = await openDb({ databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' });
	try {
		await ensureDemoBoard(db);
		return await seedUsers(db, users);
	} finally {
		await db.close();
	}
}
