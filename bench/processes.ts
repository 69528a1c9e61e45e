/**
 * Edit-to-seen latency with 30 clients on one board: all on one server process (no Redis), against
 * split 15 + 15 over two processes behind Redis (REDIS_URL), in the same run, alternating rounds.
 * Real server processes (server/index.ts with the built app: `npm run build` first) on one
 * throwaway PostgreSQL 15, a throwaway redis-server (Debian package), y-websocket clients in this
 * process. Run: `node --import tsx bench/processes.ts` (BENCH_ROUNDS, BENCH_EDITS to change).
 */
import { freshClients } from './processes-setup';
import { measureLatency } from './lib/clients';
import { summarize } from './lib/util';

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const edits = Number(process.env.BENCH_EDITS ?? 200);
const CLIENTS = 30;

const setup = await freshClients();
const results: Record<'one process' | 'two processes (Redis)', number[]> = {
	'one process': [],
	'two processes (Redis)': []
};
const allSeen: Record<keyof typeof results, number[]> = {
	'one process': [],
	'two processes (Redis)': []
};
try {
	for (let round = 0; round < rounds; round++) {
		for (const [label, urls] of [
			['one process', [setup.single]],
			['two processes (Redis)', setup.pair]
		] as const) {
			process.stderr.write(`round ${round + 1}: ${label}\n`);
			const r = await measureLatency({
				url: urls[0]!,
				urls: [...urls],
				room: 'spoorbuurt',
				clients: CLIENTS,
				edits,
				warmup: 20,
				gapMs: 5,
				perEditTimeoutMs: 2_000,
				budgetMs: 60_000
			});
			if (r.timeouts > 0) process.stderr.write(`  ${r.timeouts} edits timed out\n`);
			results[label].push(...r.perClient);
			allSeen[label].push(...r.allSeen);
		}
	}
} finally {
	await setup.close();
}

const fmt = (n: number) => n.toFixed(1).padStart(7);
console.log(
	`\nEdit-to-seen, ${CLIENTS} clients on one board, ${rounds} rounds × ${edits} edits (ms)`
);
console.log('setup                     samples     p50     p95     p99   all-seen p95');
for (const label of Object.keys(results) as (keyof typeof results)[]) {
	const s = summarize(results[label]);
	const a = summarize(allSeen[label]);
	console.log(
		`${label.padEnd(24)} ${String(s.n).padStart(8)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.p99)} ${fmt(a.p95)}`
	);
}
const ratio =
	summarize(results['two processes (Redis)']).p95 / summarize(results['one process']).p95;
console.log(`p95 two processes / one process: ${ratio.toFixed(2)}×`);
console.log(
	`BENCH_JSON ${JSON.stringify({
		clients: CLIENTS,
		rounds,
		edits,
		onePerClient: summarize(results['one process']),
		twoPerClient: summarize(results['two processes (Redis)']),
		load: (await import('node:os')).loadavg()
	})}`
);
process.exit(0);
