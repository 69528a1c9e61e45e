/**
 * Server CPU per edit and memory, Buurtbord next to Hocuspocus 4 and the reference
 * @y/websocket-server, in the same run: each server in its own process (its CPU time and RSS read
 * from /proc), the clients in this one (y-websocket clients, HocuspocusProvider for Hocuspocus).
 * Two loads: 30 clients on one board, and 500 connections over 50 boards; each client adds one pin
 * every 2 s. `node --import tsx bench/cpu.ts` alone, or part of `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { closeClient, newPin, openClient, whenSynced } from './lib/clients';
import { sleep, table, withTimeout } from './lib/util';
import { startPostgres, type TestPostgres } from '../tests/support/postgres';

type Kind = 'buurtbord' | 'buurtbord-postgres' | 'hocuspocus' | 'reference';
const NAMES: Record<Kind, string> = {
	buurtbord: 'buurtbord (PGlite)',
	'buurtbord-postgres': 'buurtbord (PostgreSQL 15)',
	hocuspocus: 'hocuspocus 4 (SQLite)',
	reference: 'y-websocket-server'
};

interface BenchClient {
	doc: Y.Doc;
	synced: (timeoutMs: number) => Promise<void>;
	close: () => void;
}

function openBenchClient(kind: Kind, url: string, room: string): BenchClient {
	if (kind !== 'hocuspocus') {
		const client = openClient(url, room);
		return {
			doc: client.doc,
			synced: (ms) => whenSynced(client, ms),
			close: () => closeClient(client)
		};
	}
	const doc = new Y.Doc();
	// The configuration goes on to the provider's own socket (HocuspocusProviderWebsocket), whose
	// WebSocketPolyfill option the provider's type leaves out: ws, as the y-websocket clients use.
	const provider = new HocuspocusProvider({
		url,
		name: room,
		document: doc,
		WebSocketPolyfill: WebSocket
	} as HocuspocusProviderConfiguration);
	const synced = new Promise<void>((resolve) => {
		if (provider.isSynced) resolve();
		provider.on('synced', () => resolve());
	});
	return {
		doc,
		synced: (ms) => withTimeout(synced, ms, `hocuspocus client sync with ${url}`),
		close: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

// Each y-websocket provider adds a process 'exit' listener: 500 clients in this process.
process.setMaxListeners(Math.max(process.getMaxListeners(), 1000));

export interface CpuRow {
	server: string;
	clients: number;
	boards: number;
	edits: number;
	/** Server CPU time (user + system) per edit, in µs, while the clients edit. */
	cpuPerEditUs: number;
	/** Server RSS after the load, and its peak, in MB. */
	rssMb: number;
	peakRssMb: number;
}

const TICK_US = 1e6 / 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s.

/** The fields of a /proc `stat` file after the command name (field 3 of stat is index 0). */
function statFields(path: string): string[] {
	const stat = readFileSync(path, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function cpuUs(pid: number, path = `/proc/${pid}/stat`, part: 'all' | 'system' = 'all'): number {
	const fields = statFields(path);
	// Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
	const system = Number(fields[12]);
	return (part === 'system' ? system : Number(fields[11]) + system) * TICK_US;
}

/** CPU time per thread name (main thread: the process's name), for BENCH_CPU_THREADS=1. */
function threadCpuUs(pid: number): Map<string, number> {
	const byName = new Map<string, number>();
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
			const path = `/proc/${pid}/task/${tid}/stat`;
			byName.set(name, (byName.get(name) ?? 0) + cpuUs(Number(tid), path));
			const system = `${name} (kernel)`;
			byName.set(system, (byName.get(system) ?? 0) + cpuUs(Number(tid), path, 'system'));
		} catch {
			// the thread ended meanwhile
		}
	}
	return byName;
}

/** Minor page faults and context switches of the whole process, for BENCH_CPU_THREADS=1. */
function faultsAndSwitches(pid: number): {
	minflt: number;
	voluntary: number;
	involuntary: number;
} {
	let voluntary = 0;
	let involuntary = 0;
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const s = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
			voluntary += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(s)?.[1] ?? 0);
			involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(s)?.[1] ?? 0);
		} catch {
			// the thread ended meanwhile
		}
	}
	// Field 10 of stat (minflt) is 7 after the command name.
	return { minflt: Number(statFields(`/proc/${pid}/stat`)[7]), voluntary, involuntary };
}

