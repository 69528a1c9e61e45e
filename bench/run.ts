/**
 * `npm run bench`: Buurtbord's benchmark (issue 2, "Benchmark"). Prints tables and one JSON line,
 * and writes bench/results/latest.json. See docs/benchmarks.md for what each figure means.
 *
 * Environment: BENCH_QUICK=1 (fewer samples, a smoke run), BENCH_CLIENTS=inline (clients in the
 * server's thread instead of a worker thread), BENCH_POSTGRES=0 (skip the PostgreSQL 15 driver).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startPostgres, type TestPostgres } from '../tests/support/postgres';
import { benchAuth } from './auth';
import { benchColdLoad, coldLoadBaseline, PINS, type ColdLoadRow } from './coldload';
import { BIG, benchBoardLoad, boardLoadMedian } from './board-load';
import { benchImport, IMPORT_ROWS } from './import';
import { benchPublicPage, publicPageLines, PUBLIC_TARGETS } from './public-page';
import { benchLatency, CLIENT_COUNTS, type LatencyRow } from './latency';
import { benchPresence, presenceLines } from './presence';
import { tempDataDir } from './lib/servers';
import { bytes, ms, table, verdict } from './lib/util';
import { ClientWorker } from './lib/worker';
import { benchStorage, EDITS, type StorageRow } from './storage';
import { benchCpu, cpuTable } from './cpu';

const TARGETS = {
	latencyP95Ms: 20,
	latencyClients: 30,
	coldLoadMs: 300,
	storedRatio: 2,
	/** Issue 3: "20,000 rows must import in a few seconds": parse + validate + store. */
	importMs: 3000
};
const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS_IN = process.env.BENCH_CLIENTS === 'inline' ? 'inline' : 'worker';
const WITH_POSTGRES = process.env.BENCH_POSTGRES !== '0';
const LATENCY = {
	edits: QUICK ? 40 : 200,
	warmup: QUICK ? 5 : 20,
	gapMs: 5,
	clientsIn: CLIENTS_IN
} as const;
const COLD_RUNS = QUICK ? 2 : 7;
/** The whole run is bounded: after this the process reports and exits. */
const WATCHDOG_MS = 20 * 60_000;

