import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPathFor } from '../../src/lib/server/db/lock';
import { testServerEntry } from '../../server/bundle';

/** The real Buurtbord server (server/index.ts with the built app) as a child process. */
export interface ServerProcess {
	port: number;
	url: string;
	child: ChildProcess;
	/** Everything the process printed so far. */
	output(): string;
	/** Sends a signal and waits for the process to end. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServerEnv {
	/** PGlite data folder; a new temp folder when neither this nor databaseUrl is given. */
	dataDir?: string;
	databaseUrl?: string;
	/** 0 picks a free port. */
	port?: number;
	extra?: Record<string, string>;
}

/** Where vitest's global setup keeps a migrated PGlite data folder (see global-postgres.ts). */
export const PGLITE_TEMPLATE_ENV = 'BUURTBORD_TEST_PGLITE_TEMPLATE';

/** The data folders tempDataDir made in this test file, removed after it (see cleanup-setup.ts). */
const madeDataDirs: string[] = [];

/**
 * A new PGlite data folder for a test: a copy of the run's migrated template where there is one
 * (under vitest), so that opening it skips the migrations; empty otherwise (or with `empty`).
 */
export function tempDataDir({ empty = false }: { empty?: boolean } = {}): string {
	const dir = mkdtempSync(join(tmpdir(), 'buurtbord-data-'));
	madeDataDirs.push(dir);
	if (!empty) fillFromTemplate(dir);
	return dir;
}

/** Removes the data folders tempDataDir made so far (their servers and databases closed by then). */
export function removeTempDataDirs(): void {
	for (const dir of madeDataDirs.splice(0)) {
		rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
		rmSync(lockPathFor(dir), { force: true });
	}
}

/** Copies the migrated template into an empty (or missing) data folder, where there is one. */
export function fillFromTemplate(dir: string): void {
	const template = process.env[PGLITE_TEMPLATE_ENV];
	if (!template || !existsSync(join(template, 'PG_VERSION'))) return;
	if (existsSync(dir) && readdirSync(dir).length > 0) return;
	cpSync(template, dir, { recursive: true });
}

export async function startServer(env: ServerEnv = {}): Promise<ServerProcess> {
	if (!existsSync(join(process.env.BUURTBORD_BUILD_DIR || 'build', 'handler.js'))) {
		throw new Error(
			'build/handler.js is missing: run `npm run build` before the integration tests'
		);
	}
	if (!existsSync(testServerEntry())) {
		throw new Error(
			`${testServerEntry()} is missing: the tests' global set-up bundles it (tests/support/server-bundle-setup.ts)`
		);
	}
	// A data folder made here is the process's own: removed once it has ended.
	const dataDir = env.dataDir ?? tempDataDir();
	const ownsDataDir = env.dataDir === undefined;
	const child = spawn(process.execPath, [testServerEntry()], {
		env: {
			...process.env,
			PORT: String(env.port ?? 0),
			HOST: '127.0.0.1',
			BUURTBORD_DATA_DIR: dataDir,
			DATABASE_URL: env.databaseUrl ?? '',
			// Tests expect a blank demo board (addresses only) unless they ask for its story.
			BUURTBORD_DEMO: process.env.BUURTBORD_DEMO ?? 'addresses',
			...env.extra
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => {
			if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
			resolve(code);
		})
	);
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
		const check = () => {
			const match = /listening on http:\/\/localhost:(\d+)/.exec(out);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			}
		};
		child.stdout!.on('data', check);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before listening:\n${out}`));
		});
	});
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		child,
		output: () => out,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
			child.kill(signal);
			return exited;
		}
	};
}
