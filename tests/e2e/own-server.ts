import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A server of a test's own (not the shared webServer): for tests that kill it or need other
 * settings. Same entry as production: node --import tsx server/index.ts serving build/.
 */
export class OwnServer {
	private child: ChildProcess | null = null;

	constructor(
		readonly port: number,
		private readonly env: Record<string, string>
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
			env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', ...this.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		let output = '';
		await new Promise<void>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('[buurtbord] listening on')) resolve();
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', onData);
			child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
		});
	}

	/** Stops it like a crash (SIGKILL), or gracefully (SIGTERM). */
	async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = once(child, 'exit');
		child.kill(signal);
		await exited;
	}
}
