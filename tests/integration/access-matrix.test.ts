import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGesprek } from '../../src/lib/board/gesprekken';
import { openDb } from '../../src/lib/server/db';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { captureSocket, containsText } from '../support/raw-socket';
import { startServer, tempDataDir, type ServerProcess } from '../support/server-process';

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

type Expect = number | readonly number[];
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
		addGesprek(writer.doc, {
			addressId: 'spoorbuurt-1',
			date: '2026-11-01',
			heldBy: SECRET_HELD_BY,
			outcome: 'gesproken',
			notes: SECRET_NOTE
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
		await server?.stop('SIGTERM');
	});

	const http =
		(method: string, path: string, body?: string, type = 'application/x-www-form-urlencoded') =>
		async (cookie: string | undefined) => {
			const res = await fetch(`${server.url}${path}`, {
				method,
				redirect: 'manual',
				headers: {
					origin: server.url,
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
			name: 'socket /sync/bestaat-niet',
			run: socket('bestaat-niet'),
			expect: { anonymous: 401, viewer: 404, editor: 404, owner: 404, otherOrg: 404, ...NOT_MEMBER }
		}
	];

	const MEMBERS_READ: readonly Actor[] = ['viewer', 'editor', 'owner', 'otherOrg'];
	for (const c of cases) {
		it.each(ACTORS)(`${c.name} as %s`, async (actor) => {
			const { status, body } = await c.run(cookieOf(actor));
			const expected = c.expect[actor];
			if (typeof expected === 'number') expect(status).toBe(expected);
			else expect(expected).toContain(status);
			// A refusal, or anything shown to a non-member, carries none of the board's secrets.
			if (status >= 300 || !MEMBERS_READ.includes(actor)) {
				expect(containsText(body, SECRET_NOTE)).toBe(false);
				expect(containsText(body, SECRET_HELD_BY)).toBe(false);
				expect(body).not.toContain('Spoorstraat');
			}
		});
	}

	it('delivers the secrets to members on the socket (so the checks above can fail)', async () => {
		const { status, body } = await socket('spoorbuurt')(users.viewer.cookie);
		expect(status).toBe(101);
		expect(containsText(body, SECRET_NOTE)).toBe(true);
	});

	it('never writes a secret to the server log', () => {
		const log = server.output();
		expect(log).toContain('listening on');
		expect(log).not.toContain('Geheim-');
	});
});
