import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

/**
 * A tiny stand-in for the PDOK Locatieserver on a local port, so e2e tests never call the real
 * service. /suggest answers with the recorded-shape fixture for queries about the Sweelinckstraat
 * (Sweelinckstraat 12 and 12A and the street itself) and with no documents otherwise; everything
 * else answers an empty result. With `recorded: false` every answer is empty (the shared server's
 * stand-in, so tests written before PDOK suggest see only the register).
 */
const SUGGEST_SWEELINCK = readFileSync(
	join(
		import.meta.dirname,
		'..',
		'unit',
		'geo',
		'fixtures',
		'pdok-locatieserver-suggest-sweelinck.json'
	),
	'utf8'
);
const EMPTY = JSON.stringify({ response: { numFound: 0, start: 0, docs: [] } });

export const PDOK_PATH = '/bzk/locatieserver/search/v3_1';

export interface PdokFixture {
	server: Server;
	/** Path and query of every request, in order. */
	requests: string[];
	close(): Promise<void>;
}

export async function startPdokFixture(
	port: number,
	{ recorded = true }: { recorded?: boolean } = {}
): Promise<PdokFixture> {
	const requests: string[] = [];
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
		requests.push(url.pathname + url.search);
		const q = (url.searchParams.get('q') ?? '').toLowerCase();
		const body =
			recorded && url.pathname === `${PDOK_PATH}/suggest` && q.includes('sweelinck')
				? SUGGEST_SWEELINCK
				: EMPTY;
		res.writeHead(200, {
			'content-type': 'application/json',
			'access-control-allow-origin': '*'
		});
		res.end(body);
	});
	server.listen(port, '127.0.0.1');
	await once(server, 'listening');
	return {
		server,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
