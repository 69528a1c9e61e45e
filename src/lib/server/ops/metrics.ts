import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { persistenceBacklog, persistenceCounters } from '../sync/persistence';
import { publicCacheSize } from '../public/store';

/** Counted where it happens (postgres-hooks.ts), read by /metrics. */
export const syncCounters = { updates: 0, refused: 0 };

export interface MetricsSources {
	sync: { connections: number; loadedBoards: number };
	db: { isUp: boolean; failures: number };
}

/** A counter whose value lives elsewhere (a plain number), exported as a Prometheus counter. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number) {
	let last = 0;
	new Counter({
		name,
		help,
		registers: [registry],
		collect() {
			const now = read();
			if (now > last) this.inc(now - last);
			last = now;
		}
	});
}

function gauge(registry: Registry, name: string, help: string, read: () => number) {
	new Gauge({
		name,
		help,
		registers: [registry],
		collect() {
			this.set(read());
		}
	});
}

/** How often the event loop lag is sampled (ms). */
export const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The Prometheus registry of one server process: process metrics (CPU, memory, event loop lag,
 * prefixed `buurtbord_`) and the sync server's own. No label carries a board id or anything else
 * that names people or places.
 */
export function createMetrics(sources: MetricsSources): Registry {
	const registry = new Registry();
	collectDefaultMetrics({
		register: registry,
		prefix: 'buurtbord_',
		// The event loop lag is sampled by a timer that wakes the process this often. prom-client's
		// 10 ms woke an idle server 100 times a second; under the bench's 30 editing clients the
		// event loop turned 2,280 times in 10 s with it and 625 times with 100 ms (strace). A block
		// of the loop longer than this still shows in full.
		eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS
	});
	gauge(
		registry,
		'buurtbord_sync_connections',
		'Open sync websocket connections',
		() => sources.sync.connections
	);
	gauge(
		registry,
		'buurtbord_boards_loaded',
		'Documents (boards, organisation notes) loaded in memory',
		() => sources.sync.loadedBoards
	);
	gauge(
		registry,
		'buurtbord_public_cache_boards',
		'Boards whose public projection the public pages keep in memory (published ones only)',
		publicCacheSize
	);
	mirroredCounter(
		registry,
		'buurtbord_document_updates_total',
		'Document updates applied from clients',
		() => syncCounters.updates
	);
	mirroredCounter(
		registry,
		'buurtbord_updates_refused_total',
		'Client updates refused by validation',
		() => syncCounters.refused
	);
	mirroredCounter(
		registry,
		'buurtbord_storage_writes_total',
		'Merged updates written to the database',
		() => persistenceCounters.stored
	);
	mirroredCounter(
		registry,
		'buurtbord_storage_write_failures_total',
		'Failed (to be retried) database writes',
		() => persistenceCounters.failed
	);
	gauge(
		registry,
		'buurtbord_storage_pending_documents',
		'Documents with edits not yet stored',
		() => persistenceBacklog().documents
	);
	gauge(
		registry,
		'buurtbord_storage_pending_updates',
		'Updates not yet stored',
		() => persistenceBacklog().updates
	);
	gauge(
		registry,
		'buurtbord_storage_pending_bytes',
		'Bytes of updates not yet stored',
		() => persistenceBacklog().bytes
	);
	gauge(
		registry,
		'buurtbord_storage_lag_seconds',
		'Age of the oldest edit not yet stored (0: all stored)',
		() => persistenceBacklog().oldestMs / 1000
	);
	gauge(
		registry,
		'buurtbord_database_up',
		'Whether the database answered the last readiness ping (1) or not (0)',
		() => (sources.db.isUp ? 1 : 0)
	);
	mirroredCounter(
		registry,
		'buurtbord_database_ping_failures_total',
		'Readiness pings that failed or timed out',
		() => sources.db.failures
	);
	return registry;
}
