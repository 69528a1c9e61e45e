/**
 * Issue 10, "Performance": the board page's map at 5,000 / 20,000 / 50,000 addresses (the seeded
 * demo generator, one gesprek per two addresses) in Chromium (SwiftShader, 1280×800), side by side
 * with a bare MapLibre page holding the same points clustered the same way, interleaved in one run.
 *
 * Per size and page: time to the first idle map, frames per second during one scripted pan/zoom
 * flight, JS heap once idle (after a GC), and the time a remote edit takes to show: for the board,
 * a gesprek added by another client (y-websocket in this process) until the analysis summary shows
 * it and until the map is idle with it; for the bare page, MapLibre's own `updateData` of one
 * feature until idle.
 *
 * Run alone: `node --import tsx bench/map-perf.ts` (needs `npm run build` and /usr/bin/chromium);
 * MAP_SIZES=5000,20000 to choose sizes, MAP_RUNS=3 for more runs (medians are reported).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { addGesprek } from '../src/lib/board/gesprekken';
import { listThemas } from '../src/lib/board/themas';
import { generateDemo } from '../src/lib/demo/generate';
import { SESSION_COOKIE } from '../src/lib/server/auth/sessions';
import { createBoard, insertAddresses } from '../src/lib/server/boards';
import { openDb } from '../src/lib/server/db';
import { DEMO_BOARD, ensureDemoBoard } from '../src/lib/server/demo';
import { UpdateStore } from '../src/lib/server/sync/store';
import { seedUsers } from '../tests/support/accounts';
import { startServer } from '../tests/support/server-process';
import { closeClient, openClient, whenSynced } from './lib/clients';
import { bundleTestServer, tempDataDir } from './lib/servers';
import { bytes, median, ms, table } from './lib/util';
import { docHeap } from './doc-heap';
import { BARE_PAGE, FLIGHT, IDLE } from './map-perf-page';

export const MAP_SIZES = [5_000, 20_000, 50_000];
export const MAP_TARGETS = { idleRatio: 1.3, fpsRatio: 0.9, heapRatio: 3 };

interface Sample {
	idleMs: number;
	fps: number;
	frameP95Ms: number;
	heap: number;
	/** Remote edit: until the lists show it (board) / not measured (bare). */
	editListMs: number;
	/** Remote edit until the map is idle with it (board); updateData of one feature (bare). */
	editMapMs: number;
}

export interface MapPerfRow {
	addresses: number;
	gesprekken: number;
	/** `document`: the board's Y.Doc alone in an empty page (heap only, see doc-heap.ts). */
	page: 'board' | 'bare' | 'document';
	samples: Sample[];
}

interface Seeded {
	id: string;
	addresses: number;
	gesprekken: number;
	free: string[];
	center: [number, number];
	geojson: string;
	/** The board's stored document, as the page receives it. */
	update: Uint8Array;
}

const board = (n: number) => `bench-map-${n / 1000}k`;

async function seed(
	dataDir: string,
	sizes: number[]
): Promise<{ boards: Seeded[]; token: string }> {
	const db = await openDb({ dataDir });
	try {
		await ensureDemoBoard(db);
		const boards: Seeded[] = [];
		for (const n of sizes) {
			const demo = generateDemo({ addresses: n, visitRate: 0.5, rounds: 1 });
			const lon = demo.addresses.reduce((s, a) => s + a.lon, 0) / demo.addresses.length;
			const lat = demo.addresses.reduce((s, a) => s + a.lat, 0) / demo.addresses.length;
			const id = board(n);
			await createBoard(db, { id, name: `Bench ${n}`, centerLon: lon, centerLat: lat, zoom: 14 });
			await insertAddresses(db, id, demo.addresses);
			await new UpdateStore(db).append(id, Y.encodeStateAsUpdate(demo.doc));
			const visited = new Set<string>();
			let gesprekken = 0;
			demo.doc.getMap<Y.Map<unknown>>('gesprekken').forEach((g) => {
				visited.add(g.get('addressId') as string);
				gesprekken++;
			});
			const features = demo.addresses.map((a, i) => ({
				type: 'Feature',
				id: i,
				geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
				properties: { id: a.id, spoken: visited.has(a.id) ? 1 : 0 }
			}));
			boards.push({
				id,
				addresses: demo.addresses.length,
				gesprekken,
				free: demo.addresses.filter((a) => !visited.has(a.id)).map((a) => a.id),
				center: [lon, lat],
				geojson: JSON.stringify({ type: 'FeatureCollection', features }),
				update: Y.encodeStateAsUpdate(demo.doc)
			});
			demo.doc.destroy();
		}
		// And the demo board, whose page warms the server up (see warmUp).
		const roles = {
			...Object.fromEntries(boards.map((b) => [b.id, 'editor' as const])),
			[DEMO_BOARD.id]: 'editor' as const
		};
		const { bench } = await seedUsers(db, { bench: { org: 'Woonwaarts', boards: roles } });
		return { boards, token: bench.token };
	} finally {
		await db.close();
	}
}

