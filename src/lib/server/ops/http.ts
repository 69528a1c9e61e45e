import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { DbHealth } from './health';

export interface OpsHttpOptions {
	health: DbHealth;
	metrics: Registry;
	/** `BUURTBORD_METRICS_TOKEN`: /metrics wants `Authorization: Bearer <token>`; unset: loopback only. */
	metricsToken: string | undefined;
	/** Logs a refused request (path kind only, never a query string or a header). */
	log: (message: string) => void;
	/**
	 * Refuse pages and sync upgrades while the database does not answer. On for PostgreSQL (a
	 * separate server that can stop or freeze); embedded PGlite runs inside this process.
	 */
	gate: boolean;
	/**
	 * With REDIS_URL: whether this process reaches Redis. Without it the process serves its own
	 * clients but not the others' edits, so /readyz says it is not ready.
	 */
	relayReady?: () => boolean;
}

/** Shown instead of a page while the database does not answer. Dutch first, English second. */
const UNAVAILABLE_PAGE = `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Buurtbord is tijdelijk niet beschikbaar</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}</style>
</head><body>
<h1>Buurtbord is tijdelijk niet beschikbaar</h1>
<p>De database antwoordt op dit moment niet. Uw eerder opgeslagen werk is veilig. Probeer het over een minuut opnieuw.</p>
<p lang="en"><strong>Buurtbord is temporarily unavailable.</strong> The database is not answering right now. Work saved earlier is safe. Please try again in a minute.</p>
</body></html>
`;

function isLoopback(address: string | undefined): boolean {
	return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Static build assets and files never touch the database: served even while it is away. */
function needsDatabase(path: string): boolean {
	if (path.startsWith('/_app/')) return false;
	const last = path.slice(path.lastIndexOf('/') + 1);
	return !last.includes('.');
}

/**
 * The operations side of the HTTP server: /healthz (the process runs), /readyz (it can serve:
 * the database answers), /metrics (Prometheus), and the gate in front of every page and sync
 * upgrade that answers 503 at once while the database does not answer, instead of hanging.
 */
export function opsHttp(options: OpsHttpOptions) {
	const { health } = options;

	function send(res: ServerResponse, status: number, type: string, body: string, extra = {}) {
		res.writeHead(status, {
			'content-type': type,
			'cache-control': 'no-store',
			'content-length': Buffer.byteLength(body),
			...extra
		});
		res.end(body);
	}

	/** Handles the request when it is an operations route or must be refused; returns whether it did. */
	async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const path = (req.url ?? '/').split('?')[0]!;
		if (path === '/healthz') {
			send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
			return true;
		}
		if (path === '/readyz') {
			const ok = await health.ping();
			const relay = options.relayReady?.() ?? true;
			send(
				res,
				ok && relay ? 200 : 503,
				'text/plain; charset=utf-8',
				!ok ? 'database not available\n' : relay ? 'ready\n' : 'redis not available\n'
			);
			return true;
		}
		if (path === '/metrics') {
			const token = options.metricsToken;
			const allowed = token
				? req.headers.authorization === `Bearer ${token}`
				: isLoopback(req.socket.remoteAddress);
			if (!allowed) {
				send(res, 403, 'text/plain; charset=utf-8', 'forbidden\n');
				return true;
			}
			send(res, 200, options.metrics.contentType, await options.metrics.metrics());
			return true;
		}
		if (options.gate && needsDatabase(path) && !(await health.ready())) {
			options.log('refused a page request: database not available (503)');
			send(res, 503, 'text/html; charset=utf-8', UNAVAILABLE_PAGE, { 'retry-after': '10' });
			return true;
		}
		return false;
	}

	/**
	 * An emitter to attach the sync server to in place of the HTTP server: upgrades reach it only
	 * while the database answers; otherwise the socket is refused with 503 at once.
	 */
	function gateUpgrades(server: EventEmitter): EventEmitter {
		if (!options.gate) return server;
		const gated = new EventEmitter();
		server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
			socket.on('error', () => socket.destroy());
			void health.ready().then((ok) => {
				if (ok) {
					gated.emit('upgrade', req, socket, head);
					return;
				}
				options.log('refused a sync connection: database not available (503)');
				const body = 'database not available\n';
				socket.end(
					'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\n' +
						`Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`
				);
			});
		});
		return gated;
	}

	return { handle, gateUpgrades };
}
