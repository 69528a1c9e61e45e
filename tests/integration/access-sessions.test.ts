import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuurtbord, type Buurtbord } from '../../src/lib/server/app';
import { readConfig } from '../../src/lib/server/config';
import {
	hashToken,
	invalidateAllForUser,
	SESSION_COOKIE
} from '../../src/lib/server/auth/sessions';
import { CLOSE_SIGNED_OUT } from '../../src/lib/collab/close-codes';
import { seedUsers, TEST_PASSWORD, type SeededUser } from '../support/accounts';
import { connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { freshDatabase } from '../support/drivers';
import { startSeededServer, type SeededServer } from '../support/seeded-server';
import { openWatchedSocket, pinUpdateMessage } from '../support/sockets';
import { upgradeStatus } from '../support/upgrade';

/**
 * A socket lives no longer than its session (issue 8.2): signing out, a sign-in replacing the
 * browser's session, the session's expiry, its removal by another process, and ending all of a
 * user's sessions close that session's sockets within seconds with 4401 ("signed out"), and
 * nothing sent on them afterwards reaches the board. Sockets of the user's other sessions stay.
 */
type Who = 'owner' | 'editor';
const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' as const } },
	editor: { org: 'HAN', boards: { spoorbuurt: 'editor' as const } }
};

/** Signs in through the real form; returns the new session's Cookie header. */
async function signIn(base: string, user: SeededUser, cookie?: string): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			// As a form without JavaScript posts (a fetch would get JSON with status 200).
			accept: 'text/html',
			origin: base,
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
		redirect: 'manual'
	});
	expect(res.status).toBe(303);
	const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
	expect(set).toBeDefined();
	return set!.split(';')[0]!;
}

const tokenOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]!);

describe('a socket follows its session (real server, PostgreSQL)', () => {
	let seeded: SeededServer<Who>;
	let sql: postgres.Sql;
	const clients: TestClient[] = [];
	const base = () => seeded.server.url;
	const port = () => seeded.server.port;

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		seeded = await startSeededServer<Who>(target, CAST);
		sql = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await seeded?.server.stop('SIGKILL');
		await sql?.end();
	});

	it('closes the socket at sign-out with 4401, and what it sends afterwards reaches nobody', async () => {
		const cookie = await signIn(base(), seeded.users.owner);
		const other = await signIn(base(), seeded.users.owner);
		const socket = await openWatchedSocket(port(), 'spoorbuurt', { cookie });
		// The same person on another device: that session is not signed out.
		const otherDevice = await openWatchedSocket(port(), 'spoorbuurt', { cookie: other });
		const signedOutAt = Date.now();
		const res = await fetch(`${base()}/logout`, {
			method: 'POST',
			headers: { cookie, origin: base() },
			redirect: 'manual'
		});
		expect(res.status).toBe(303);
		// Sent at once, before the close frame arrives: the server drops it.
		if (socket.ws.readyState === socket.ws.OPEN) {
			socket.ws.send(pinUpdateMessage('after-signout', 'Na het afmelden'));
		}
		const { code, at } = await socket.closed;
		expect(code).toBe(CLOSE_SIGNED_OUT);
		expect(at - signedOutAt).toBeLessThan(3_000);
		expect(await upgradeStatus(port(), '/sync/spoorbuurt', cookie)).toBe(401);

		// A newcomer's copy of the board does not hold the pin.
		const editor = connectClient(port(), 'spoorbuurt', { cookie: seeded.users.editor.cookie });
		clients.push(editor);
		await whenSynced(editor);
		expect(titles(editor)).not.toContain('Na het afmelden');
		expect(otherDevice.code()).toBeNull();
		otherDevice.ws.close();
	});

	it('closes the socket of a session that a new sign-in in the same browser replaces', async () => {
		const cookie = await signIn(base(), seeded.users.editor);
		const socket = await openWatchedSocket(port(), 'spoorbuurt', { cookie });
		const replacedAt = Date.now();
		await signIn(base(), seeded.users.editor, cookie);
		const { code, at } = await socket.closed;
		expect(code).toBe(CLOSE_SIGNED_OUT);
		expect(at - replacedAt).toBeLessThan(3_000);
	});

	it('closes the socket when its session expires', async () => {
		const cookie = await signIn(base(), seeded.users.editor);
		await sql`update public.sessions set expires_at = now() + interval '2 seconds'
		          where id_hash = ${hashToken(tokenOf(cookie))}`;
		const socket = await openWatchedSocket(port(), 'spoorbuurt', { cookie });
		const openedAt = Date.now();
		const { code, at } = await socket.closed;
		expect(code).toBe(CLOSE_SIGNED_OUT);
		// At the expiry (≤ 2 s after opening), not at the periodic check (5 minutes).
		expect(at - openedAt).toBeLessThan(4_000);
		expect(await upgradeStatus(port(), '/sync/spoorbuurt', cookie)).toBe(401);
	});
});

describe('a session ended outside this process (periodic check)', () => {
	let seeded: SeededServer<Who>;
	let sql: postgres.Sql;

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		seeded = await startSeededServer<Who>(
			{ ...target, extra: { BUURTBORD_SESSION_RECHECK_MS: '1000' } },
			CAST
		);
		sql = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
	});
	afterAll(async () => {
		await seeded?.server.stop('SIGKILL');
		await sql?.end();
	});

	it('closes the socket within the check interval once the session row is gone', async () => {
		const { editor } = seeded.users;
		const socket = await openWatchedSocket(seeded.server.port, 'spoorbuurt', {
			cookie: editor.cookie
		});
		expect(socket.code()).toBeNull();
		// Another process (the CLI, a second server) deletes it.
		await sql`delete from public.sessions where id_hash = ${hashToken(editor.token)}`;
		const deletedAt = Date.now();
		const { code, at } = await socket.closed;
		expect(code).toBe(CLOSE_SIGNED_OUT);
		expect(at - deletedAt).toBeLessThan(3_000);
	});
});

describe('all of a user’s sessions end (password changed, account removed)', () => {
	let app: Buurtbord;
	let http: Server;
	let users: Record<Who, SeededUser>;
	let port: number;

	beforeAll(async () => {
		app = await startBuurtbord({
			...readConfig({}),
			dataDir: `memory://sessions-${randomUUID()}`,
			seedDemo: true
		});
		users = await seedUsers(app.db, CAST);
		http = createServer((_req, res) => res.writeHead(404).end());
		app.attach(http, { exclusive: true });
		await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
		port = (http.address() as { port: number }).port;
	});
	afterAll(async () => {
		http?.close();
		await app?.close();
	});

	it('closes every socket of that user, on every board document, and no one else’s', async () => {
		const board = await openWatchedSocket(port, 'spoorbuurt', { cookie: users.editor.cookie });
		const notes = await openWatchedSocket(port, 'spoorbuurt/org', { cookie: users.editor.cookie });
		const owner = await openWatchedSocket(port, 'spoorbuurt', { cookie: users.owner.cookie });
		await invalidateAllForUser(app.db, users.editor.id);
		expect((await board.closed).code).toBe(CLOSE_SIGNED_OUT);
		expect((await notes.closed).code).toBe(CLOSE_SIGNED_OUT);
		expect(owner.code()).toBeNull();
		owner.ws.close();
	});
});
