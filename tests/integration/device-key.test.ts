import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { TEST_PASSWORD, type SeededUser } from '../support/accounts';
import { freshDatabase } from '../support/drivers';
import { startSeededServer, type SeededServer } from '../support/seeded-server';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * GET /device-key (issue 12, "dit is mijn eigen apparaat"): the key a browser seals its
 * organisation's confidential notes with on the device. One per user and session, only for a
 * valid session, never cached; the same in every server process on the database.
 */
type Who = 'fieldworker' | 'colleague';
const CAST = {
	fieldworker: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' as const } },
	colleague: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' as const } }
};

interface KeyAnswer {
	status: number;
	cacheControl: string | null;
	key?: string;
	keyId?: string;
}

async function askKey(
	base: string,
	cookie?: string,
	extra: Record<string, string> = {},
	path = '/device-key'
): Promise<KeyAnswer> {
	const res = await fetch(`${base}${path}`, {
		headers: { ...(cookie ? { cookie } : {}), accept: 'application/json', ...extra }
	});
	const body = (await res.json().catch(() => ({}))) as { key?: string; keyId?: string };
	return { status: res.status, cacheControl: res.headers.get('cache-control'), ...body };
}

/** Signs in through the real form; returns the new session's Cookie header. */
async function signIn(base: string, user: SeededUser): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: base
		},
		body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
		redirect: 'manual'
	});
	expect(res.status).toBe(303);
	const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
	return set!.split(';')[0]!;
}

describe('the own-device key (real servers, PostgreSQL)', () => {
	let seeded: SeededServer<Who>;
	let second: ServerProcess;
	const base = () => seeded.server.url;

	beforeAll(async () => {
		const target = await freshDatabase('postgres');
		seeded = await startSeededServer<Who>(target, CAST);
		second = await startServer({ databaseUrl: target.databaseUrl });
	}, 120_000);
	afterAll(async () => {
		await seeded?.server.stop('SIGKILL');
		await second?.stop('SIGKILL');
	});

	it('refuses a request without a valid session (401), and never lets it be cached', async () => {
		const none = await askKey(base());
		expect(none.status).toBe(401);
		expect(none.key).toBeUndefined();
		expect(none.cacheControl).toContain('no-store');
		const forged = await askKey(base(), `${SESSION_COOKIE}=not-a-session`);
		expect(forged.status).toBe(401);
		expect(forged.key).toBeUndefined();
	});

	it('gives a session its own 256-bit key: the same on every ask and in every process', async () => {
		const { cookie } = seeded.users.fieldworker;
		const first = await askKey(base(), cookie);
		expect(first.status).toBe(200);
		expect(first.cacheControl).toContain('no-store');
		expect(Buffer.from(first.key!, 'base64url')).toHaveLength(32);
		expect(first.keyId).toBeTruthy();
		expect(first.keyId).not.toBe(first.key);
		expect(await askKey(base(), cookie)).toMatchObject({ key: first.key, keyId: first.keyId });
		expect(await askKey(second.url, cookie)).toMatchObject({ key: first.key, keyId: first.keyId });
	});

	it("never gives one user's key to another user, or one session's key to another session", async () => {
		const mine = await askKey(base(), seeded.users.fieldworker.cookie);
		const colleague = await askKey(base(), seeded.users.colleague.cookie);
		expect(colleague.status).toBe(200);
		expect(colleague.key).not.toBe(mine.key);
		// Naming the other user changes nothing: the key follows the session that asks.
		const named = await askKey(
			base(),
			seeded.users.colleague.cookie,
			{},
			`/device-key?user=${seeded.users.fieldworker.id}`
		);
		expect(named.key).toBe(colleague.key);
		// The same user signed in on another device: another session, another key.
		const otherDevice = await askKey(base(), await signIn(base(), seeded.users.fieldworker));
		expect(otherDevice.status).toBe(200);
		expect(otherDevice.key).not.toBe(mine.key);
		expect(otherDevice.keyId).not.toBe(mine.keyId);
	});

	it('refuses the key once the session is signed out', async () => {
		const cookie = await signIn(base(), seeded.users.colleague);
		expect((await askKey(base(), cookie)).status).toBe(200);
		const out = await fetch(`${base()}/logout`, {
			method: 'POST',
			headers: { cookie, origin: base() },
			redirect: 'manual'
		});
		expect(out.status).toBe(303);
		const after = await askKey(base(), cookie);
		expect(after.status).toBe(401);
		expect(after.key).toBeUndefined();
		expect((await askKey(second.url, cookie)).status).toBe(401);
	});

	it('answers only the app itself: a request another site makes is refused (403)', async () => {
		const cross = await askKey(base(), seeded.users.fieldworker.cookie, {
			'sec-fetch-site': 'same-site'
		});
		expect(cross.status).toBe(403);
		expect(cross.key).toBeUndefined();
	});
});
