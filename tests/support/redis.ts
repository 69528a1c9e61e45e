import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres';

/** A throwaway redis-server (the Debian package's binary) on a free port, in a temp folder. */
export interface TestRedis {
	url: string;
	/** Kills the server (an outage); `resume` starts it again on the same port. */
	pause(): Promise<void>;
	resume(): Promise<void>;
	stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
	const dir = mkdtempSync(join(tmpdir(), 'buurtbord-redis-'));
	const port = await freePort();
	let child: ChildProcess;
	let exited: Promise<void>;
	const launch = async () => {
		child = spawn(
			process.env.REDIS_SERVER ?? 'redis-server',
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--dir',
				dir,
				'--save',
				'',
				'--appendonly',
				'no'
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let out = '';
		exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`redis-server did not start:\n${out}`)),
				10_000
			);
			child.once('error', (err) => {
				clearTimeout(timer);
				reject(
					new Error(`redis-server could not run (install the Debian package): ${err.message}`)
				);
			});
			child.stdout!.on('data', (d: Buffer) => {
				out += d.toString();
				if (out.includes('Ready to accept connections')) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		});
	};
	const kill = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await exited;
		}
	};
	await launch();
	return {
		url: `redis://127.0.0.1:${port}`,
		pause: kill,
		resume: launch,
		async stop() {
			await kill();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
