import type { Db } from './db';

/**
 * The process-wide services, created once by the Node entry (server/index.ts) or the Vite dev
 * plugin and shared with SvelteKit's request handling. They live on globalThis because the
 * SvelteKit bundle and the entry are separate module graphs in one process: a second PGlite on
 * the same data folder would corrupt it.
 */
export interface Runtime {
	db: Db;
}

const KEY = Symbol.for('buurtbord.runtime');
type WithRuntime = typeof globalThis & { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
	(globalThis as WithRuntime)[KEY] = runtime;
}

export function getRuntime(): Runtime {
	const runtime = (globalThis as WithRuntime)[KEY];
	if (!runtime)
		throw new Error('Buurtbord runtime not started (run through server/index.ts or vite dev)');
	return runtime;
}
