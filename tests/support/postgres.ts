import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
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
	run(join(BIN, 'pg_ctl'), [
		'-D',
		data,
		'-w',
		'-l',
		join(dir, 'server.log'),
		'-o',
		`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
		'start'
	]);
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
		async stop() {
			try {
				run(join(BIN, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
