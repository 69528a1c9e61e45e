/**
 * 7. Presence cost (issue 9): 30 people on one board, each moving their cursor 20 times a second
 * (what the browser sends at most), against the same 30 without cursors: the sync server's CPU
 * (event-loop utilisation of its thread, and process CPU) and edit-to-seen latency.
 *
 * Standalone: `node --import tsx bench/presence.ts` (BENCH_QUICK=1 for a smoke run).
 */
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';
import { measureLatency, type LatencyOptions, type LatencyResult } from './lib/clients';
import { startBuurtbordServer, tempDataDir } from './lib/servers';
import { summarize, type Summary } from './lib/util';
import { ClientWorker } from './lib/worker';

export const PRESENCE_CLIENTS = 30;
export const CURSOR_HZ = 20;

export interface PresenceRow {
	cursors: 'still' | `${number}/s each`;
	clients: number;
	perClient: Summary;
	allSeen: Summary;
	edits: number;
	timeouts: number;
	/** Busy share of the server's thread (1 = one core fully busy). */
	serverElu: number;
	/** CPU time of the whole process (server + client worker) per wall second. */
	processCpu: number;
	/** Presence changes one client saw per second, and cursor moves all clients sent per second. */
	presenceSeenPerSecond: number | null;
	cursorMovesPerSecond: number | null;
}

export async function benchPresence(
	worker: ClientWorker | undefined,
	settings: { edits: number; warmup: number; gapMs: number },
	db: { databaseUrl?: string; dataDir: string },
	log: (m: string) => void
): Promise<PresenceRow[]> {
	const server = await startBuurtbordServer(db);
	const rows: PresenceRow[] = [];
	try {
		for (const hz of [0, CURSOR_HZ]) {
			log(`presence: ${PRESENCE_CLIENTS} clients, cursors ${hz ? `${hz}/s each` : 'still'}`);
			const options: LatencyOptions = {
				url: server.url,
				room: 'spoorbuurt',
				clients: PRESENCE_CLIENTS,
				edits: settings.edits,
				warmup: settings.warmup,
				gapMs: settings.gapMs,
				perEditTimeoutMs: 2_000,
				budgetMs: 60_000,
				cursorHz: hz
			};
			const elu0 = performance.eventLoopUtilization();
			const cpu0 = cpuUsage();
			const t0 = performance.now();
			const r: LatencyResult = worker
				? await worker.latency(options)
				: await measureLatency(options);
			const wall = (performance.now() - t0) / 1000;
			const elu = performance.eventLoopUtilization(elu0);
			const cpu = cpuUsage(cpu0);
			rows.push({
				cursors: hz ? `${hz}/s each` : 'still',
				clients: r.clients,
				perClient: summarize(r.perClient),
				allSeen: summarize(r.allSeen),
				edits: r.edits,
				timeouts: r.timeouts,
				serverElu: elu.utilization,
				processCpu: (cpu.user + cpu.system) / 1e6 / wall,
				presenceSeenPerSecond:
					r.presenceSeenByOne !== undefined && r.seconds ? r.presenceSeenByOne / r.seconds : null,
				cursorMovesPerSecond:
					r.cursorMovesSent !== undefined && r.seconds ? r.cursorMovesSent / r.seconds : null
			});
		}
	} finally {
		await server.close();
	}
	return rows;
}

export function presenceLines(rows: PresenceRow[]): string[] {
	const f = (n: number, d = 2) => n.toFixed(d);
	return rows.map(
		(r) =>
			`   cursors ${r.cursors.padEnd(9)} ${r.clients} clients, ${r.edits} edits (${r.timeouts} timeouts): ` +
			`per-client p50 ${f(r.perClient.p50)} ms, p95 ${f(r.perClient.p95)} ms; all-seen p95 ${f(r.allSeen.p95)} ms; ` +
			`server thread busy ${f(r.serverElu * 100, 0)}%, process CPU ${f(r.processCpu * 100, 0)}% of a core` +
			(r.cursorMovesPerSecond !== null
				? `; cursor moves sent ${f(r.cursorMovesPerSecond, 0)}/s, presence changes seen by one client ${f(r.presenceSeenPerSecond ?? 0, 0)}/s`
				: '')
	);
}

// Standalone run.
if (import.meta.url === `file://${process.argv[1]}`) {
	const quick = process.env.BENCH_QUICK === '1';
	const dir = tempDataDir();
	const worker = await ClientWorker.start();
	try {
		const rows = await benchPresence(
			worker,
			{ edits: quick ? 40 : 200, warmup: quick ? 5 : 20, gapMs: 5 },
			{ dataDir: dir.dir },
			(m) => console.error(`[bench] ${m}`)
		);
		console.log('7. Presence cost: 30 clients on one board, edit-to-seen with and without cursors');
		for (const line of presenceLines(rows)) console.log(line);
		console.log(JSON.stringify({ presence: rows }));
	} finally {
		await worker.stop();
		dir.remove();
	}
}
