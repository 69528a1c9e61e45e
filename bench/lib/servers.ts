/** Servers the benchmark talks to: Buurtbord's own sync server and a reference y-websocket server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { startBuurtbord, type Buurtbord } from '../../src/lib/server/app';
import { readConfig } from '../../src/lib/server/config';
import { buildDir, bundleServer } from '../../server/bundle';
import { seedUsers } from '../../tests/support/accounts';
import { withTimeout } from './util';

export interface BenchServer {
	/** Base URL for y-websocket clients; the room name is appended by the provider. */
	url: string;
	close(): Promise<void>;
}

export interface BuurtbordServer extends BenchServer {
	app: Buurtbord;
}

async function listen(server: Server): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return (server.address() as { port: number }).port;
}

async function closeHttp(server: Server): Promise<void> {
	server.closeAllConnections();
	await withTimeout(
		new Promise<void>((resolve) => server.close(() => resolve())),
		5_000,
		'closing the http server'
	);
}

/** A fresh PGlite data folder in the temp directory; `remove()` deletes it. */
/**
 * The server process that the benches start through the tests' `startServer` is the tests' bundle
 * of server/index.ts: made fresh here, as the tests' global set-up does, so that a bench never
 * measures a bundle left by an older run (or fails where none was made yet).
 */
export async function bundleTestServer(): Promise<void> {
	await bundleServer(buildDir(), 'buurtbord-test');
}

export function tempDataDir(): { dir: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'buurtbord-bench-'));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Buurtbord's sync server in this process, exactly as server/index.ts wires it (config from the
 * same reader, default persistence timings), on a plain HTTP server without the SvelteKit handler.
 */
export async function startBuurtbordServer(db: {
	databaseUrl?: string;
	dataDir: string;
}): Promise<BuurtbordServer> {
	const config = readConfig({
		DATABASE_URL: db.databaseUrl,
		BUURTBORD_DATA_DIR: db.dataDir,
		BUURTBORD_DEMO: 'true'
	});
	const app = await startBuurtbord(config);
	// The socket lets members in only: a bench member of the demo board, its cookie in the URL
	// fragment (see splitCredentials in clients.ts).
	const { bench } = await seedUsers(app.db, {
		bench: { org: 'Bench', boards: { spoorbuurt: 'editor' } }
	});
	const server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	app.attach(server);
	let port: number;
	try {
		port = await listen(server);
	} catch (err) {
		await app.close();
		throw err;
	}
	return {
		app,
		url: `ws://127.0.0.1:${port}/sync#${new URLSearchParams({ cookie: bench.cookie })}`,
		async close() {
			try {
				await withTimeout(app.close(), 15_000, 'closing Buurtbord');
			} finally {
				await closeHttp(server);
			}
		}
	};
}

/** The reference: @y/websocket-server 0.1.1's setupWSConnection, in memory, no persistence. */
export async function startReferenceServer(): Promise<BenchServer> {
	const wss = new WebSocketServer({ noServer: true });
	const server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	server.on('upgrade', (req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req));
	});
	const port = await listen(server);
	return {
		url: `ws://127.0.0.1:${port}/sync`,
		async close() {
			for (const ws of wss.clients) ws.terminate();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
			await closeHttp(server);
			// Without persistence it keeps documents (and their awareness timers) after the last
			// client left.
			for (const doc of docs.values()) doc.destroy();
			docs.clear();
		}
	};
}