const started = performance.now();
const log = (m: string) =>
	console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`);

function machine() {
	let date = new Date().toString();
	try {
		date = execFileSync('date', { encoding: 'utf8' }).trim();
	} catch {
		/* keep the JS date */
	}
	return {
		date,
		iso: new Date().toISOString(),
		cpuModel: cpus()[0]?.model ?? 'unknown',
		cpus: cpus().length,
		memTotal: bytes(totalmem()),
		memFree: bytes(freemem()),
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		loadAvgAtStart: loadavg().map((x) => Number(x.toFixed(2)))
	};
}

function latencyTable(rows: LatencyRow[]): string {
	const ref = new Map(
		rows.filter((r) => r.server === 'y-websocket-server').map((r) => [r.clients, r])
	);
	return table(
		[
			'server',
			'clients',
			'edits',
			'p50',
			'p95',
			'p99',
			'max',
			'all-seen p50',
			'all-seen p95',
			'all-seen p99',
			'p95 vs ref',
			`p95 ≤ ${TARGETS.latencyP95Ms} ms`
		],
		rows.map((r) => [
			r.server,
			r.clients,
			`${r.edits}${r.timeouts ? ` (${r.timeouts} timed out)` : ''}${r.stoppedEarly ? ' (stopped early)' : ''}`,
			ms(r.perClient.p50),
			ms(r.perClient.p95),
			ms(r.perClient.p99),
			ms(r.perClient.max),
			ms(r.allSeen.p50),
			ms(r.allSeen.p95),
			ms(r.allSeen.p99),
			r.server.startsWith('buurtbord') && ref.get(r.clients)
				? `${(r.perClient.p95 / ref.get(r.clients)!.perClient.p95).toFixed(2)}×`
				: '',
			r.server.startsWith('buurtbord') ? verdict(r.perClient.p95, TARGETS.latencyP95Ms) : ''
		])
	);
}

function coldTable(rows: ColdLoadRow[]): string {
	return table(
		[
			'driver',
			'stored as',
			'rows',
			'bytes',
			'runs (ms)',
			'median',
			'db read*',
			'decode*',
			'encode*',
			'compact†',
			'pins',
			`≤ ${TARGETS.coldLoadMs} ms`
		],
		rows.map((r) => [
			r.driver,
			r.label,
			r.storedRows,
			bytes(r.storedBytes),
			r.runsMs.map((x) => x.toFixed(0)).join(' '),
			ms(r.medianMs, 1),
			ms(r.dbReadMedianMs, 1),
			ms(r.decodeMedianMs, 1),
			ms(r.encodeMedianMs, 1),
			ms(r.compactMedianMs, 1),
			r.pinsSeen,
			verdict(r.medianMs, TARGETS.coldLoadMs)
		])
	);
}

function storageTable(rows: StorageRow[]): string {
	const snap = (s: StorageRow['peak']) =>
		`${bytes(s.bytes)} in ${s.rows} rows = ${s.ratio.toFixed(2)}×`;
	return table(
		[
			'driver',
			'edits (add/edit/del)',
			'pins',
			'state',
			'peak ratio while editing',
			'longest log',
			'before last client left',
			'after compaction',
			'identical',
			`≤ ${TARGETS.storedRatio}× (all four)`
		],
		rows.map((r) => [
			r.driver,
			`${r.edits.creates}/${r.edits.updates}/${r.edits.deletes}`,
			r.pinsAtEnd,
			bytes(r.beforeLeave.stateBytes),
			snap(r.peak),
			snap(r.longestLog),
			snap(r.beforeLeave),
			snap(r.afterCompaction),
			r.identical ? 'yes' : 'NO',
			verdict(
				Math.max(r.peak.ratio, r.longestLog.ratio, r.beforeLeave.ratio, r.afterCompaction.ratio),
				TARGETS.storedRatio
			)
		])
	);
}

async function main() {
	const info = machine();
	log(
		`${info.cpuModel}, ${info.cpus} cpus, ${info.memTotal}, node ${info.node}; clients in ${CLIENTS_IN === 'worker' ? 'a worker thread' : 'the server thread'}${QUICK ? ' (QUICK)' : ''}`
	);
	if (info.loadAvgAtStart[0]! > info.cpus * 0.5) {
		log(
			`warning: load average ${info.loadAvgAtStart.join(' ')} on ${info.cpus} cpus: other work is running, figures will be noisy`
		);
	}
	const worker = CLIENTS_IN === 'worker' ? await ClientWorker.start() : undefined;
	let pg: TestPostgres | undefined;
	const dirs: { remove(): void }[] = [];
	const notes: string[] = [];
	try {
		const drivers: { driver: 'pglite' | 'postgres'; databaseUrl?: string; dataDir: string }[] = [];
		const pgliteDir = tempDataDir();
		dirs.push(pgliteDir);
		drivers.push({ driver: 'pglite', dataDir: pgliteDir.dir });
		if (WITH_POSTGRES) {
			try {
				log('starting PostgreSQL 15');
				pg = await startPostgres();
				drivers.push({
					driver: 'postgres',
					databaseUrl: await pg.createDatabase('bench_cold'),
					dataDir: ''
				});
			} catch (err) {
				notes.push(`PostgreSQL 15 skipped: ${(err as Error).message}`);
				log(notes[notes.length - 1]!);
			}
		}

		// Each part gets fresh databases: the board starts empty.
		const fresh = async (name: string) =>
			Promise.all(
				drivers.map(async (d) => {
					if (d.driver === 'postgres' && pg) {
						return { ...d, databaseUrl: await pg.createDatabase(name) };
					}
					const dir = tempDataDir();
					dirs.push(dir);
					return { driver: d.driver, dataDir: dir.dir };
				})
			);
		const latency = await benchLatency(worker, LATENCY, await fresh('bench_latency'), log);

		const cold: ColdLoadRow[] = [];
		for (const d of drivers) cold.push(...(await benchColdLoad(d, COLD_RUNS, worker, log)));
		log('cold load baseline');
		const coldBase = await coldLoadBaseline(COLD_RUNS, worker);

		const storage: StorageRow[] = [];
		for (const d of await fresh('bench_storage')) storage.push(await benchStorage(d, log));

		const imports = await benchImport(await fresh('bench_import'), QUICK ? 1 : 3, log);
		const importTotal = (driver: string) =>
			imports.rows
				.filter(
					(r) =>
						r.driver === driver || (r.driver === 'browser-side' && !r.step.includes('baseline'))
				)
				.reduce((sum, r) => sum + r.medianMs, 0);

		const access = await benchAuth(await fresh('bench_auth'), QUICK ? 100 : 1000, log);

		const presenceDir = tempDataDir();
		dirs.push(presenceDir);
		const presence = await benchPresence(worker, LATENCY, { dataDir: presenceDir.dir }, log);

		const boardDir = tempDataDir();
		dirs.push(boardDir);
		const boardLoad = await benchBoardLoad(boardDir.dir, QUICK ? 1 : 3, log);
		if (boardLoad.note) notes.push(boardLoad.note);

		const cpu = await benchCpu(log, { seconds: QUICK ? 6 : 20 });
		const publicPage = await benchPublicPage(QUICK ? 3 : 10, log);

		const out: string[] = [];
		out.push(`Buurtbord benchmark — ${info.date}`);
		out.push(
			`${info.cpuModel} · ${info.cpus} cpus · ${info.memTotal} RAM · node ${info.node} · ${info.platform}`
		);
		const loadAtEnd = loadavg().map((x) => x.toFixed(2));
		out.push(
			`load average (1/5/15 min) at start ${info.loadAvgAtStart.join(' ')}, at end ${loadAtEnd.join(' ')}`
		);
		out.push(
			`Server and clients in one process; clients in ${CLIENTS_IN === 'worker' ? 'a worker thread (server on the main thread)' : 'the server thread'}; loopback only.`
		);
		out.push('');
		out.push(
			`1. Edit-to-seen latency, one board, one writer at a time (a new pin per edit, ${LATENCY.gapMs} ms apart, ${LATENCY.warmup} warm-up edits not counted)`
		);
		out.push(
			'   p50/p95/p99: per (edit, receiving client); all-seen: until every other client had it'
		);
		out.push(latencyTable(latency));
		out.push('');
		out.push(
			`2. Cold load of a board with ${PINS.toLocaleString('en')} pins: fresh client connect → synced, freshly started server`
		);
		out.push(coldTable(cold));
		out.push(
			`   * measured right after on the same server (warm): getBoard + select of the rows; applying them to a Y.Doc; encoding the state for a new client`
		);
		out.push(
			'   † UpdateStore.compact of the 100-update log into one row (when the board was prepared)'
		);
		out.push(
			`   baseline: state ${bytes(coldBase.stateBytes)}; Y.applyUpdate into a fresh doc ${ms(coldBase.decodeMedianMs, 1)}; ` +
				`@y/websocket-server with the doc in memory: median ${ms(coldBase.referenceMedianMs, 1)} (runs ${coldBase.referenceRunsMs.map((x) => x.toFixed(0)).join(' ')})`
		);
		out.push('');
		out.push(
			`3. Stored bytes after ${EDITS.toLocaleString('en')} edits by one client (bursts of 100, 150 ms apart; 40% add, 45% edit, 15% delete) vs Y.encodeStateAsUpdate`
		);
		out.push(storageTable(storage));
		for (const s of storage)
			out.push(
				`   ${s.driver}: pg_total_relation_size(board_updates) after compaction ${bytes(s.tableBytes)}; editing took ${s.editSeconds.toFixed(1)} s`
			);
		out.push('');
		out.push(
			`4. Address import of ${IMPORT_ROWS.toLocaleString('en')} CSV rows (Windows-1252, semicolons, RD coordinates, 2% duplicates) into the demo board`
		);
		out.push(
			table(
				['step', 'where', 'median', 'runs'],
				imports.rows.map((r) => [
					r.step,
					r.driver,
					ms(r.medianMs, 0),
					r.runsMs.map((x) => x.toFixed(0)).join(' ')
				])
			)
		);
		for (const [driver, total] of Object.entries(imports.stored))
			out.push(
				`   ${driver}: parse + validate + store ${ms(importTotal(driver), 0)} (target ≤ ${TARGETS.importMs} ms); register afterwards ${total} addresses`
			);
		out.push('');
		out.push(
			`5. A board with ${BIG.addresses.toLocaleString('en')} addresses and ${BIG.gesprekken.toLocaleString('en')} gesprekken in Chromium (SwiftShader, 1280×800) against the built server; baseline: the demo board`
		);
		out.push(
			table(
				[
					'board',
					'addresses',
					'gesprekken',
					'document',
					'interactive (median)',
					'runs',
					'JS heap (median)'
				],
				boardLoad.rows.map((r) => {
					const m = boardLoadMedian(r);
					return [
						r.board,
						r.addresses,
						r.gesprekken,
						bytes(r.stateBytes),
						ms(m.ms, 0),
						r.interactiveMs.map((x) => x.toFixed(0)).join(' '),
						bytes(m.heap)
					];
				})
			)
		);
		out.push(
			'   interactive: navigation start until the map is drawn, the document synced and two frames in a row < 50 ms apart'
		);
		out.push('');
		out.push(
			'6. Access checks per request or socket upgrade (session cookie, board role) and per sign-in (scrypt)'
		);
		out.push(
			table(
				['step', 'where', 'p50', 'p95', 'n'],
				access.map((r) => [
					r.step,
					r.driver,
					ms(r.summary.p50, 3),
					ms(r.summary.p95, 3),
					r.summary.n
				])
			)
		);
		out.push('');
		out.push(
			'7. Presence cost: 30 clients on one board (PGlite), edit-to-seen with cursors still and with every cursor moving 20 times a second'
		);
		out.push(...presenceLines(presence));
		out.push('');
		out.push(
			'8. Server CPU per edit and RSS, each server in its own process, next to @y/websocket-server 0.1.1 (in memory): each client adds a pin every 2 s'
		);
		out.push(cpuTable(cpu));
		out.push('');
		out.push(...publicPageLines(publicPage, table));
		for (const n of notes) out.push(`note: ${n}`);
		console.log(out.join('\n'));

		const at30 = latency.filter(
			(r) => r.server.startsWith('buurtbord') && r.clients === TARGETS.latencyClients
		);
		const result = {
			machine: { ...info, loadAvgAtEnd: loadavg().map((x) => Number(x.toFixed(2))) },
			settings: {
				quick: QUICK,
				clientsIn: CLIENTS_IN,
				latency: LATENCY,
				coldRuns: COLD_RUNS,
				clientCounts: CLIENT_COUNTS
			},
			targets: { ...TARGETS, publicPage: PUBLIC_TARGETS },
			verdicts: {
				latencyP95At30: Object.fromEntries(
					at30.map((r) => [r.server, verdict(r.perClient.p95, TARGETS.latencyP95Ms)])
				),
				coldLoad: Object.fromEntries(
					cold.map((c) => [`${c.driver}/${c.variant}`, verdict(c.medianMs, TARGETS.coldLoadMs)])
				),
				import: Object.fromEntries(
					Object.keys(imports.stored).map((d) => [d, verdict(importTotal(d), TARGETS.importMs)])
				),
				storage: Object.fromEntries(
					storage.map((s) => [
						s.driver,
						verdict(
							Math.max(
								s.peak.ratio,
								s.longestLog.ratio,
								s.beforeLeave.ratio,
								s.afterCompaction.ratio
							),
							TARGETS.storedRatio
						)
					])
				)
			},
			latency,
			coldLoad: { rows: cold, baseline: coldBase },
			storage,
			access,
			cpu,
			import: imports,
			boardLoad: boardLoad.rows,
			presence,
			publicPage,
			notes,
			durationSeconds: (performance.now() - started) / 1000
		};
		const dir = new URL('./results/', import.meta.url);
		if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
		writeFileSync(new URL('latest.json', dir), JSON.stringify(result, null, 2) + '\n');
		console.log(`BENCH_JSON ${JSON.stringify(result)}`);
		log('wrote bench/results/latest.json');
	} finally {
		await worker?.stop();
		await pg?.stop();
		for (const d of dirs) d.remove();
	}
}

const watchdog = setTimeout(() => {
	console.error(`[bench] watchdog: still running after ${WATCHDOG_MS / 60_000} min, exiting`);
	process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
	() => {
		// Everything is closed; if some handle still holds the process, do not hang.
		setTimeout(() => {
			console.error(
				`[bench] still alive after the run (${process.getActiveResourcesInfo().join(', ')}); exiting`
			);
			process.exit(0);
		}, 5_000).unref();
	},
	(err: unknown) => {
		console.error(err);
		process.exitCode = 1;
		setTimeout(() => process.exit(1), 5_000).unref();
	}
);
