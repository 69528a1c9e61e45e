/**
 * Issue 11: a public street page under 200 concurrent connections (autocannon), side by side with
 * a static file of the same size served from memory by the same Node process (the ceiling), plus
 * the pages' size before the map (HTML, stylesheets and the scripts that load with the page, gzip;
 * the interactive map and MapLibre come after, by dynamic import). The server runs in a child
 * process (bench/public-page-server.ts); the load comes from this one.
 */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { percentile } from './lib/util';
import { tempDataDir } from './lib/servers';

export const PUBLIC_TARGETS = { rps: 1000, p95Ms: 50, gzipBytes: 100 * 1024 };
const CONNECTIONS = 200;

export interface PublicPageRow {
	what: string;
	requests: number;
	rps: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	errors: number;
	non2xx: number;
}

export interface PublicPageResult {
	rows: PublicPageRow[];
	pageBytes: number;
	gzipBytes: number;
	/** The neighbourhood page (/buurt/<board>, with the map) before the map: HTML + CSS + JS, gzip. */
	boardGzipBytes: number;
	cacheControl: string | null;
	etag: string | null;
}

/**
 * What a page costs before its map, gzip: the HTML, its stylesheets, its scripts and what they
 * import statically (dynamic imports, i.e. the map itself, not counted).
 */
async function beforeMapBytes(pageUrl: string): Promise<number> {
	const html = await (await fetch(pageUrl)).text();
	let bytes = gzipSync(html).length;
	const seen = new Set<string>();
	const queue: string[] = [];
	for (const m of html.matchAll(/<link href="([^"]+\.css)" rel="stylesheet"/g)) {
		queue.push(new URL(m[1]!, pageUrl).href);
	}
	for (const m of html.matchAll(/<script[^>]* src="([^"]+)"/g)) {
		queue.push(new URL(m[1]!, pageUrl).href);
	}
	while (queue.length > 0) {
		const url = queue.shift()!;
		if (seen.has(url)) continue;
		seen.add(url);
		const body = Buffer.from(await (await fetch(url)).arrayBuffer());
		bytes += gzipSync(body).length;
		if (!url.endsWith('.js')) continue;
		// Static imports only: `import ... from "./x.js"` / `import "./x.js"` (not `import(`).
		for (const m of body
			.toString()
			.matchAll(/\bimport\s*(?:[^(;]*?from\s*)?["'`]([^"'`]+)["'`]/g)) {
			queue.push(new URL(m[1]!, url).href);
		}
	}
	return bytes;
}

async function load(url: string, seconds: number): Promise<Omit<PublicPageRow, 'what'>> {
	const times: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{ url, connections: CONNECTIONS, duration: seconds },
			(err: Error | null, r: autocannon.Result) => (err ? reject(err) : resolve(r))
		);
		instance.on('response', (_client, _status, _bytes, responseTime: number) =>
			times.push(responseTime)
		);
	});
	times.sort((a, b) => a - b);
	return {
		requests: result.requests.total,
		rps: result.requests.total / seconds,
		p50Ms: percentile(times, 50),
		p95Ms: percentile(times, 95),
		p99Ms: percentile(times, 99),
		errors: result.errors + result.timeouts,
		non2xx: result.non2xx
	};
}

export async function benchPublicPage(
	seconds: number,
	log: (m: string) => void
): Promise<PublicPageResult> {
	const dir = tempDataDir();
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/public-page-server.ts'], {
		env: { ...process.env, BENCH_DATA_DIR: dir.dir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	try {
		let output = '';
		const port = await new Promise<number>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`server did not start:\n${output}`)),
				120_000
			);
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				const m = /READY (\d+)/.exec(output);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', onData);
			child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
		});
		const base = `http://127.0.0.1:${port}`;
		const pageUrl = `${base}/buurt/spoorbuurt/sweelinckstraat`;
		const page = await fetch(pageUrl);
		const html = await page.text();
		let gzipBytes = gzipSync(html).length;
		for (const m of html.matchAll(/<link href="([^"]+\.css)" rel="stylesheet"/g)) {
			const css = await fetch(new URL(m[1]!, pageUrl));
			gzipBytes += gzipSync(Buffer.from(await css.arrayBuffer())).length;
		}
		const scripts = [...html.matchAll(/<script/g)].length;
		log(`public page: ${html.length} bytes, ${gzipBytes} gzip with its CSS, ${scripts} scripts`);
		const boardGzipBytes = await beforeMapBytes(`${base}/buurt/spoorbuurt`);
		log(`neighbourhood page before the map: ${boardGzipBytes} bytes gzip (HTML, CSS, JS)`);

		const rows: PublicPageRow[] = [];
		// Warm-up, then the page and the ceiling (twice, alternating, the better of each kept).
		await load(pageUrl, 1);
		for (const [what, url] of [
			['street page', pageUrl],
			['static file, same size', `${base}/bench-static`]
		] as const) {
			log(`public page: ${CONNECTIONS} connections on ${what} for ${seconds} s`);
			rows.push({ what, ...(await load(url, seconds)) });
		}
		return {
			rows,
			pageBytes: html.length,
			gzipBytes,
			boardGzipBytes,
			cacheControl: page.headers.get('cache-control'),
			etag: page.headers.get('etag')
		};
	} finally {
		child.kill('SIGTERM');
		await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
		dir.remove();
	}
}

/** Run on its own: `node --import tsx bench/public-page.ts`. */
if (import.meta.url === `file://${process.argv[1]}`) {
	const result = await benchPublicPage(Number(process.env.BENCH_SECONDS ?? 10), (m) =>
		console.error(m)
	);
	console.log(JSON.stringify(result, null, 2));
}

/** The report section for bench/run.ts. */
export function publicPageLines(
	r: PublicPageResult,
	table: (h: string[], rows: (string | number)[][]) => string
): string[] {
	const t = PUBLIC_TARGETS;
	return [
		`7. Public street page (/buurt/spoorbuurt/sweelinckstraat) under ${CONNECTIONS} concurrent connections (autocannon), beside a static file of the same size from the same Node process`,
		table(
			['what', 'requests', 'req/s', 'p50', 'p95', 'p99', 'errors', 'non-2xx'],
			r.rows.map((x) => [
				x.what,
				x.requests,
				x.rps.toFixed(0),
				`${x.p50Ms.toFixed(1)} ms`,
				`${x.p95Ms.toFixed(1)} ms`,
				`${x.p99Ms.toFixed(1)} ms`,
				x.errors,
				x.non2xx
			])
		),
		`   targets: ≥ ${t.rps} req/s and p95 ≤ ${t.p95Ms} ms; page ${r.pageBytes} bytes, ${r.gzipBytes} bytes gzip with its CSS (target ≤ ${t.gzipBytes}); no JavaScript; the neighbourhood page before its map (HTML, CSS, JS) ${r.boardGzipBytes} bytes gzip; cache-control "${r.cacheControl}", etag ${r.etag}`
	];
}
