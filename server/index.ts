/**
 * Buurtbord's production entry: one Node process serves the SvelteKit app (adapter-node's
 * handler) and the Yjs sync socket, and stores everything in Postgres (PGlite by default).
 * Run `npm run build` first; `npm start` does both.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startBuurtbord } from '../src/lib/server/app';
import { logger } from '../src/lib/server/ops/log';
import { markUpgradeScheme, requestListener, SCHEME_HEADER } from './http';
import { assertSupportedNode } from './node-version';

assertSupportedNode('Buurtbord');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const handlerPath = resolve(process.env.BUURTBORD_BUILD_DIR || 'build', 'handler.js');
const log = logger();
if (!existsSync(handlerPath)) {
	log.fatal('build/handler.js is missing: run `npm run build` first (or `npm start`).');
	process.exit(1);
}

/**
 * adapter-node assumes https unless told otherwise, so behind no proxy every form POST over plain
 * http failed SvelteKit's CSRF origin check. Without ORIGIN, tell it the scheme of the socket the
 * request really came in on, through a header this server sets itself (a client's value is replaced).
 */
const setScheme = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (setScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;

const app = await startBuurtbord();
const { handler } = (await import(pathToFileURL(handlerPath).href)) as {
	handler: (
		req: import('node:http').IncomingMessage,
		res: import('node:http').ServerResponse
	) => void;
};
const server = createServer(
	requestListener({ handleOps: (req, res) => app.handleOps(req, res), handler, log, setScheme })
);
if (setScheme) markUpgradeScheme(server);
app.attach(server, { exclusive: true });

server.listen(port, host, () => {
	const address = server.address();
	const actual = typeof address === 'object' && address ? address.port : port;
	// Tests start the server on port 0 and read the chosen port from this line.
	log.info(
		{ port: actual, database: app.config.databaseUrl ? 'postgres' : 'pglite' },
		`[buurtbord] listening on http://localhost:${actual} (${app.config.databaseUrl ? 'PostgreSQL' : `PGlite in ${app.config.dataDir}`})`
	);
});

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, `${signal}: storing pending edits and stopping`);
	server.close();
	let code = 0;
	try {
		await app.close();
	} catch (err) {
		log.error({ err: { message: (err as Error).message } }, 'stopping failed');
		code = 1;
	} finally {
		// pino writes asynchronously: let the last lines out before exiting.
		log.flush(() => process.exit(code));
	}
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