/** The bare page and MapLibre's own files, from memory. */
async function bareServer(boards: Seeded[]): Promise<{ url: string; server: Server }> {
	const dist = 'node_modules/maplibre-gl/dist/';
	const files: Record<string, [string, string]> = {
		'/bare.html': ['text/html', BARE_PAGE],
		'/maplibre-gl.mjs': ['text/javascript', readFileSync(dist + 'maplibre-gl.mjs', 'utf8')],
		'/maplibre-gl-shared.mjs': [
			'text/javascript',
			readFileSync(dist + 'maplibre-gl-shared.mjs', 'utf8')
		],
		'/maplibre-gl-worker.mjs': [
			'text/javascript',
			readFileSync(dist + 'maplibre-gl-worker.mjs', 'utf8')
		]
	};
	for (const b of boards) files[`/${b.id}.json`] = ['application/json', b.geojson];
	const server = createServer((req, res) => {
		const file = files[new URL(req.url ?? '/', 'http://x').pathname];
		if (!file) return void res.writeHead(404).end();
		res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function heapAfterGc(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('HeapProfiler.collectGarbage');
	await cdp.send('Performance.enable');
	const { metrics } = (await cdp.send('Performance.getMetrics')) as {
		metrics: { name: string; value: number }[];
	};
	return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
}

/** `MAP_HEAPSNAPSHOT=<prefix>`: the board page's heap once idle, for DevTools' Memory panel. */
async function heapSnapshot(page: Page, path: string): Promise<void> {
	const cdp = await page.context().newCDPSession(page);
	const chunks: string[] = [];
	cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
	await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	writeFileSync(path, chunks.join(''));
	await cdp.detach();
}

async function measureBare(browser: Browser, url: string, b: Seeded): Promise<Sample> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	try {
		const page = await context.newPage();
		await page.goto(`${url}/bare.html#${b.id},${b.center[0]},${b.center[1]}`, { timeout: 180_000 });
		await page.waitForFunction(`window.__firstIdle`, undefined, { timeout: 180_000 });
		const idleMs = await page.evaluate<number>(`window.__firstIdle`);
		const heap = await heapAfterGc(page);
		const flight = await page.evaluate<{ fps: number; p95: number }>(
			`(${FLIGHT})(window.map, ${JSON.stringify(b.center)})`
		);
		const editMapMs = await page.evaluate<number>(`(async () => {
			const map = window.map;
			await (${IDLE})(map);
			const t0 = performance.now();
			map.getSource('points').updateData({ update: [{ id: 0, addOrUpdateProperties: [{ key: 'spoken', value: 2 }] }] });
			await new Promise((r) => map.once('idle', r));
			return performance.now() - t0;
		})()`);
		return { idleMs, heap, fps: flight.fps, frameP95Ms: flight.p95, editListMs: NaN, editMapMs };
	} finally {
		await context.close();
	}
}

/**
 * `MAP_PHASES=1`: where the board page's first idle goes (ms from the navigation): the HTML and
 * the register's response (the page's resource timing), the sync sockets' opening and messages
 * (the first and the largest: the document), timed in the page by a hook on `WebSocket`, and
 * the bench's own milestones. Nothing goes through DevTools' network events: with them Chromium
 * copies every socket frame to the bench as base64, which delayed the 4.9 MB document of the
 * 20,000-address board by ~0.6 s.
 */
async function watchPhases(page: Page) {
	const t0 = Date.now();
	const events: [number, string][] = [];
	const mark = (what: string) => events.push([Date.now() - t0, what]);
	await page.addInitScript(`(() => {
		const log = (window.__phases = []);
		const Native = window.WebSocket;
		window.WebSocket = class extends Native {
			constructor(...args) {
				super(...args);
				const name = String(args[0]).split('/').slice(4).join('/') || 'board';
				log.push([performance.now(), 'socket ' + name + ' created']);
				this.addEventListener('open', () => log.push([performance.now(), 'socket ' + name + ' open']));
				let first = true;
				this.addEventListener('message', (e) => {
					const size = e.data.byteLength ?? e.data.size ?? e.data.length;
					if (first || size > 10000)
						log.push([performance.now(), 'socket ' + name + ' message of ' + size + ' B']);
					first = false;
				});
			}
		};
	})()`);
	return {
		mark,
		async print(title: string) {
			const page_ = await page.evaluate<{ origin: number; log: [number, string][] }>(`(() => {
				const log = [...window.__phases];
				const nav = performance.getEntriesByType('navigation')[0];
				if (nav) log.push([nav.responseEnd, 'HTML received (' + nav.encodedBodySize + ' B)']);
				for (const r of performance.getEntriesByType('resource'))
					if (r.name.includes('adressen.json'))
						log.push([r.responseEnd, 'register received (' + r.encodedBodySize + ' B on the wire)']);
				return { origin: performance.timeOrigin, log };
			})()`);
			const offset = page_.origin - t0;
			const all = [
				...events,
				...page_.log.map(([ms, what]): [number, string] => [Math.round(ms + offset), what])
			];
			console.error(`[map-perf] phases of the board page, ${title}:`);
			for (const [ms, what] of all.sort((x, y) => x[0] - y[0]))
				console.error(`[map-perf]   ${String(ms).padStart(6)} ms  ${what}`);
		}
	};
}

async function measureBoard(
	browser: Browser,
	server: string,
	token: string,
	b: Seeded,
	free: string
): Promise<Sample> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		locale: 'nl-NL'
	});
	await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server }]);
	try {
		const page = await context.newPage();
		const phases = process.env.MAP_PHASES ? await watchPhases(page) : null;
		const trace = process.env.MAP_TRACE;
		if (trace)
			await browser.startTracing(page, {
				path: `${trace}-${b.addresses}.json`,
				categories: [
					'devtools.timeline',
					'disabled-by-default-devtools.timeline',
					'v8',
					'v8.execute',
					'disabled-by-default-v8.cpu_profiler',
					'blink.user_timing'
				]
			});
		await page.goto(`${server}/boards/${b.id}`, { waitUntil: 'commit', timeout: 180_000 });
		phases?.mark('HTML committed');
		await page.waitForSelector('[data-testid="board-map"][data-loaded="true"]', {
			timeout: 180_000
		});
		phases?.mark('map style loaded');
		await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', {
			timeout: 180_000
		});
		phases?.mark('socket connected');
		// First idle: the analysis layer has its data and the map has rendered it, nothing pending.
		const idleMs = await page.evaluate<number>(`(async () => {
			const map = window.__buurtbordMap;
			for (let i = 0; i < 3000 && !map.getSource('analysis-clusters'); i++)
				await new Promise((r) => setTimeout(r, 20));
			await (${IDLE})(map);
			return performance.now();
		})()`);
		phases?.mark('first idle');
		if (trace) await browser.stopTracing();
		await phases?.print(`${b.addresses} addresses`);
		const heap = await heapAfterGc(page);
		if (process.env.MAP_HEAPSNAPSHOT)
			await heapSnapshot(page, `${process.env.MAP_HEAPSNAPSHOT}-${b.addresses}.heapsnapshot`);
		const flight = await page.evaluate<{ fps: number; p95: number }>(
			`(${FLIGHT})(window.__buurtbordMap, ${JSON.stringify(b.center)})`
		);
		// A remote gesprek at an unvisited address: the summary's spoken count and the map change.
		await page.evaluate(`(() => {
			const map = window.__buurtbordMap;
			const el = document.querySelector('[data-testid="analysis-summary"]');
			window.__edit = { before: el.textContent };
			new MutationObserver(() => { window.__edit.list ??= Date.now(); })
				.observe(el, { childList: true, characterData: true, subtree: true });
			const src = map.getSource('analysis-clusters');
			for (const fn of ['updateData', 'setData']) {
				const orig = src[fn].bind(src);
				src[fn] = (...a) => { window.__edit.data = Date.now(); window.__edit.call = fn;
					map.once('idle', () => (window.__edit.idle = Date.now())); return orig(...a); };
			}
		})()`);
		const client = openClient(
			`${server.replace(/^http/, 'ws')}/sync#${new URLSearchParams({ cookie: `${SESSION_COOKIE}=${token}` })}`,
			b.id
		);
		let t0 = 0;
		// `MAP_EDIT_PROFILE=<prefix>`: the page's CPU profile from the remote edit until it is shown.
		const profiler = process.env.MAP_EDIT_PROFILE ? await page.context().newCDPSession(page) : null;
		await profiler?.send('Profiler.enable');
		await profiler?.send('Profiler.setSamplingInterval', { interval: 250 });
		try {
			await whenSynced(client, 120_000);
			const themeId = listThemas(client.doc)[0]!.id;
			await profiler?.send('Profiler.start');
			t0 = Date.now();
			addGesprek(client.doc, {
				addressId: free,
				date: '2026-11-30',
				round: 1,
				heldBy: 'Bench',
				outcome: 'gesproken',
				themeIds: [themeId],
				talents: [],
				notes: ''
			});
			await page.waitForFunction(`window.__edit.list && window.__edit.idle`, undefined, {
				timeout: 120_000,
				polling: 50
			});
			if (profiler) {
				const { profile } = await profiler.send('Profiler.stop');
				const path = `${process.env.MAP_EDIT_PROFILE}-${b.addresses}.cpuprofile`;
				writeFileSync(path, JSON.stringify(profile));
			}
		} finally {
			closeClient(client);
		}
		const edit = await page.evaluate<{ list: number; idle: number; call: string }>(`window.__edit`);
		if (edit.call !== 'updateData') console.error(`[map-perf] ${b.id}: map got ${edit.call}`);
		return {
			idleMs,
			heap,
			fps: flight.fps,
			frameP95Ms: flight.p95,
			editListMs: edit.list - t0,
			editMapMs: edit.idle - t0
		};
	} finally {
		await context.close();
	}
}

