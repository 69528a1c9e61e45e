import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/** A throwaway PostgreSQL 15 server, started from the Debian package's binaries. */
export interface TestPostgres {
	url: string;
	/** Creates a fresh, empty database on this server and returns its URL. */
	createDatabase(name?: string): Promise<string>;
	stop(): Promise<void>;
	/** Stops the server as a crash would (pg_ctl -m immediate), keeping its data: an outage. */
	pause(): void;
	/** Starts it again on the same port and data after pause(). */
	resume(): void;
	/** Freezes the server and its backends (SIGSTOP): connections open, nothing answers. */
	freeze(): void;
	/** Lets a frozen server run on (SIGCONT). */
	thaw(): void;
}

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

/** initdb refuses to run as root, so as root the server runs as the postgres user. */
function asPostgresUser(cmd: string, args: string[]): string[] {
	if (process.getuid?.() !== 0) return [cmd, ...args];
	return ['runuser', '-u', 'postgres', '--', cmd, ...args];
}

function run(cmd: string, args: string[]): void {
	const [bin, ...rest] = asPostgresUser(cmd, args);
	const res = spawnSync(bin!, rest, { encoding: 'utf8' });
	if (res.status !== 0) {
		throw new Error(`${cmd} failed (${res.status}): ${res.stderr || res.stdout}`);
	}
}

export async function startPostgres(): Promise<TestPostgres> {
	if (!existsSync(join(BIN, 'initdb'))) {
		throw new Error(`PostgreSQL 15 not found in ${BIN}: install the Debian package postgresql-15`);
	}
	const dir = mkdtempSync(join(tmpdir(), 'buurtbord-pg-'));
	chmodSync(dir, 0o700);
	if (process.getuid?.() === 0) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, uid, gid);
	}
	const data = join(dir, 'data');
	run(join(BIN, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-sync'
	]);
	const port = await freePort();
	const start = () =>
		run(join(BIN, 'pg_ctl'), [
			'-D',
			data,
			'-w',
			'-l',
			join(dir, 'server.log'),
			'-o',
			// fsync off (the machine does not crash in a test), but commits are written to the WAL
			// before they are acknowledged: pause() stops the server as a crash would, and a commit
			// the server was told about must survive that, as on a real PostgreSQL.
			`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
			'start'
		]);
	start();
	/** The postmaster and its children (backends, background workers), by pid. */
	const pids = (): number[] => {
		const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
		const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
			.stdout.split('\n')
			.filter(Boolean)
			.map(Number);
		return [postmaster, ...children];
	};
	const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
	let counter = 0;
	return {
		url,
		async createDatabase(name) {
			const db = name ?? `t_${process.pid}_${Date.now()}_${counter++}`;
			const sql = postgres(url, { max: 1, onnotice: () => {} });
			await sql.unsafe(`create database "${db}"`);
			await sql.end();
			return `postgres://postgres@127.0.0.1:${port}/${db}`;
		},
		pause() {
			run(join(BIN, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop']);
		},
		resume() {
			start();
		},
		freeze() {
			for (const pid of pids()) process.kill(pid, 'SIGSTOP');
		},
		thaw() {
			for (const pid of pids()) process.kill(pid, 'SIGCONT');
		},
		async stop() {
			try {
				// Not running after a pause() that was not resumed.
				if (existsSync(join(data, 'postmaster.pid'))) {
					run(join(BIN, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop']);
				}
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
