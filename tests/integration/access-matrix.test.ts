import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { addGesprek } from '../../src/lib/board/gesprekken';
import { addConfidentialGesprek } from '../../src/lib/board/org-notes';
import { openDb } from '../../src/lib/server/db';
import { CLOSE_SIGNED_OUT } from '../../src/lib/collab/close-codes';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { seedServerUsers, TEST_PASSWORD, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { captureSocket, containsText } from '../support/raw-socket';
import { startServer, tempDataDir, type ServerProcess } from '../support/server-process';
import { openWatchedSocket } from '../support/sockets';

/**
 * The access matrix: every kind of visitor against every route, form action, endpoint and the
 * socket, with secret strings seeded into the board. What a visitor may not open answers with a
 * refusal that carries none of the secrets, and no secret is ever written to the server's log.
 */
const ACTORS = [
	'anonymous',
	'viewer',
	'editor',
	'owner',
	'otherOrg',
	'removed',
	'outsider'
] as const;
type Actor = (typeof ACTORS)[number];

/** Secrets of a household: in the shared document, readable by every member of the board. */
const SECRET_NOTE = 'Geheim-7f3a: mevrouw is bang voor de buurman';
const SECRET_HELD_BY = 'Geheim-9c1d Hulpverlener';
/** A confidential note of Woonwaarts: only its own members (owner, editor) may ever receive it. */
const SECRET_CONFIDENTIAL = 'Vertrouwelijk-41b2: schulden bij de corporatie';

/** A status, one of several, or 'skip' for a request this actor must not make here. */
type Expect = number | readonly number[] | 'skip';
interface Case {
	name: string;
	/** Performs the request as this actor (undefined cookie = anonymous); returns status and body. */
	run(cookie: string | undefined): Promise<{ status: number; body: string }>;
	expect: Record<Actor, Expect>;
}

describe('the access matrix', () => {
	let server: ServerProcess;
	let users: Record<Exclude<Actor, 'anonymous'>, SeededUser>;
	let writer: TestClient;
	let orgWriter: TestClient;
	let seededGesprekId = '';
	const cookieOf = (actor: Actor) => (actor === 'anonymous' ? undefined : users[actor].cookie);

	beforeAll(async () => {
		const dataDir = tempDataDir();
		users = await seedServerUsers(
			{ dataDir },
			{
				owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
				editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
				viewer: { org: 'HAN', boards: { spoorbuurt: 'viewer' } },
				otherOrg: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } },
				removed: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
				outsider: { org: 'Elders' }
			}
		);
		// Removed after being a member: their session is still valid, their membership is gone.
		const db = await openDb({ dataDir });
		await db.query('delete from public.board_members where user_id = $1', [users.removed.id]);
		await db.close();

		server = await startServer({ dataDir });
		writer = connectClient(server.port, 'spoorbuurt', { cookie: users.editor.cookie });
		await whenSynced(writer);
		seededGesprekId = addGesprek(writer.doc, {
			addressId: 'spoorbuurt-1',
			date: '2026-11-01',
			heldBy: SECRET_HELD_BY,
			outcome: 'gesproken',
			notes: SECRET_NOTE
		}).id;
		orgWriter = connectClient(server.port, 'spoorbuurt/org', { cookie: users.editor.cookie });
		await whenSynced(orgWriter);
		addConfidentialGesprek(writer.doc, orgWriter.doc, users.editor.organisationId, {
			addressId: 'spoorbuurt-2',
			date: '2026-11-02',
			heldBy: 'Woonwaarts',
			outcome: 'gesproken',
			notes: SECRET_CONFIDENTIAL
		});
		// The gesprek reached the server: a second member sees it.
		const reader = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
		await whenSynced(reader);
		const deadline = Date.now() + 10_000;
		while (!JSON.stringify(reader.doc.getMap('gesprekken').toJSON()).includes('Geheim-7f3a')) {
			if (Date.now() > deadline) throw new Error('the seeded gesprek never reached the server');
			await new Promise((r) => setTimeout(r, 50));
		}
		reader.destroy();
	});

	afterAll(async () => {
		writer?.destroy();
		orgWriter?.destroy();
		await server?.stop('SIGTERM');
	});

	const http =
		(
			method: string,
			path: string,
			lazyBody?: string | (() => string),
			type = 'application/x-www-form-urlencoded'
		) =>
		async (cookie: string | undefined) => {
			const body = typeof lazyBody === 'function' ? lazyBody() : lazyBody;
			const res = await fetch(`${server.url}${path}`, {
				method,
				redirect: 'manual',
				headers: {
					origin: server.url,
					// As a browser navigates or posts a form without JavaScript (a page and an endpoint
					// can share a path; form actions answer fetches with JSON).
					...(type === 'application/json' ? {} : { accept: 'text/html' }),
					...(body !== undefined ? { 'content-type': type } : {}),
					...(cookie ? { cookie } : {})
				},
				body
			});
			return { status: res.status, body: await res.text() };
		};
	const socket = (room: string) => async (cookie: string | undefined) => {
		const capture = await captureSocket(server.port, room, cookie ? { cookie } : {});
		return { status: capture.status, body: capture.bytes.toString('latin1') };
	};

	/** The socket opened with extra headers: another page's Origin, or none (`origin: ''`). */
	const socketWith =
		(room: string, headers: () => Record<string, string>) => async (cookie: string | undefined) => {
			const capture = await captureSocket(server.port, room, {
				...headers(),
				...(cookie ? { cookie } : {})
			});
			return { status: capture.status, body: capture.bytes.toString('latin1') };
		};
	/** A page on the same host, another port: same site (the Lax cookie goes along), another origin. */
	const foreignOrigin = () => ({ origin: `http://127.0.0.1:${server.port + 1}` });
	/** A new session of the user, through the sign-in form; its Cookie header. */
	const newSession = async (user: SeededUser) => {
		const res = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				// As a form without JavaScript posts (a fetch would get JSON with status 200).
				accept: 'text/html',
				origin: server.url
			},
			body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString()
		});
		const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
		if (!set) throw new Error(`signing in ${user.email} failed: ${res.status}`);
		return set.split(';')[0]!;
	};
	const signOut = async (cookie: string) => {
		const res = await fetch(`${server.url}/logout`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: server.url }
		});
		await res.body?.cancel();
	};
	/** The socket with the cookie of a session this actor signed out of (anonymous: no cookie). */
	const signedOutSocket = (room: string) => async (cookie: string | undefined) => {
		const user = Object.values(users).find((u) => u.cookie === cookie);
		let used = cookie;
		if (user) {
			used = await newSession(user);
			await signOut(used);
		}
		return socket(room)(used);
	};
	const EVERYONE = (status: number) =>
		Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<Actor, Expect>;

	// 303: to the sign-in page. 404: not a member (the same as a board that does not exist).
	const NOT_MEMBER = { removed: 404, outsider: 404 } as const;
	const cases: Case[] = [
		{
			name: 'GET / (board list)',
			run: http('GET', '/'),
			expect: {
				anonymous: [200, 303],
				viewer: 200,
				editor: 200,
				owner: 200,
				otherOrg: 200,
				removed: 200,
				outsider: 200
			}
		},
		{
			name: 'GET /boards/spoorbuurt',
			run: http('GET', '/boards/spoorbuurt'),
			expect: { anonymous: 303, viewer: 200, editor: 200, owner: 200, otherOrg: 200, ...NOT_MEMBER }
		},
		{
			name: 'GET /boards/bestaat-niet',
			run: http('GET', '/boards/bestaat-niet'),
			expect: { anonymous: 303, viewer: 404, editor: 404, owner: 404, otherOrg: 404, ...NOT_MEMBER }
		},
		{
			name: 'GET /boards/spoorbuurt/adressen (import page)',
			run: http('GET', '/boards/spoorbuurt/adressen'),
			expect: { anonymous: 303, viewer: 403, editor: 200, owner: 200, otherOrg: 200, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/adressen/import (empty)',
			run: http('POST', '/boards/spoorbuurt/adressen/import', '{"rows":[]}', 'application/json'),
			expect: {
				anonymous: 401,
				viewer: 403,
				editor: [400, 422],
				owner: [400, 422],
				otherOrg: [400, 422],
				...NOT_MEMBER
			}
		},
		{
			name: 'socket /sync/spoorbuurt',
			run: socket('spoorbuurt'),
			expect: { anonymous: 401, viewer: 101, editor: 101, owner: 101, otherOrg: 101, ...NOT_MEMBER }
		},
		{
			name: 'GET /boards/spoorbuurt/leden (members)',
			run: http('GET', '/boards/spoorbuurt/leden'),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 200, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/leden?/link (invite by link)',
			run: http(
				'POST',
				'/boards/spoorbuurt/leden?/link',
				'role=viewer&organisation=new&organisationName=Gast'
			),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 200, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/leden?/remove (the editor)',
			run: async (cookie) =>
				http('POST', '/boards/spoorbuurt/leden?/remove', `userId=${users.editor.id}`)(cookie),
			// Not as the owner, who may: a check at the end proves nobody else removed the editor.
			expect: {
				anonymous: 303,
				viewer: 403,
				editor: 403,
				owner: 'skip',
				otherOrg: 403,
				...NOT_MEMBER
			}
		},
		{
			name: 'GET /boards/spoorbuurt/audit',
			run: http('GET', '/boards/spoorbuurt/audit'),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 200, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/audit (opened a gesprek)',
			run: http(
				'POST',
				'/boards/spoorbuurt/audit',
				() => JSON.stringify({ gesprekId: seededGesprekId }),
				'application/json'
			),
			expect: { anonymous: 401, viewer: 200, editor: 200, owner: 200, otherOrg: 200, ...NOT_MEMBER }
		},
		{
			// Only gesprekken the board has are recorded (the audit log is append-only).
			name: 'POST /boards/spoorbuurt/audit (a gesprek that does not exist)',
			run: http(
				'POST',
				'/boards/spoorbuurt/audit',
				'{"gesprekId":"g-unknown"}',
				'application/json'
			),
			expect: { ...EVERYONE(404), anonymous: 401 }
		},
		{
			name: 'GET /boards/spoorbuurt/instellingen (retention)',
			run: http('GET', '/boards/spoorbuurt/instellingen'),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 200, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/instellingen?/retention (a bad period)',
			run: http(
				'POST',
				'/boards/spoorbuurt/instellingen?/retention',
				'endsOn=gisteren&retentionDays=-3'
			),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 400, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			// Approving a text for the public pages is the owners' (reviews.ts).
			name: 'POST /boards/spoorbuurt/instellingen?/approveInitiative (no such initiatief)',
			run: http(
				'POST',
				'/boards/spoorbuurt/instellingen?/approveInitiative',
				'id=bestaat-niet&hash=x'
			),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 404, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/instellingen?/withdrawInitiative (no such approval)',
			run: http('POST', '/boards/spoorbuurt/instellingen?/withdrawInitiative', 'id=bestaat-niet'),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 404, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			// So is approving an added or renamed theme's name (theme-reviews.ts).
			name: 'POST /boards/spoorbuurt/instellingen?/approveTheme (no such theme)',
			run: http('POST', '/boards/spoorbuurt/instellingen?/approveTheme', 'id=bestaat-niet&name=x'),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 404, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/instellingen?/withdrawTheme (no such approval)',
			run: http('POST', '/boards/spoorbuurt/instellingen?/withdrawTheme', 'id=bestaat-niet'),
			expect: { anonymous: 303, viewer: 403, editor: 403, owner: 404, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'POST /boards/spoorbuurt/wissen (an address not in the register)',
			run: http(
				'POST',
				'/boards/spoorbuurt/wissen',
				'{"addressId":"bestaat-niet"}',
				'application/json'
			),
			expect: { anonymous: 401, viewer: 403, editor: 403, owner: 400, otherOrg: 403, ...NOT_MEMBER }
		},
		{
			name: 'GET /setup (accounts exist)',
			run: http('GET', '/setup'),
			expect: {
				anonymous: 404,
				viewer: 404,
				editor: 404,
				owner: 404,
				otherOrg: 404,
				removed: 404,
				outsider: 404
			}
		},
		{
			name: 'GET /uitnodiging/<forged token>',
			run: http('GET', '/uitnodiging/forged-token-forged-token-forged-token'),
			expect: {
				anonymous: [200, 404, 410],
				viewer: [200, 404, 410],
				editor: [200, 404, 410],
				owner: [200, 404, 410],
				otherOrg: [200, 404, 410],
				removed: [200, 404, 410],
				outsider: [200, 404, 410]
			}
		},
		{
			name: 'socket /sync/spoorbuurt/org (confidential notes)',
			run: socket('spoorbuurt/org'),
			expect: { anonymous: 401, viewer: 101, editor: 101, owner: 101, otherOrg: 101, ...NOT_MEMBER }
		},
		{
			name: 'socket /sync/bestaat-niet',
			run: socket('bestaat-niet'),
			expect: { anonymous: 401, viewer: 404, editor: 404, owner: 404, otherOrg: 404, ...NOT_MEMBER }
		},
		// A page of another origin on the same host (another port) in the member's browser: the
		// cookie is sent, the server refuses before looking at it (issue 8.3).
		{
			name: 'socket /sync/spoorbuurt from another origin',
			run: socketWith('spoorbuurt', foreignOrigin),
			expect: EVERYONE(403)
		},
		{
			name: 'socket /sync/spoorbuurt/org from another origin',
			run: socketWith('spoorbuurt/org', foreignOrigin),
			expect: EVERYONE(403)
		},
		{
			// A browser always sends Origin: a cookie without one is refused; no cookie is 401 as ever.
			name: 'socket /sync/spoorbuurt without Origin',
			run: socketWith('spoorbuurt', () => ({ origin: '' })),
			expect: { ...EVERYONE(403), anonymous: 401 }
		},
		// The session was signed out (issue 8.2): its cookie opens nothing.
		{
			name: 'socket /sync/spoorbuurt with a signed-out session',
			run: signedOutSocket('spoorbuurt'),
			expect: EVERYONE(401)
		},
		{
			name: 'socket /sync/spoorbuurt/org with a signed-out session',
			run: signedOutSocket('spoorbuurt/org'),
			expect: EVERYONE(401)
		}
	];

	const MEMBERS_READ: readonly Actor[] = ['viewer', 'editor', 'owner', 'otherOrg'];
	for (const c of cases) {
		it.each(ACTORS)(`${c.name} as %s`, async (actor) => {
			const expected = c.expect[actor];
			if (expected === 'skip') return;
			const { status, body } = await c.run(cookieOf(actor));
			if (typeof expected === 'number') expect(status).toBe(expected);
			else expect(expected).toContain(status);
			// A refusal, or anything shown to a non-member, carries none of the board's secrets.
			if (status >= 300 || !MEMBERS_READ.includes(actor)) {
				expect(containsText(body, SECRET_NOTE)).toBe(false);
				expect(containsText(body, SECRET_HELD_BY)).toBe(false);
				expect(body).not.toContain('Spoorstraat');
			}
			// Woonwaarts' confidential note reaches Woonwaarts' own members and nobody else.
			if (!(actor === 'owner' || actor === 'editor') || c.name.startsWith('GET')) {
				expect(containsText(body, SECRET_CONFIDENTIAL)).toBe(false);
			}
		});
	}

	it('delivers the secrets to members on the socket (so the checks above can fail)', async () => {
		const { status, body } = await socket('spoorbuurt')(users.viewer.cookie);
		expect(status).toBe(101);
		expect(containsText(body, SECRET_NOTE)).toBe(true);
	});

	it('delivers the confidential note to its own organisation only (so the check can fail)', async () => {
		const own = await socket('spoorbuurt/org')(users.owner.cookie);
		expect(containsText(own.body, SECRET_CONFIDENTIAL)).toBe(true);
		const shared = await socket('spoorbuurt')(users.owner.cookie);
		expect(containsText(shared.body, SECRET_CONFIDENTIAL)).toBe(false);
	});

	it('closes an open socket when its session signs out (4401)', async () => {
		const cookie = await newSession(users.viewer);
		const open = await openWatchedSocket(server.port, 'spoorbuurt', { cookie });
		await signOut(cookie);
		expect((await open.closed).code).toBe(CLOSE_SIGNED_OUT);
	});

	it('left the editor a member: no refused request changed anything', async () => {
		expect((await socket('spoorbuurt')(users.editor.cookie)).status).toBe(101);
	});

	it('audits a change to confidential notes as a change of that gesprek', async () => {
		const changesBy = async (name: string) => {
			const page = (await http('GET', '/boards/spoorbuurt/audit')(users.owner.cookie)).body;
			return [...page.matchAll(/data-action="gesprek\.change"[\s\S]*?<\/tr>/g)].filter((m) =>
				m[0].includes(name)
			).length;
		};
		expect(await changesBy('owner')).toBe(0);
		// The owner (Woonwaarts) edits only the organisation's notes of the confidential gesprek.
		const orgReader = connectClient(server.port, 'spoorbuurt/org', { cookie: users.owner.cookie });
		await whenSynced(orgReader);
		const notes = orgReader.doc.getMap<Y.Text>('notes');
		const [gesprekId, text] = [...notes.entries()][0]!;
		expect(gesprekId).toBeTruthy();
		text.insert(0, 'Nagebeld. ');
		await expect.poll(() => changesBy('owner')).toBe(1);
		orgReader.destroy();
	});

	it('never writes a secret to the server log', () => {
		const log = server.output();
		expect(log).toContain('listening on');
		expect(log).not.toContain('Geheim-');
		expect(log).not.toContain('Vertrouwelijk-');
	});
});
