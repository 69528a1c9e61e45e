/** 1. Edit-to-seen latency with 2, 10 and 30 clients on one board over loopback. */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { measureLatency, newPin, type LatencyOptions, type LatencyResult } from './lib/clients';
import { startBuurtbordServer, startReferenceServer } from './lib/servers';
import { summarize, type Summary } from './lib/util';
import type { ClientWorker } from './lib/worker';

export const CLIENT_COUNTS = [2, 10, 30];
export const ROOM = 'spoorbuurt';

export interface LatencyRow {
	server:
		'buurtbord (pglite)' | 'buurtbord (postgres)' | 'y-websocket-server' | 'raw Yjs (no network)';
	clients: number;
	perClient: Summary;
	allSeen: Summary;
	edits: number;
	timeouts: number;
	stoppedEarly: boolean;
}

export interface LatencySettings {
	edits: number;
	warmup: number;
	gapMs: number;
	/** 'worker': clients in a worker thread (server and clients on separate cores); 'inline': same thread. */
	clientsIn: 'worker' | 'inline';
}

function row(server: LatencyRow['server'], r: LatencyResult): LatencyRow {
	return {
		server,
		clients: r.clients,
		perClient: summarize(r.perClient),
		allSeen: summarize(r.allSeen),
		edits: r.edits,
		timeouts: r.timeouts,
		stoppedEarly: r.stoppedEarly
	};
}

/**
 * The floor: the same edits between in-process Y.Docs, each update applied to the others directly
 * (encode + apply, no network, no server).
 */
export function rawYjsLatency(clients: number, edits: number, warmup: number): LatencyRow {
	const docs = Array.from({ length: clients }, () => new Y.Doc());
	const perClient: number[] = [];
	const allSeen: number[] = [];
	for (let i = 0; i < warmup + edits; i++) {
		const writer = i % clients;
		const lat: number[] = [];
		const t0 = performance.now();
		const onUpdate = (update: Uint8Array) => {
			for (let j = 0; j < clients; j++) {
				if (j === writer) continue;
				Y.applyUpdate(docs[j]!, update);
				lat.push(performance.now() - t0);
			}
		};
		docs[writer]!.once('update', onUpdate);
		docs[writer]!.getMap('pins').set(`raw-${i}`, newPin(i));
		if (i >= warmup) {
			perClient.push(...lat);
			allSeen.push(Math.max(...lat));
		}
	}
	docs.forEach((d) => d.destroy());
	return {
		server: 'raw Yjs (no network)',
		clients,
		perClient: summarize(perClient),
		allSeen: summarize(allSeen),
		edits,
		timeouts: 0,
		stoppedEarly: false
	};
}

export async function benchLatency(
	worker: ClientWorker | undefined,
	s: LatencySettings,
	/** A database per driver to run Buurtbord on (each fresh: the board starts empty). */
	databases: { driver: 'pglite' | 'postgres'; databaseUrl?: string; dataDir: string }[],
	log: (m: string) => void
): Promise<LatencyRow[]> {
	const rows: LatencyRow[] = [];
	const run = (url: string, clients: number): Promise<LatencyResult> => {
		const options: LatencyOptions = {
			url,
			room: ROOM,
			clients,
			edits: s.edits,
			warmup: s.warmup,
			gapMs: s.gapMs,
			perEditTimeoutMs: 2_000,
			budgetMs: 60_000
		};
		return s.clientsIn === 'worker' && worker ? worker.latency(options) : measureLatency(options);
	};

	for (const n of CLIENT_COUNTS) rows.push(rawYjsLatency(n, s.edits, s.warmup));

	for (const db of databases) {
		const server = await startBuurtbordServer(db);
		try {
			for (const n of CLIENT_COUNTS) {
				log(`latency: Buurtbord on ${db.driver}, ${n} clients`);
				rows.push(row(`buurtbord (${db.driver})`, await run(server.url, n)));
			}
		} finally {
			await server.close();
		}
	}

	const reference = await startReferenceServer();
	try {
		for (const n of CLIENT_COUNTS) {
			log(`latency: @y/websocket-server, ${n} clients`);
			rows.push(row('y-websocket-server', await run(reference.url, n)));
		}
	} finally {
		await reference.close();
	}
	return rows;
}
