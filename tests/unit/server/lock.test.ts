import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	acquireDataDirLock,
	DataDirLockedError,
	lockPathFor,
	readLiveHolder
} from '../../../src/lib/server/db/lock';

let root: string;
let dataDir: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'buurtbord-lock-'));
	dataDir = join(root, 'pglite');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await once(child, 'exit');
	return child.pid!;
}

describe('the PGlite data folder lock', () => {
	it('is a file next to the folder with our pid, removed on release', () => {
		const lock = acquireDataDirLock(dataDir, 'server');
		expect(lock.path).toBe(`${dataDir}.lock`);
		expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({
			pid: process.pid,
			holder: 'server'
		});
		lock.release();
		expect(existsSync(lockPathFor(dataDir))).toBe(false);
	});

	it('refuses while a live process holds it, naming it', () => {
		// The parent of this test process is alive and is not us.
		writeFileSync(
			lockPathFor(dataDir),
			JSON.stringify({ pid: process.ppid, holder: 'server', since: 'x' })
		);
		expect(readLiveHolder(dataDir)).toMatchObject({ pid: process.ppid, holder: 'server' });
		let thrown: unknown;
		try {
			acquireDataDirLock(dataDir, 'cli');
		} catch (err) {
			thrown = err;
		}
		expect(thrown).toBeInstanceOf(DataDirLockedError);
		expect((thrown as Error).message).toContain(`pid ${process.ppid}`);
		// Still theirs.
		expect(JSON.parse(readFileSync(lockPathFor(dataDir), 'utf8')).pid).toBe(process.ppid);
	});

	it('takes over the lock of a process that died (a crash, kill -9) or a garbled file', async () => {
		const pid = await deadPid();
		writeFileSync(lockPathFor(dataDir), JSON.stringify({ pid, holder: 'server', since: 'x' }));
		expect(readLiveHolder(dataDir)).toBeNull();
		const lock = acquireDataDirLock(dataDir, 'cli');
		expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
		lock.release();

		writeFileSync(lockPathFor(dataDir), 'not json');
		const again = acquireDataDirLock(dataDir, 'cli');
		again.release();
		expect(existsSync(lockPathFor(dataDir))).toBe(false);
	});

	it('release leaves a lock alone that another process took over meanwhile', () => {
		const lock = acquireDataDirLock(dataDir, 'server');
		writeFileSync(lock.path, JSON.stringify({ pid: process.ppid, holder: 'cli', since: 'x' }));
		lock.release();
		expect(existsSync(lock.path)).toBe(true);
	});
});