/** A measurement that failed (e.g. timed out) is a row of NaN, not the end of the run. */
async function failed(log: (m: string) => void, run: Promise<Sample>): Promise<Sample> {
	try {
		return await run;
	} catch (err) {
		log(`map: measurement failed: ${(err as Error).message.split('\n')[0]}`);
		const nan = NaN;
		return { idleMs: nan, fps: nan, frameP95Ms: nan, heap: nan, editListMs: nan, editMapMs: nan };
	}
}

/**
 * One board page (the demo board, not one that is measured) before the measurements, in a context
 * of its own: a server that has just started compiles its page modules at the first request,
 * which a user meets once per deployment, not once per board. The browser's cache is per context,
 * so the measured pages still load every script, style and register themselves, and their boards
 * are still loaded from storage by the sync server (the first person of the day).
 */
async function warmUp(browser: Browser, server: string, token: string): Promise<void> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server }]);
	try {
		const page = await context.newPage();
		await page.goto(`${server}/boards/${DEMO_BOARD.id}`, { timeout: 180_000 });
		await page.waitForSelector('[data-testid="board-map"][data-loaded="true"]', {
			timeout: 180_000
		});
	} finally {
		await context.close();
	}
}

export async function benchMapPerf(
	log: (m: string) => void,
	{ sizes = MAP_SIZES, runs = 1 }: { sizes?: number[]; runs?: number } = {}
): Promise<{ rows: MapPerfRow[]; note?: string }> {
	if (!existsSync(`${process.env.BUURTBORD_BUILD_DIR || 'build'}/handler.js`))
		return { rows: [], note: 'map performance skipped: run `npm run build` first' };
	if (!existsSync('/usr/bin/chromium'))
		return { rows: [], note: 'map performance skipped: /usr/bin/chromium missing' };
	const dir = tempDataDir();
	log(`map: seeding ${sizes.join(', ')} addresses with the demo generator`);
	const { boards, token } = await seed(dir.dir, sizes);
	await bundleTestServer();
	const server = await startServer({ dataDir: dir.dir });
	const bare = await bareServer(boards);
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--use-angle=swiftshader',
			'--enable-unsafe-swiftshader',
			'--disable-quic',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			'--enable-precise-memory-info'
		],
		chromiumSandbox: false
	});
	try {
		await warmUp(browser, server.url, token);
		const rows: MapPerfRow[] = [];
		for (const b of boards) {
			const size = { addresses: b.addresses, gesprekken: b.gesprekken };
			const ours: MapPerfRow = { ...size, page: 'board', samples: [] };
			const base: MapPerfRow = { ...size, page: 'bare', samples: [] };
			for (let i = 0; i < runs; i++) {
				log(`map: ${b.addresses} addresses, run ${i + 1}/${runs}: bare MapLibre`);
				base.samples.push(await failed(log, measureBare(browser, bare.url, b)));
				log(`map: ${b.addresses} addresses, run ${i + 1}/${runs}: board page`);
				ours.samples.push(
					await failed(log, measureBoard(browser, server.url, token, b, b.free[i]!))
				);
			}
			const heap = await docHeap(browser, b.update);
			const nan = NaN;
			const document: MapPerfRow = {
				...size,
				page: 'document',
				samples: [{ idleMs: nan, fps: nan, frameP95Ms: nan, heap, editListMs: nan, editMapMs: nan }]
			};
			rows.push(base, ours, document);
		}
		return { rows };
	} finally {
		await browser.close();
		bare.server.close();
		await server.stop('SIGTERM');
		dir.remove();
	}
}

