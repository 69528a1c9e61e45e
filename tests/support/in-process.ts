import { createServer, type Server } from 'node:http';
import { startBuurtbord, type Buurtbord } from '../../src/lib/server/app';
import { readConfig } from '../../src/lib/server/config';

export interface InProcess {
	app: Buurtbord;
	/** Its HTTP server (404 for every page: only the sync socket is attached). */
	http: Server;
	port: number;
}

/**
 * Buurtbord's sync server in the test's own process on a port of its own, without the demo's
 * story, writing within 10–50 ms: for raw y-websocket clients (tests/support/clients.ts).
 */
export async function startInProcess(target: {
	dataDir?: string;
	databaseUrl?: string;
}): Promise<InProcess> {
	const app = await startBuurtbord({
		...readConfig({}),
		dataDir: target.dataDir ?? '',
		databaseUrl: target.databaseUrl,
		seedDemo: false,
		persistDebounceMs: 10,
		persistMaxWaitMs: 50
	});
	const http = createServer((_req, res) => res.writeHead(404).end());
	app.attach(http, { exclusive: true });
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	return { app, http, port: (http.address() as { port: number }).port };
}
