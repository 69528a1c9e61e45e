import { spawn } from 'node:child_process';
import type { ServerProcess } from './server-process';

/**
 * `npm run buurtbord -- …` as a user runs it: a child process on the same PGlite data folder the
 * server uses; what it creates is checked by signing in on the real server afterwards.
 */
export interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function cli(
	dataDir: string,
	args: string[],
	opts: { password?: string; stdin?: string } = {}
) {
	return new Promise<Run>((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
			env: {
				...process.env,
				DATABASE_URL: '',
				BUURTBORD_DATA_DIR: dataDir,
				BUURTBORD_PASSWORD: opts.password ?? ''
			},
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(opts.stdin ?? '');
	});
}

export async function signIn(server: ServerProcess, email: string, password: string) {
	const response = await fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: server.url,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password, next: '/boards/spoorbuurt' })
	});
	const cookie = /buurtbord_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
	return { status: response.status, location: response.headers.get('location'), cookie };
}
