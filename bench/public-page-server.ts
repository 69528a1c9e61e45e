/**
 * The server side of the public page benchmark (bench/public-page.ts), in a process of its own as
 * in production: Buurtbord (server/index.ts's wiring: startBuurtbord + server/http.ts's listener) with
 * the demo board and a story of gesprekken and initiatives, plus `/bench-static` answering a file
 * of the same size as the street page from memory: the ceiling of this Node process.
 * Prints `READY <port>` when the street page is rendered from the projection.
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startBuurtbord } from '../src/lib/server/app';
import { readConfig } from '../src/lib/server/config';
import { refreshProjection } from '../src/lib/server/public/store';
import { logger } from '../src/lib/server/ops/log';
import { approveText } from '../src/lib/server/public/reviews';
import { approveAll, seedPublicStory } from '../tests/support/public-board';
import { requestListener, SCHEME_HEADER } from '../server/http';

const dataDir = process.env.BENCH_DATA_DIR!;
process.env.PROTOCOL_HEADER = SCHEME_HEADER;
const app = await startBuurtbord(
	readConfig({ BUURTBORD_DATA_DIR: dataDir, BUURTBORD_DEMO: 'true' })
);
// The story's initiatieven with their texts approved, as an owner does for the public pages.
const approved = await app.sync.withDocument('spoorbuurt', (doc) => {
	seedPublicStory(doc);
	return approveAll(doc);
});
for (const [id, text] of approved) await approveText(app.db, 'spoorbuurt', id, text, null);
await refreshProjection(app.db, 'spoorbuurt');
const { handler } = (await import(
	pathToFileURL(resolve(process.env.BUURTBORD_BUILD_DIR || 'build', 'handler.js')).href
)) as {
	handler: (
		req: import('node:http').IncomingMessage,
		res: import('node:http').ServerResponse
	) => void;
};

let staticBody = Buffer.alloc(0);
const listener = requestListener({
	handleOps: (req, res) => app.handleOps(req, res),
	handler,
	log: logger(),
	setScheme: true
});
const server = createServer((req, res) => {
	if (req.url === '/bench-static') {
		res.writeHead(200, {
			'content-type': 'text/html; charset=utf-8',
			'content-length': staticBody.length,
			'cache-control': 'public, max-age=0, s-maxage=15, must-revalidate'
		});
		res.end(staticBody);
		return;
	}
	listener(req, res);
});
app.attach(server, { exclusive: true });
server.listen(0, '127.0.0.1', async () => {
	const port = (server.address() as { port: number }).port;
	const page = await fetch(`http://127.0.0.1:${port}/buurt/spoorbuurt/sweelinckstraat`);
	const body = Buffer.from(await page.arrayBuffer());
	if (page.status !== 200) throw new Error(`street page answered ${page.status}`);
	staticBody = Buffer.alloc(body.length, 'x');
	console.log(`READY ${port}`);
});

process.on('SIGTERM', () => {
	server.close();
	void app.close().then(() => process.exit(0));
});
