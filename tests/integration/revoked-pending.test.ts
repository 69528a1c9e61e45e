import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { SeedUser } from '../support/accounts';
import {
	addPin,
	connectClient,
	titles,
	upgradeHeaders,
	whenSynced,
	type TestClient
} from '../support/clients';
import { memberAction } from '../support/members';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';

/**
 * An update that waits on the server for parts it has not seen yet (here: a deletion of a
 * colleague's next edits, which Yjs keeps until they arrive) belongs to the access its sender had.
 * Demoted, removed or signed out, the sender's waiting update is dropped: the colleague's later
 * edits stay. Before, it was applied when they arrived, in the name of a member who no longer
 * could write, and even after the socket was closed when the client did not answer the close.
 */
const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
	editor: { org: 'Bindkracht10', boards: { spoorbuurt: 'editor' } }
} satisfies Record<string, SeedUser>;

/** A sync update holding only a deletion of `len` structs of `client` from `clock` on. */
function futureDeletion(client: number, clock: number, len: number): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, 0); // no structs
	encoding.writeVarUint(update, 1); // one client in the delete set
	encoding.writeVarUint(update, client);
	encoding.writeVarUint(update, 1); // one range
	encoding.writeVarUint(update, clock);
	encoding.writeVarUint(update, len);
	const message = encoding.createEncoder();
	encoding.writeVarUint(message, 0); // sync
	syncProtocol.writeUpdate(message, encoding.toUint8Array(update));
	return encoding.toUint8Array(message);
}

/** Opens a bare socket, sends `message` after the handshake, and resolves once the server read it. */
async function sendRaw(port: number, cookie: string, message: Uint8Array): Promise<WebSocket> {
	const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/spoorbuurt`, {
		headers: upgradeHeaders(port, { cookie })
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	const step1 = encoding.createEncoder();
	encoding.writeVarUint(step1, 0);
	syncProtocol.writeSyncStep1(step1, new Y.Doc());
	ws.send(encoding.toUint8Array(step1));
	ws.send(message);
	// Messages are handled in order: the answer to a second request comes after the update.
	const answered = new Promise<void>((resolve) => {
		let answers = 0;
		ws.on('message', (data: Buffer) => {
			if (data[0] === 0 && data[1] === 1 && ++answers === 2) resolve();
		});
	});
	ws.send(encoding.toUint8Array(step1));
	await answered;
	return ws;
}

describe('a waiting update after its sender lost access', { timeout: 60_000 }, () => {
	const servers: ServerProcess[] = [];
	const clients: TestClient[] = [];
	const sockets: WebSocket[] = [];

	afterEach(async () => {
		for (const ws of sockets.splice(0)) ws.terminate();
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.stop('SIGKILL');
	});

	async function owner(
		action: 'remove' | 'role',
		server: ServerProcess,
		cookie: string,
		fields: Record<string, string>
	) {
		expect((await memberAction(server, cookie, action, fields)).body.type).toBe('success');
	}

	for (const how of ['demoted', 'removed', 'signed out'] as const) {
		it(`is dropped when its sender is ${how}`, async () => {
			const { server, users } = await startSeededServer({}, CAST);
			servers.push(server);
			const colleague = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
			clients.push(colleague);
			await whenSynced(colleague);
			addPin(colleague, 'first', 'Eerste');
			await expect.poll(() => titles(colleague)).toContain('Eerste');

			// The editor's socket sends a deletion of the colleague's next million structs.
			const id = colleague.doc.clientID;
			const clock = Y.getState(colleague.doc.store, id);
			const attacker = await sendRaw(
				server.port,
				users.editor.cookie,
				futureDeletion(id, clock, 1_000_000)
			);
			sockets.push(attacker);
			// A client that does not answer the server's close.
			(attacker as unknown as { _socket: { pause(): void } })._socket.pause();

			if (how === 'demoted') {
				await owner('role', server, users.owner.cookie, {
					userId: users.editor.id,
					role: 'viewer'
				});
			} else if (how === 'removed') {
				await owner('remove', server, users.owner.cookie, { userId: users.editor.id });
			} else {
				const res = await fetch(`${server.url}/logout`, {
					method: 'POST',
					headers: { cookie: users.editor.cookie, origin: server.url }
				});
				expect(res.status).toBeLessThan(400);
			}

			// The colleague goes on; a newcomer sees their edits, and so does storage.
			addPin(colleague, 'after', 'Daarna');
			addPin(colleague, 'later', 'Nog later');
			const newcomer = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
			clients.push(newcomer);
			await whenSynced(newcomer);
			await expect.poll(() => titles(newcomer)).toEqual(['Daarna', 'Eerste', 'Nog later']);
			expect(titles(colleague)).toEqual(['Daarna', 'Eerste', 'Nog later']);
		});
	}

	it('a deletion of an open tab’s next edits is not kept, even from an editor', async () => {
		const { server, users } = await startSeededServer({}, CAST);
		servers.push(server);
		const colleague = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
		clients.push(colleague);
		await whenSynced(colleague);
		// The colleague's tab is present (its awareness id is its document's client id).
		colleague.provider.awareness.setLocalStateField('cursor', { lon: 5.87, lat: 51.83 });
		const watcher = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
		clients.push(watcher);
		await whenSynced(watcher);
		await expect
			.poll(() => watcher.provider.awareness.getStates().has(colleague.doc.clientID))
			.toBe(true);
		addPin(colleague, 'first', 'Eerste');
		await expect.poll(() => titles(watcher)).toContain('Eerste');

		const id = colleague.doc.clientID;
		const clock = Y.getState(colleague.doc.store, id);
		sockets.push(
			await sendRaw(server.port, users.editor.cookie, futureDeletion(id, clock, 1_000_000))
		);
		addPin(colleague, 'after', 'Daarna');
		await expect.poll(() => titles(watcher)).toEqual(['Daarna', 'Eerste']);
		const newcomer = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
		clients.push(newcomer);
		await whenSynced(newcomer);
		await expect.poll(() => titles(newcomer)).toEqual(['Daarna', 'Eerste']);
	});
});