function memoryMb(pid: number): { rss: number; peak: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
	return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Every server runs as plain JavaScript, as `npm start` runs Buurtbord (build/buurtbord.js) and as
 * Hocuspocus and @y/websocket-server ship: bench/cpu-server.ts bundled with esbuild (the packages
 * stay in node_modules). BENCH_CPU_TSX=1 runs it under tsx instead (its loader adds 60–80 MB).
 */
let compiled: Promise<string[]> | undefined;
function serverEntry(): Promise<string[]> {
	if (process.env.BENCH_CPU_TSX === '1')
		return Promise.resolve(['--import', 'tsx', 'bench/cpu-server.ts']);
	compiled ??= (async () => {
		const outdir = 'node_modules/.cache/buurtbord-bench';
		const { build } = await import('esbuild');
		await build({
			entryPoints: ['bench/cpu-server.ts'],
			outdir,
			outExtension: { '.js': '.mjs' },
			// Dynamic imports stay lazy (their own chunks): each server loads only its own code.
			splitting: true,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node22',
			packages: 'external',
			logLevel: 'warning'
		});
		return [`${outdir}/cpu-server.mjs`];
	})();
	return compiled;
}

/** What `npm start` runs Buurtbord with: package.json `config.node_flags` and `config.node_env`. */
function startConfig(): { node_flags: string; node_env: string } {
	const { config } = JSON.parse(readFileSync('package.json', 'utf8')) as {
		config: { node_flags: string; node_env: string };
	};
	return config;
}

/** The V8 flags `npm start` runs Buurtbord with, or BENCH_CPU_BUURTBORD_FLAGS instead. */
function buurtbordNodeFlags(): string[] {
	const flags = process.env.BENCH_CPU_BUURTBORD_FLAGS ?? startConfig().node_flags;
	return flags.split(/\s+/).filter(Boolean);
}

/**
 * The environment `npm start` adds for Buurtbord (glibc's malloc settings, `NAME=value` pairs), or
 * BENCH_CPU_BUURTBORD_ENV instead (e.g. "" for glibc's defaults).
 */
function buurtbordEnv(): Record<string, string> {
	const pairs = process.env.BENCH_CPU_BUURTBORD_ENV ?? startConfig().node_env;
	return Object.fromEntries(
		pairs
			.split(/\s+/)
			.filter(Boolean)
			.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])
	);
}

/**
 * The throwaway PostgreSQL 15 server for `buurtbord-postgres` (only in BENCH_CPU_KINDS when asked
 * for): started once, a new database for every run.
 */
let postgres: Promise<TestPostgres> | undefined;
let databases = 0;
async function freshDatabaseUrl(): Promise<string> {
	postgres ??= startPostgres();
	return (await postgres).createDatabase(`bench_cpu_${++databases}`);
}

