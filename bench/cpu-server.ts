/**
 * One sync server in its own process, for the CPU and memory comparison (bench/cpu.ts):
 * `buurtbord` (its sync server exactly as server/index.ts wires it, on PGlite, with BOARDS boards
 * and a bench member of each), `hocuspocus` (Hocuspocus 4 with its Database extension storing each
 * document's state in SQLite, as @hocuspocus/extension-sqlite does, on Node's built-in node:sqlite)
 * or `reference` (@y/websocket-server 0.1.1, in memory). Prints one JSON line `{"url": …}` when it
 * listens; stops on SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { WebSocketServer } from 'ws';
import { performance } from 'node:perf_hooks';
import type { BoardRole } from '../src/lib/server/access';
import type { Db } from '../src/lib/server/db';
import { readConfig } from '../src/lib/server/config';

const kind = process.argv[2];
const boards = Number(process.argv[3] ?? 1);
const dataDir = process.argv[4] ?? mkdtempSync(join(tmpdir(), 'buurtbord-bench-cpu-'));

// BENCH_CPU_SNAPSHOT: SIGWINCH prints the process's memory by V8 heap space, on stderr.
if (process.env.BENCH_CPU_SNAPSHOT) {
	process.on('SIGWINCH', () => {
		const mb = (n: number) => Math.round(n / 104857.6) / 10;
		const spaces = v8
			.getHeapSpaceStatistics()
			.map((s) => `${s.space_name} ${mb(s.space_used_size)}/${mb(s.physical_space_size)}`);
		const usage = Object.entries(process.memoryUsage()).map(([k, v]) => `${k} ${mb(v)}`);
		process.stderr.write(
			`[memory ${kind}] ${usage.join(', ')}; used/physical MB: ${spaces.join(', ')}\n`
		);
	});
}

const server = createServer((_req, res) => res.writeHead(404).end());
let url: string;
let close: () => Promise<void>;
/** BENCH_CPU_SQL=1: how many queries of each kind the server ran, their time and the main thread's CPU time, on stderr at the end. */
function countQueries(db: Db): void {
	const stats = new Map<string, { n: number; ms: number; cpuMs: number }>();
	const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
	const wrap =
		<A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
		async (...args: A): Promise<R> => {
			const key = `${name} ${String(args[0]).replace(/\s+/g, ' ').slice(0, 70)}`;
			const t = performance.now();
			const cpu = process.threadCpuUsage();
			try {
				return await fn(...args);
			} finally {
				// PGlite runs a statement synchronously inside the call: this is its CPU time (plus
				// other microtasks that ran before this one resumed).
				const s = stats.get(key) ?? { n: 0, ms: 0, cpuMs: 0 };
				s.n++;
				s.ms += performance.now() - t;
				s.cpuMs += cpuMs(process.threadCpuUsage(cpu));
				stats.set(key, s);
			}
		};
	db.query = wrap('query', db.query.bind(db)) as Db['query'];
	db.prepared = wrap('prepared', db.prepared.bind(db)) as Db['prepared'];
	db.exec = wrap('exec', db.exec.bind(db));
	db.transaction = wrap('tx', db.transaction.bind(db)) as Db['transaction'];
	process.on('SIGTERM', () => {
		for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
			process.stderr.write(
				`[sql] ${s.n}× ${s.ms.toFixed(0)} ms (CPU ${s.cpuMs.toFixed(0)} ms) ${k}\n`
			);
		}
	});
}

/** A data folder with the bench's boards and member, made as a deployment's would be. */
/** The storage timings of the environment (BUURTBORD_PERSIST_*), for comparing them. */
function persistEnv(): Record<string, string | undefined> {
	return Object.fromEntries(
		Object.entries(process.env).filter(([key]) => key.startsWith('BUURTBORD_PERSIST_'))
	);
}

async function setUp(): Promise<string> {
	const { seedUsers } = await import('../tests/support/accounts');
	const { createBoard } = await import('../src/lib/server/boards');
	const { startBuurtbord } = await import('../src/lib/server/app');
	const app = await startBuurtbord(
		readConfig({
			BUURTBORD_DATA_DIR: dataDir,
			BUURTBORD_DEMO: 'true',
			...databaseEnv(),
			// for comparing storage timings (BUURTBORD_PERSIST_*)
			...persistEnv()
		})
	);
	const memberships: Record<string, BoardRole> = { spoorbuurt: 'editor' };
	for (let i = 0; i < boards; i++) {
		const id = `bench-${i}`;
		await createBoard(app.db, { id, name: id, centerLon: 5.87, centerLat: 51.83, zoom: 15 });
		memberships[id] = 'editor';
	}
	const { bench } = await seedUsers(app.db, { bench: { org: 'Bench', boards: memberships } });
	await app.close();
	return bench.cookie;
}

/** BENCH_CPU_DATABASE_URL (kind `buurtbord-postgres`): an empty PostgreSQL database instead of PGlite. */
function databaseEnv(): Record<string, string> {
	const url = process.env.BENCH_CPU_DATABASE_URL;
	return url ? { DATABASE_URL: url } : {};
}

