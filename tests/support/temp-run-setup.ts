import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every temporary folder of the run (PGlite data folders, the PostgreSQL 15
 * cluster, spill and outbox folders, servers' own folders) is made under one folder of this run,
 * removed when the run ends. Test workers and the servers they start inherit TMPDIR, so a test
 * that forgets to clean up cannot fill the disk of the machine over many runs.
 */
export default function setup(): () => void {
	const previous = process.env.TMPDIR;
	const runDir = mkdtempSync(join(tmpdir(), 'buurtbord-test-run-'));
	// The PostgreSQL 15 cluster runs as the postgres user when the tests run as root: it must be
	// able to reach its own folder inside this one.
	chmodSync(runDir, 0o755);
	process.env.TMPDIR = runDir;
	return () => {
		if (previous === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = previous;
		rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
	};
}
