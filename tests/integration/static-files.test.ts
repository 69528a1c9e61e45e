import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * A new build put in place under a running server removes the old build's files while pages that
 * load them are still open. Reading such a file failed inside the static file server with an
 * unhandled error, which ended the whole process (a tester's server went down so).
 */
describe('a static file removed under the running server', () => {
	let server: ServerProcess;
	let build: string;

	beforeAll(async () => {
		// Inside the project, so that the copy's server code finds its packages.
		const cache = join('node_modules', '.cache');
		mkdirSync(cache, { recursive: true });
		build = mkdtempSync(join(cache, 'buurtbord-build-copy-'));
		cpSync(process.env.BUURTBORD_BUILD_DIR || 'build', build, { recursive: true });
		server = await startServer({ extra: { BUURTBORD_BUILD_DIR: build } });
	}, 120_000);

	afterAll(async () => {
		await server?.stop('SIGKILL');
		rmSync(build, { recursive: true, force: true });
	});

	it('fails that response only; the server goes on', async () => {
		const dir = join(build, 'client/_app/immutable/entry');
		const file = readdirSync(dir).find((f) => f.endsWith('.js'))!;
		for (const ext of ['', '.br', '.gz']) rmSync(join(dir, file + ext), { force: true });
		const url = `${server.url}/_app/immutable/entry/${file}`;
		for (const encoding of ['br', 'gzip', 'identity']) {
			const res = await fetch(url, { headers: { 'accept-encoding': encoding } }).catch(() => null);
			// Either an error status, or a response cut off: never the file.
			if (res) await res.arrayBuffer().catch(() => null);
		}
		expect(server.child.exitCode).toBeNull();
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
		expect(server.output()).toContain('static file unreadable');
	}, 60_000);
});