const med = (r: MapPerfRow, k: keyof Sample) => median(r.samples.map((s) => s[k]));

export function mapPerfLines(rows: MapPerfRow[]): string[] {
	const bareOf = (r: MapPerfRow) =>
		rows.find((x) => x.page === 'bare' && x.addresses === r.addresses)!;
	const ratio = (r: MapPerfRow, k: keyof Sample) =>
		r.page !== 'bare' ? ` (${(med(r, k) / med(bareOf(r), k)).toFixed(2)}×)` : '';
	const timed = (r: MapPerfRow, cell: () => string) => (r.page === 'document' ? '' : cell());
	return [
		`9. The board page's map (issue 10) at ${[...new Set(rows.map((r) => r.addresses))].join(' / ')} addresses, one gesprek per two, in Chromium (SwiftShader, 1280×800), next to bare MapLibre with the same points clustered`,
		table(
			[
				'addresses',
				'page',
				'first idle',
				'fps pan/zoom',
				'frame p95',
				'remote edit → list',
				'→ map idle',
				'JS heap'
			],
			rows.map((r) => [
				r.addresses,
				r.page,
				timed(r, () => ms(med(r, 'idleMs'), 0) + ratio(r, 'idleMs')),
				timed(r, () => med(r, 'fps').toFixed(1) + ratio(r, 'fps')),
				timed(r, () => ms(med(r, 'frameP95Ms'), 0)),
				r.page === 'board' ? ms(med(r, 'editListMs'), 0) : '',
				timed(r, () => ms(med(r, 'editMapMs'), 0) + (r.page === 'bare' ? ' (updateData)' : '')),
				bytes(med(r, 'heap')) + ratio(r, 'heap')
			])
		),
		`   document: the board's Y.Doc alone, applied in an empty page (the board page holds it whole: a floor under its heap)`,
		`   goals: first idle ≤ ${MAP_TARGETS.idleRatio}× bare, fps ≥ ${MAP_TARGETS.fpsRatio}× bare, heap ≤ ${MAP_TARGETS.heapRatio}× bare; edit: board's "→ map idle" includes the sync hop`
	];
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const started = performance.now();
	const log = (m: string) =>
		console.error(`[map ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`);
	const sizes = process.env.MAP_SIZES?.split(',').map(Number) ?? MAP_SIZES;
	const runs = Number(process.env.MAP_RUNS ?? 1);
	benchMapPerf(log, { sizes, runs }).then(
		({ rows, note }) => {
			console.log(mapPerfLines(rows).join('\n'));
			if (note) console.log(`note: ${note}`);
			console.log(
				`MAP_JSON ${JSON.stringify(rows.map(({ addresses, gesprekken, page, samples }) => ({ addresses, gesprekken, page, samples })))}`
			);
			setTimeout(() => process.exit(0), 2000).unref();
		},
		(err: unknown) => {
			console.error(err);
			process.exit(1);
		}
	);
}
