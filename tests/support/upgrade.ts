import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { upgradeHeaders } from './clients';

/**
 * Refusals happen before the upgrade: the client gets an HTTP status and no board data.
 * A raw HTTP request, because a websocket client would normalise paths such as /sync/../x.
 */
export function upgradeStatus(
	port: number,
	path: string,
	/**
	 * A Cookie header value, or any headers (e.g. Authorization). The server's own Origin is sent
	 * unless these name another (or `origin: ''` for none).
	 */
	credentials?: string | Record<string, string>
): Promise<number> {
	const extra = upgradeHeaders(
		port,
		typeof credentials === 'string' ? { cookie: credentials } : (credentials ?? {})
	);
	return new Promise((resolve, reject) => {
		const req = request({
			host: '127.0.0.1',
			port,
			path,
			headers: {
				Connection: 'Upgrade',
				Upgrade: 'websocket',
				'Sec-WebSocket-Version': '13',
				'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
				...extra
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
