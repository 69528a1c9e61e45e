import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/server-process';

/**
 * The README's first command, as a user runs it: `npm start` on a new data folder bundles the
 * server, starts it with plain `node`, the flags in package.json's `config.node_flags` and the
 * environment in `config.node_env`, and serves the demo board. (The other tests start the same
 * bundle under a name of their own, build/buurtbord-test.js.) `npm test` builds the app first, so `npm start` finds a current
 * build and only bundles the server.
 */
describe('npm start', () => {
	const dataDir = tempDataDir({ empty: true });
	let stop: (() => Promise<void>) | undefined;
	afterAll(async () => {
		await stop?.();
		rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
	});

	it('starts the bundled server with the configured V8 flags and malloc settings, on a new data folder', async () => {
		const child = spawn('npm', ['start'], {
			env: { ...process.env, PORT: '0', HOST: '127.0.0.1', BUURTBORD_DATA_DIR: dataDir },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true
		});
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		stop = async () => {
			if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
			await exited;
		};
		let out = '';
		child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		// The server's log line: `{"pid":…,"port":…,"msg":"[buurtbord] listening on …"}`.
		await expect
			.poll(() => /"pid":\d+,"port":\d+,.*listening on/.test(out), { timeout: 150_000 })
			.toBe(true);
		const line = out.split('\n').find((l) => l.includes('listening on'))!;
		const { pid, port } = JSON.parse(line) as { pid: number; port: number };

		const config = (
			JSON.parse(readFileSync('package.json', 'utf8')) as {
				config: { node_flags: string; node_env: string };
			}
		).config;
		const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		expect(argv.slice(1)).toEqual([...config.node_flags.split(/\s+/), 'build/buurtbord.js', '']);
		// glibc's malloc settings reach the server process.
		const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
		expect(config.node_env.trim()).not.toBe('');
		for (const pair of config.node_env.split(/\s+/)) expect(environ).toContain(pair);

		const health = await fetch(`http://127.0.0.1:${port}/healthz`);
		expect(health.status).toBe(200);
		expect(out).toContain('created the demo board');
	}, 180_000);
});
