import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * PGlite is a single-process database: two processes opening the same data folder corrupt it.
 * Whoever opens it (the server, the CLI) first takes `<dataDir>.lock`, holding its pid; a lock
 * whose process is gone (a crash, SIGKILL) is stale and taken over.
 */
export interface DataDirLock {
	readonly path: string;
	release(): void;
}

export interface LockHolder {
	pid: number;
	/** What holds it: "server" or "cli". */
	holder: string;
	since: string;
}

export class DataDirLockedError extends Error {
	constructor(
		readonly lockPath: string,
		readonly holder: LockHolder
	) {
		super(
			`The database in ${lockPath.replace(/\.lock$/, '')} is in use by another Buurtbord process ` +
				`(${holder.holder}, pid ${holder.pid}); stop that first (lock file: ${lockPath}).`
		);
		this.name = 'DataDirLockedError';
	}
}

export function lockPathFor(dataDir: string): string {
	return `${resolve(dataDir)}.lock`;
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		// EPERM: it exists but belongs to someone else.
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Who holds the lock now, or null when nobody (or only a dead process) does. */
export function readLiveHolder(dataDir: string): LockHolder | null {
	const holder = readHolder(lockPathFor(dataDir));
	return holder && holder.pid !== process.pid && isAlive(holder.pid) ? holder : null;
}

function readHolder(path: string): LockHolder | null {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return null;
	}
	try {
		const parsed = JSON.parse(text) as Partial<LockHolder>;
		if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
			return {
				pid: parsed.pid,
				holder: String(parsed.holder ?? 'unknown'),
				since: String(parsed.since ?? '')
			};
		}
	} catch {
		// A half-written or foreign file: treated as stale below.
	}
	return null;
}

/**
 * Takes the lock for a PGlite data folder, or throws DataDirLockedError while a live process holds
 * it. The lock is also released when this process exits normally.
 */
export function acquireDataDirLock(dataDir: string, holder: string): DataDirLock {
	const path = lockPathFor(dataDir);
	mkdirSync(dirname(path), { recursive: true });
	const mine: LockHolder = { pid: process.pid, holder, since: new Date().toISOString() };
	for (let attempt = 0; ; attempt++) {
		try {
			writeFileSync(path, JSON.stringify(mine) + '\n', { flag: 'wx' });
			break;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw err;
		}
		const current = readHolder(path);
		// Our own pid: an earlier open in this process that was not released (a dev server restart).
		if (current && current.pid !== process.pid && isAlive(current.pid)) {
			throw new DataDirLockedError(path, current);
		}
		try {
			unlinkSync(path);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
		}
	}
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		process.off('exit', release);
		// Only our own lock: never one another process took over meanwhile.
		if (readHolder(path)?.pid !== process.pid) return;
		try {
			unlinkSync(path);
		} catch {
			// Already gone.
		}
	};
	process.on('exit', release);
	return { path, release };
}
