import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addPin, connectClient, titles, whenSynced, upgradeHeaders } from '../support/clients';
import { startSeededServer } from '../support/seeded-server';
import { askEverything, rawSyncSocket } from '../support/sync-load';
import { upgradeStatus } from '../support/upgrade';
import type { ServerProcess } from '../support/server-process';

describe('the sync endpoint refuses bad input', () => {
	let server: ServerProcess;
	let cookie: string;

	beforeAll(async () => {
		const seeded = await startSeededServer();
		server = seeded.server;
		cookie = seeded.users.owner.cookie;
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	it('accepts the demo board', async () => {
		expect(await upgradeStatus(server.port, '/sync/spoorbuurt', cookie)).toBe(101);
	});

	it('answers 404 for an unknown board and for upgrades elsewhere', async () => {
		expect(await upgradeStatus(server.port, '/sync/bestaat-niet', cookie)).toBe(404);
		expect(await upgradeStatus(server.port, '/elders', cookie)).toBe(404);
	});

	it.each([
		['../ in the id', '/sync/..%2Fspoorbuurt'],
		['a raw ../ path', '/sync/../spoorbuurt'],
		['a nested path', '/sync/spoorbuurt/../andere'],
		['a very long id', `/sync/${'a'.repeat(5000)}`],
		['a non-ASCII id', '/sync/spoorbuurt%C3%A9'],
		['a broken escape', '/sync/%E0%A4%A'],
		['upper case', '/sync/Spoorbuurt'],
		['an empty id', '/sync/']
	])('answers 400 for %s', async (_label, path) => {
		expect(await upgradeStatus(server.port, path, cookie)).toBe(400);
	});

	it('closes a connection that sends a malformed message, and the board goes on', async () => {
		const good = connectClient(server.port, 'spoorbuurt', { cookie });
		await whenSynced(good);
		addPin(good, 'before', 'voor de aanval');

		const closeCodes = await Promise.all(
			[
				Buffer.from([0xff, 0xff, 0xff]), // unreadable varint
				Buffer.from([0x07]), // unknown message type
				(() => {
					// A sync "update" whose payload is garbage.
					const e = encoding.createEncoder();
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint(e, 2);
					encoding.writeVarUint8Array(e, new Uint8Array([1, 200, 3, 4, 5, 6, 7]));
					return Buffer.from(encoding.toUint8Array(e));
				})(),
				'a text frame'
			].map(
				(payload) =>
					new Promise<number>((resolve, reject) => {
						const ws = new WebSocket(`ws://127.0.0.1:${server.port}/sync/spoorbuurt`, {
							headers: upgradeHeaders(server.port, { cookie })
						});
						ws.on('open', () => ws.send(payload));
						ws.on('close', (code) => resolve(code));
						ws.on('error', reject);
					})
			)
		);
		expect(closeCodes).toEqual([4400, 4400, 4400, 4400]);

		// The server is alive and the board unharmed: a new client sees the earlier pin and edits go on.
		const other = connectClient(server.port, 'spoorbuurt', { cookie });
		await whenSynced(other);
		await expect.poll(() => titles(other)).toEqual(['voor de aanval']);
		addPin(other, 'after', 'na de aanval');
		await expect.poll(() => titles(good)).toEqual(['na de aanval', 'voor de aanval']);
		good.destroy();
		other.destroy();
	});

	it('drops an unreadable presence state, and logs nothing of what it said', async () => {
		const SECRET = 'Jan de Vries woont op nummer 12';
		const update = encoding.createEncoder();
		encoding.writeVarUint(update, 1);
		encoding.writeVarUint(update, 42);
		encoding.writeVarUint(update, 1);
		encoding.writeVarString(update, `{"naam": ${SECRET}}`);
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
		const socket = rawSyncSocket(server.port, 'spoorbuurt', cookie);
		await socket.opened;
		socket.ws.send(encoding.toUint8Array(e));
		// Handled once the answer to a later "send me everything" arrives: the socket is still open.
		await new Promise<void>((resolve) => {
			socket.ws.on('message', (data: Buffer) => {
				if (data[0] === 0 && data[1] === 1) resolve();
			});
			socket.ws.send(askEverything());
		});
		expect(socket.ws.readyState).toBe(socket.ws.OPEN);
		socket.ws.close();
		expect(server.output()).not.toContain(SECRET);
	});
});
