/**
 * The HTTP side of the production entry, shared by server/index.ts and the public page benchmark
 * so that both serve requests the same way: the operations routes first (/healthz, /readyz,
 * /metrics, the 503 page while the database does not answer), then public resident pages already
 * rendered (src/lib/server/public/http.ts, without SvelteKit's per-request work), then the app, with
 * compressed responses (gzip/brotli as the client accepts) for everything compressible: the
 * board page carries the address register, which compresses about sevenfold.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import compression from 'compression';
import type { Logger } from 'pino';
import { servePublicPage } from '../src/lib/server/public/http';
import { setSecurityHeaders } from '../src/lib/server/security-headers';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** adapter-node's header for the scheme when no ORIGIN is set (see schemeHeader below). */
export const SCHEME_HEADER = 'x-buurtbord-scheme';

export interface RequestListenerOptions {
	handleOps: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
	handler: Handler;
	log: Logger;
	/** Sets SCHEME_HEADER from the socket (a client's value is replaced). */
	setScheme: boolean;
}

function markScheme(req: IncomingMessage): void {
	req.headers[SCHEME_HEADER] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}

export function requestListener({
	handleOps,
	handler,
	log,
	setScheme
}: RequestListenerOptions): RequestListener {
	// Responses under 1 KB are sent as they are; compression is level 6 gzip or brotli quality 4.
	const compress = compression({ threshold: 1024, brotli: { params: {} } });
	return (req, res) => {
		if (setScheme) markScheme(req);
		setSecurityHeaders(res);
		res.on('finish', () => dropUnreadBody(req));
		// A file piped into the response (the static files of the build) that fails to read, e.g.
		// a file removed since the server started (a new build put in place under a running
		// server, with an old page still open): that response fails, not the whole process.
		res.on('pipe', (source) =>
			source.on('error', (err: NodeJS.ErrnoException) => {
				log.warn(
					{ err: { code: err.code }, url: req.url?.split('?')[0] },
					'static file unreadable'
				);
				if (res.headersSent) res.destroy();
				else res.writeHead(404).end();
			})
		);
		handleOps(req, res)
			.then(async (handled) => handled || (await servePublicPage(req, res)))
			.then(
				(handled) => {
					if (handled) return;
					// compression's types are Express's; a plain request and response are what it uses.
					compress(req as never, res as never, () => handler(req, res));
				},
				(err: unknown) => {
					log.error({ err: { message: (err as Error).message } }, 'operations route failed');
					if (!res.headersSent) res.writeHead(500).end();
				}
			);
	};
}

/** Most of a body answered unread that is dropped to keep its connection; beyond it, the connection ends. */
const DROP_LIMIT = 1024 * 1024;

/**
 * A request answered before its body was read (not signed in, a refused form action): SvelteKit's
 * reader has paused it and reads no further, so the rest of the body would block the next request
 * the client sends on the connection, which then ends in a reset after a wait. The rest is read
 * and dropped instead, as Node does for a body nobody started reading (up to DROP_LIMIT).
 */
function dropUnreadBody(req: IncomingMessage): void {
	if (req.complete) return;
	let dropped = 0;
	req.removeAllListeners('data');
	req.on('data', (chunk: Buffer) => {
		dropped += chunk.length;
		if (dropped > DROP_LIMIT) req.destroy();
	});
	req.resume();
}

/**
 * The same scheme header for websocket upgrades (the sync server's origin check reads it); call
 * before the sync server attaches, so that this listener runs first.
 */
export function markUpgradeScheme(server: Server): void {
	server.on('upgrade', markScheme);
}
