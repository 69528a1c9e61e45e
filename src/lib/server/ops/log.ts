import { pino, type Logger } from 'pino';

/**
 * The server's log: one JSON object per line on stdout (pino), for a log collector to read.
 * Messages name things by id (board, document, file) and say what happened; they never quote data
 * (no names, notes, email addresses, links or tokens). `LOG_LEVEL` sets the level (default info).
 */
const KEY = Symbol.for('buurtbord.logger');
type WithLogger = typeof globalThis & { [KEY]?: Logger };

/** One logger per process, shared by the entry and the SvelteKit bundle (separate module graphs). */
export function logger(): Logger {
	const g = globalThis as WithLogger;
	g[KEY] ??= pino({
		level: process.env.LOG_LEVEL || 'info',
		base: { pid: process.pid },
		timestamp: pino.stdTimeFunctions.isoTime
	});
	return g[KEY];
}

/** A `(message) => void` logger for one component, as the sync server and hooks take. */
export function componentLog(component: string, level: 'info' | 'warn' = 'info') {
	return (message: string) => logger()[level]({ component }, message);
}
