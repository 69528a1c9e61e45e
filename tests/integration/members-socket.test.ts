import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
	addPin,
	connectClient,
	titles,
	whenSynced,
	type TestClient,
	upgradeHeaders
} from '../support/clients';
import {
	MESSAGE_ACCESS_CHANGED,
	decodeAccessChanged,
	type SyncAccess
} from '../../src/lib/collab/access-changed';
import { memberAction } from '../support/members';
import { startSeededServer } from '../support/seeded-server';
import { startServer, type ServerProcess } from '../support/server-process';
import type { SeedUser } from '../support/accounts';

/**
 * Roles on an open socket, against the real server process: a viewer's edits go nowhere (not to
 * other clients, not to storage) while their presence does; removing a member closes their socket
 * at once (4403) and a reconnect is refused like an unknown board (404); a member demoted to viewer
 * is read-only from that moment on.
 */
const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
	editor: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } },
	viewer: { org: 'HAN', boards: { spoorbuurt: 'viewer' } }
} satisfies Record<string, SeedUser>;

describe('board roles on open sockets', { timeout: 60_000 }, () => {
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
	});

	async function seeded() {
		const started = await startSeededServer({}, CAST);
		servers.push(started.server);
		return started;
	}

	function client(port: number, cookie: string): TestClient {
		const c = connectClient(port, 'spoorbuurt', { cookie });
		clients.push(c);
		return c;
	}

	/** The owner changes a member through the members page's form action, as the browser does. */
	async function ownerAction(
		server: ServerProcess,
		ownerCookie: string,
		action: 'remove' | 'role',
		fields: Record<string, string>
	): Promise<number> {
		const { status, body } = await memberAction(server, ownerCookie, action, fields);
		expect(body.type, JSON.stringify(body)).toBe('success');
		return status;
	}

	/**
	 * Moves the presence cursor and waits until `observer` sees it: everything sent before it arrived
	 * too. (The name others see is the server's stamp, see presence.test.ts; `label` is for the reader.)
	 */
	let cursorLon = 5;
	async function presenceSeen(from: TestClient, observer: TestClient, label: string) {
		const lon = ++cursorLon;
		from.provider.awareness.setLocalStateField('cursor', { lon, lat: 51.8 });
		await expect
			.poll(
				() => {
					const state = observer.provider.awareness.getStates().get(from.doc.clientID) as
						{ cursor?: { lon?: number } } | undefined;
					return state?.cursor?.lon;
				},
				{ message: label }
			)
			.toBe(lon);
	}

	it('a viewer’s edit reaches neither an editor nor storage; the viewer’s presence does reach the editor', async () => {
		const { server, users, target } = await seeded();
		const editor = client(server.port, users.editor.cookie);
		const viewer = client(server.port, users.viewer.cookie);
		await Promise.all([whenSynced(editor), whenSynced(viewer)]);

		addPin(viewer, 'from-viewer', 'Van de lezer');
		// Sent on the same socket after the pin: once the editor sees it, the server has handled the pin.
		await presenceSeen(viewer, editor, 'Vera (lezer)');
		addPin(editor, 'from-editor', 'Van de bewerker');
		await expect.poll(() => titles(viewer)).toContain('Van de bewerker');
		expect(titles(editor)).not.toContain('Van de lezer');

		// After a graceful restart, the stored document has the editor's pin and not the viewer's.
		for (const c of clients.splice(0)) c.destroy();
		await servers.pop()!.stop('SIGTERM');
		const restarted = await startServer(target);
		servers.push(restarted);
		const later = client(restarted.port, users.owner.cookie);
		await whenSynced(later);
		expect(titles(later)).toContain('Van de bewerker');
		expect(titles(later)).not.toContain('Van de lezer');
	});

	it('removing an editor closes their open socket with 4403 at once, and a reconnect is refused with 404', async () => {
		const { server, users } = await seeded();
		const editor = client(server.port, users.editor.cookie);
		await whenSynced(editor);
		const closes: number[] = [];
		editor.provider.on('connection-close', (event: CloseEvent | null) => {
			if (event) closes.push(event.code);
		});

		await ownerAction(server, users.owner.cookie, 'remove', { userId: users.editor.id });
		const removedAt = Date.now();
		await expect.poll(() => closes, { timeout: 1000, interval: 20 }).toContain(4403);
		expect(Date.now() - removedAt).toBeLessThan(1000);

		// The same credentials get the answer an unknown board gets.
		const status = await new Promise<number>((resolve, reject) => {
			const ws = new WebSocket(`ws://127.0.0.1:${server.port}/sync/spoorbuurt`, {
				headers: upgradeHeaders(server.port, { cookie: users.editor.cookie })
			});
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.on('open', () => {
				ws.close();
				reject(new Error('a removed member could connect again'));
			});
			ws.on('error', () => {});
		});
		expect(status).toBe(404);
	});

	/**
	 * A client as the board page connects, saying which access its page was made for; `told` is
	 * what the server says it may do, each time it says so (access-changed.ts).
	 */
	function pageClient(port: number, cookie: string, page: SyncAccess) {
		const c = connectClient(port, 'spoorbuurt', { cookie, params: { access: page } });
		clients.push(c);
		const told: SyncAccess[] = [];
		c.provider.messageHandlers[MESSAGE_ACCESS_CHANGED] = (_encoder, decoder) => {
			const access = decodeAccessChanged(decoder);
			if (access) told.push(access);
		};
		return { client: c, told };
	}

	it('a member demoted to viewer cannot change the board any more', async () => {
		const { server, users } = await seeded();
		const owner = client(server.port, users.owner.cookie);
		const { client: editor, told } = pageClient(server.port, users.editor.cookie, 'write');
		await Promise.all([whenSynced(owner), whenSynced(editor)]);
		// The page was made for an editor, and the connection is one: nothing to say.
		expect(told).toEqual([]);

		addPin(editor, 'before', 'Voor de wijziging');
		await expect.poll(() => titles(owner)).toContain('Voor de wijziging');

		await ownerAction(server, users.owner.cookie, 'role', {
			userId: users.editor.id,
			role: 'viewer'
		});
		addPin(editor, 'after', 'Na de wijziging');
		await presenceSeen(editor, owner, 'Erik (nu lezer)');
		expect(titles(owner)).not.toContain('Na de wijziging');
		// Still connected: the socket stays open for reading.
		addPin(owner, 'owner-pin', 'Van de eigenaar');
		await expect.poll(() => titles(editor)).toContain('Van de eigenaar');
		// The page is told that it may only read now (its controls were made for an editor).
		expect(told).toEqual(['read']);

		// Made editor again: told so; after the reload the page offers, changes count again.
		await ownerAction(server, users.owner.cookie, 'role', {
			userId: users.editor.id,
			role: 'editor'
		});
		await expect.poll(() => told).toEqual(['read', 'write']);
		const reloaded = client(server.port, users.editor.cookie);
		await whenSynced(reloaded);
		addPin(reloaded, 'editor-again', 'Weer editor');
		await expect.poll(() => titles(owner)).toContain('Weer editor');
	});

	it('a page made for another role than the socket has is told so at once', async () => {
		const { server, users } = await seeded();
		// Made as an editor's page, but the role is viewer by the time the socket connects.
		const stale = pageClient(server.port, users.viewer.cookie, 'write');
		const current = pageClient(server.port, users.viewer.cookie, 'read');
		await Promise.all([whenSynced(stale.client), whenSynced(current.client)]);
		await expect.poll(() => stale.told).toEqual(['read']);
		// A page made for its role hears nothing.
		const quiet = pageClient(server.port, users.viewer.cookie, 'read');
		await whenSynced(quiet.client);
		await presenceSeen(quiet.client, stale.client, 'een lezer');
		expect(current.told).toEqual([]);
		expect(quiet.told).toEqual([]);
	});
});