if (kind === 'buurtbord-setup') {
	process.stdout.write(`${JSON.stringify({ cookie: await setUp() })}\n`);
	process.exit(0);
} else if (kind === 'buurtbord' || kind === 'buurtbord-postgres') {
	// The data folder is made (PostgreSQL's initdb, migrations, the boards) by another process
	// first: a server starts on an existing folder, and WebAssembly memory that initdb touched in
	// this process would stay resident (a fresh folder peaks at ~1.1 GB).
	const setup = spawnSync(
		process.execPath,
		[
			...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')),
			process.argv[1]!,
			'buurtbord-setup',
			String(boards),
			dataDir
		],
		{ stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: process.env }
	);
	const line = setup.stdout.split('\n').find((l) => l.startsWith('{"cookie"'));
	if (setup.status !== 0 || !line) throw new Error(`setting up ${dataDir} failed`);
	const { cookie } = JSON.parse(line) as { cookie: string };
	const { startBuurtbord } = await import('../src/lib/server/app');
	const app = await startBuurtbord(
		readConfig({
			BUURTBORD_DATA_DIR: dataDir,
			BUURTBORD_DEMO: 'true',
			...databaseEnv(),
			// for comparing storage timings (BUURTBORD_PERSIST_*)
			...persistEnv()
		})
	);
	if (process.env.BENCH_CPU_SQL === '1') countQueries(app.db);
	app.attach(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	url = `ws://127.0.0.1:${port}/sync#${new URLSearchParams({ cookie })}`;
	close = async () => {
		await app.close();
		if (!process.argv[4]) rmSync(dataDir, { recursive: true, force: true });
	};
} else if (kind === 'hocuspocus') {
	// Loaded only here: node:sqlite prints an experimental warning on Node 22.
	const { DatabaseSync } = await import('node:sqlite');
	// Each server loads only its own code: what one loads must not count in another's memory.
	const { Server: HocuspocusServer } = await import('@hocuspocus/server');
	const { Database } = await import('@hocuspocus/extension-database');
	const db = new DatabaseSync(join(dataDir, 'hocuspocus.sqlite'));
	// The schema and statements of @hocuspocus/extension-sqlite, with SQLite's default durability.
	db.exec(
		'CREATE TABLE IF NOT EXISTS documents (name varchar(255) NOT NULL, data blob NOT NULL, UNIQUE(name))'
	);
	const select = db.prepare('SELECT data FROM documents WHERE name = ? ORDER BY rowid DESC');
	const upsert = db.prepare(
		'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data'
	);
	// Hocuspocus's defaults: a document is stored 2 s after its last change, at most 10 s late.
	const hocuspocus = new HocuspocusServer({
		address: '127.0.0.1',
		port: 0,
		quiet: true,
		stopOnSignals: false,
		extensions: [
			new Database({
				fetch: async ({ documentName }) =>
					(select.get(documentName)?.data as Uint8Array | undefined) ?? null,
				store: async ({ documentName, state }) => {
					upsert.run(documentName, state);
				}
			})
		]
	});
	server.close();
	await hocuspocus.listen();
	url = `ws://127.0.0.1:${hocuspocus.address.port}`;
	close = async () => {
		await hocuspocus.destroy();
		db.close();
		if (!process.argv[4]) rmSync(dataDir, { recursive: true, force: true });
	};
} else {
	const { docs, setupWSConnection } = await import('@y/websocket-server/utils');
	const wss = new WebSocketServer({ noServer: true });
	server.on('upgrade', (req, socket, head) =>
		wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req))
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	url = `ws://127.0.0.1:${port}/sync`;
	close = async () => {
		for (const doc of docs.values()) doc.destroy();
		// Made at the start for every kind, unused by this one.
		if (!process.argv[4]) rmSync(dataDir, { recursive: true, force: true });
	};
}
const allocations = await sampleAllocations();
// BENCH_CPU_MARKS=1: a line on stdout every second, to place V8's --trace-* output in time.
if (process.env.BENCH_CPU_MARKS === '1') {
	const started = Date.now();
	setInterval(
		() => process.stdout.write(`[mark ${Math.round((Date.now() - started) / 1000)} s]\n`),
		1000
	).unref();
}
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => {
	if (server.listening) server.closeAllConnections();
	void allocations()
		.then(close)
		.finally(() => process.exit(0));
});

/**
 * BENCH_CPU_ALLOC=<prefix>: V8's sampling heap profiler from here to the end, counting what the
 * garbage collector freed as well (what a server allocates per edit, not what it keeps), written
 * as `<prefix>-<kind>-<boards>.heapprofile` (DevTools' Memory panel opens it). Returns the stop.
 */
async function sampleAllocations(): Promise<() => Promise<void>> {
	const prefix = process.env.BENCH_CPU_ALLOC;
	if (!prefix) return async () => {};
	const { Session } = await import('node:inspector/promises');
	const session = new Session();
	session.connect();
	await session.post('HeapProfiler.startSampling', {
		samplingInterval: 4096,
		includeObjectsCollectedByMajorGC: true,
		includeObjectsCollectedByMinorGC: true
	});
	return async () => {
		const { profile } = await session.post('HeapProfiler.stopSampling');
		writeFileSync(`${prefix}-${kind}-${boards}.heapprofile`, JSON.stringify(profile));
	};
}
