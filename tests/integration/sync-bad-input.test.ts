import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addPin, connectClient, titles, whenSynced } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * Refusals happen before the upgrade: the client gets an HTTP status and no board data.
 * A raw HTTP request, because a websocket client would normalise paths such as /sync/../x.
 */
function upgradeStatus(port: number, path: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request({
			host: '127.0.0.1',
			port,
			path,
			headers: {
				Connection: 'Upgrade',
				Upgrade: 'websocket',
				'Sec-WebSocket-Version': '13',
				'Sec-WebSocket-Key': randomBytes(16).toString('base64')
			}
		});
		req.on('upgrade', (res, socket) => {
			socket.destroy();
			resolve(res.statusCode ?? 0);
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}

describe('the sync endpoint refuses bad input', () => {
	let server: ServerProcess;

	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		await server.stop('SIGKILL');
	});

	it('accepts the demo board', async () => {
		expect(await upgradeStatus(server.port, '/sync/spoorbuurt')).toBe(101);
	});

	it('answers 404 for an unknown board and for upgrades elsewhere', async () => {
		expect(await upgradeStatus(server.port, '/sync/bestaat-niet')).toBe(404);
		expect(await upgradeStatus(server.port, '/elders')).toBe(404);
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
		expect(await upgradeStatus(server.port, path)).toBe(400);
	});

	it('closes a connection that sends a malformed message, and the board goes on', async () => {
		const good = connectClient(server.port);
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
						const ws = new WebSocket(`ws://127.0.0.1:${server.port}/sync/spoorbuurt`);
						ws.on('open', () => ws.send(payload));
						ws.on('close', (code) => resolve(code));
						ws.on('error', reject);
					})
			)
		);
		expect(closeCodes).toEqual([4400, 4400, 4400, 4400]);

		// The server is alive and the board unharmed: a new client sees the earlier pin and edits go on.
		const other = connectClient(server.port);
		await whenSynced(other);
		await expect.poll(() => titles(other)).toEqual(['voor de aanval']);
		addPin(other, 'after', 'na de aanval');
		await expect.poll(() => titles(good)).toEqual(['na de aanval', 'voor de aanval']);
		good.destroy();
		other.destroy();
	});
});