async function startServerProcess(kind: string, boards: number) {
	const databaseUrl = kind === 'buurtbord-postgres' ? await freshDatabaseUrl() : undefined;
	const child = spawn(
		process.execPath,
		[
			// BENCH_CPU_PROF=<folder>: a V8 CPU profile of each server process, for finding where it goes.
			...(process.env.BENCH_CPU_PROF
				? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
				: []),
			// BENCH_CPU_NODE_FLAGS="--trace-gc …": V8/Node flags for the server processes, whose
			// output then goes to this process's stderr.
			...(process.env.BENCH_CPU_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []),
			// Buurtbord runs with the V8 flags and the environment `npm start` gives it (package.json
			// config.node_flags and config.node_env), or BENCH_CPU_BUURTBORD_FLAGS / _ENV instead.
			...(kind.startsWith('buurtbord') ? buurtbordNodeFlags() : []),
			...(process.env.BENCH_CPU_SNAPSHOT
				? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${process.env.BENCH_CPU_SNAPSHOT}`]
				: []),
			...(await serverEntry()),
			kind,
			String(boards)
		],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
			env: {
				...process.env,
				LOG_LEVEL: 'warn',
				...(kind.startsWith('buurtbord') ? buurtbordEnv() : {}),
				...(databaseUrl ? { BENCH_CPU_DATABASE_URL: databaseUrl } : {})
			}
		}
	);
	const url = await withTimeout(
		new Promise<string>((resolve, reject) => {
			let out = '';
			child.stdout!.on('data', (d: Buffer) => {
				out += d.toString();
				if (process.env.BENCH_CPU_NODE_FLAGS) process.stderr.write(d);
				const line = out.split('\n').find((l) => l.startsWith('{"url"'));
				if (line) resolve((JSON.parse(line) as { url: string }).url);
			});
			child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
		}),
		120_000,
		`starting the ${kind} server`
	);
	return {
		pid: child.pid!,
		url,
		async stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await withTimeout(exited, 20_000, `stopping the ${kind} server`).catch(() =>
				child.kill('SIGKILL')
			);
		}
	};
}

async function measure(
	kind: Kind,
	clientCount: number,
	boardCount: number,
	seconds: number
): Promise<CpuRow> {
	const server = await startServerProcess(kind, boardCount);
	const clients: BenchClient[] = [];
	try {
		// Empty boards for every server: the demo board (spoorbuurt) holds its story in Buurtbord
		// and nothing in the others.
		const room = (i: number) => `bench-${i % boardCount}`;
		// In batches: each upgrade checks the session and membership in the database first.
		for (let i = 0; i < clientCount; i += 50) {
			const batch = Array.from({ length: Math.min(50, clientCount - i) }, (_, j) =>
				openBenchClient(kind, server.url, room(i + j))
			);
			clients.push(...batch);
			await Promise.all(batch.map((c) => c.synced(180_000)));
		}
		// Each client adds a pin every 2 s, spread evenly over the interval.
		let edits = 0;
		const editRounds = async (first: number, count: number) => {
			const started = performance.now();
			for (let round = 0; round < count; round++) {
				for (let i = 0; i < clients.length; i++) {
					const due = started + round * 2000 + (i * 2000) / clients.length;
					const wait = due - performance.now();
					if (wait > 1) await sleep(wait);
					const r = first + round;
					clients[i]!.doc.getMap('pins').set(`c${i}-r${r}`, newPin(r * clientCount + i));
					edits++;
				}
			}
		};
		// One round not counted (each server's code paths compiled and warm, as on a server that
		// has run for a while), and the writes it caused done (Hocuspocus stores 2 s after the
		// last change).
		await editRounds(0, 1);
		await sleep(3000);
		edits = 0;
		const cpuBefore = cpuUs(server.pid);
		const threadsBefore = threadCpuUs(server.pid);
		const faultsBefore = faultsAndSwitches(server.pid);
		await editRounds(1, Math.round(seconds / 2));
		// Let the server finish (broadcasts, debounced writes: Hocuspocus stores 2 s after the
		// last change, Buurtbord within 0.5 s).
		await sleep(3000);
		const cpu = cpuUs(server.pid) - cpuBefore;
		if (process.env.BENCH_CPU_THREADS === '1') {
			const parts = [...threadCpuUs(server.pid)]
				.map(([name, us]) => [name, us - (threadsBefore.get(name) ?? 0)] as const)
				.filter(([, us]) => us > 0)
				.map(([name, us]) => `${name} ${Math.round(us / edits)} µs`);
			console.error(
				`${NAMES[kind]}, ${clientCount} clients: CPU per edit by thread: ${parts.join(', ')}`
			);
			const after = faultsAndSwitches(server.pid);
			const per = (k: keyof typeof after) => ((after[k] - faultsBefore[k]) / edits).toFixed(1);
			console.error(
				`${NAMES[kind]}, ${clientCount} clients: per edit: minor page faults ${per('minflt')}, context switches ${per('voluntary')} voluntary, ${per('involuntary')} involuntary`
			);
		}
		const memory = memoryMb(server.pid);
		// BENCH_CPU_SNAPSHOT=<folder>: a V8 heap snapshot of each server after the load, for
		// finding what its JavaScript heap holds (written into that folder by the server process).
		if (process.env.BENCH_CPU_SNAPSHOT) {
			writeFileSync(
				`${process.env.BENCH_CPU_SNAPSHOT}/${kind}-${clientCount}.smaps`,
				readFileSync(`/proc/${server.pid}/smaps`)
			);
			// Its memory by heap space on stderr (bench/cpu-server.ts), before the snapshot adds its own.
			process.kill(server.pid, 'SIGWINCH');
			await sleep(500);
			const before = new Set(readdirSync(process.env.BENCH_CPU_SNAPSHOT));
			process.kill(server.pid, 'SIGUSR2');
			// The snapshot is written once its file exists and has stopped growing.
			const size = () => {
				const file = readdirSync(process.env.BENCH_CPU_SNAPSHOT!).find((f) => !before.has(f));
				return file ? statSync(`${process.env.BENCH_CPU_SNAPSHOT}/${file}`).size : -1;
			};
			for (let last = -1, now = size(); now <= 0 || now !== last; last = now, now = size()) {
				await sleep(1000);
			}
		}
		return {
			server: NAMES[kind],
			clients: clientCount,
			boards: boardCount,
			edits,
			cpuPerEditUs: cpu / edits,
			rssMb: memory.rss,
			peakRssMb: memory.peak
		};
	} finally {
		clients.forEach((c) => c.close());
		await server.stop();
	}
}

export async function benchCpu(
	log: (m: string) => void,
	{ seconds = 20 }: { seconds?: number } = {}
): Promise<CpuRow[]> {
	const rows: CpuRow[] = [];
	// BENCH_CPU_ONLY=30 or =500: one of the two loads.
	const only = Number(process.env.BENCH_CPU_ONLY || 0);
	for (const [clients, boards] of (
		[
			[30, 1],
			[500, 50]
		] as const
	).filter(([c]) => !only || c === only)) {
		// BENCH_CPU_KINDS=buurtbord,hocuspocus: only these servers (e.g. for a profile of one).
		// `buurtbord-postgres` (Buurtbord on a throwaway PostgreSQL 15, which the bench starts) only
		// when named here.
		const kinds = (process.env.BENCH_CPU_KINDS || 'reference,hocuspocus,buurtbord').split(',');
		for (const kind of (
			['reference', 'hocuspocus', 'buurtbord', 'buurtbord-postgres'] as const
		).filter((k) => kinds.includes(k))) {
			log(`cpu: ${kind}, ${clients} clients on ${boards} board(s), ${seconds} s`);
			rows.push(await measure(kind, clients, boards, seconds));
			log(JSON.stringify(rows.at(-1)));
		}
	}
	if (postgres) await (await postgres).stop();
	return rows;
}

export function cpuTable(rows: CpuRow[]): string {
	const find = (kind: Kind, r: CpuRow) =>
		rows.find((x) => x.server === NAMES[kind] && x.clients === r.clients);
	const ratio = (r: CpuRow, kind: Kind, key: 'cpuPerEditUs' | 'rssMb') => {
		const base = find(kind, r);
		return !base || base === r ? '' : `${(r[key] / base[key]).toFixed(2)}×`;
	};
	return table(
		[
			'server',
			'clients',
			'boards',
			'edits',
			'CPU/edit',
			'vs hocuspocus',
			'vs ref',
			'RSS',
			'peak RSS',
			'RSS vs hocuspocus',
			'RSS vs ref'
		],
		rows.map((r) => [
			r.server,
			r.clients,
			r.boards,
			r.edits,
			`${r.cpuPerEditUs.toFixed(0)} µs`,
			r.server === NAMES.reference ? '' : ratio(r, 'hocuspocus', 'cpuPerEditUs'),
			ratio(r, 'reference', 'cpuPerEditUs'),
			`${r.rssMb.toFixed(0)} MB`,
			`${r.peakRssMb.toFixed(0)} MB`,
			r.server === NAMES.reference ? '' : ratio(r, 'hocuspocus', 'rssMb'),
			ratio(r, 'reference', 'rssMb')
		])
	);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const seconds = Number(process.env.BENCH_CPU_SECONDS || 20);
	const rows = await benchCpu((m) => console.error(`[bench cpu] ${m}`), { seconds });
	console.log(cpuTable(rows));
	console.log(JSON.stringify({ cpu: rows, node: process.version }));
	process.exit(0);
}
