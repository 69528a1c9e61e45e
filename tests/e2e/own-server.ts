import { spawn, type ChildProcess } from 'node:child_process';
import { ownPort } from './ports';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { seedServerUsers, type SeededUser, type SeedUser } from '../support/accounts';
import { testServerEntry } from '../../server/bundle';
import { openBoard } from './helpers';
import { test } from './test';

/**
 * A server of a test's own (not the shared webServer): for tests that kill it or need other
 * settings. Same entry as production: the bundled server (server/bundle.ts) serving build/.
 */
export class OwnServer {
	private child: ChildProcess | null = null;
	/** Everything the server wrote to stdout and stderr, over all its starts. */
	log = '';

	constructor(
		readonly port: number,
		private readonly env: Record<string, string>
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/**
	 * Creates accounts (with memberships and a session each) in this server's data folder. Call it
	 * while the server is not running: PGlite allows one process per folder.
	 */
	async seed<K extends string>(users: Record<K, SeedUser>): Promise<Record<K, SeededUser>> {
		if (this.child) throw new Error('seed before start(): the server holds the database');
		const dataDir = this.env.BUURTBORD_DATA_DIR;
		if (!dataDir) throw new Error('OwnServer.seed needs BUURTBORD_DATA_DIR');
		return seedServerUsers({ dataDir }, users);
	}

	/** The usual case: one owner of the demo board. */
	async seedOwner(): Promise<SeededUser> {
		const { owner } = await this.seed({
			owner: {
				org: 'Buurtteam Spoorbuurt',
				displayName: 'Eigenaar',
				boards: { spoorbuurt: 'owner' }
			}
		});
		return owner;
	}

	/**
	 * Signs a browser context in on this server as a seeded user, as the browser would hold it after
	 * signing in. Cookies do not separate ports: this replaces the shared server's session cookie.
	 */
	async signIn(context: BrowserContext, user: Pick<SeededUser, 'token'>): Promise<void> {
		await context.addCookies([
			{ name: SESSION_COOKIE, value: user.token, url: this.url, httpOnly: true, sameSite: 'Lax' }
		]);
	}

	/** A browser of its own (not the shared server's signed-in owner), signed in here as `user`. */
	async signedInPage(browser: Browser, user: Pick<SeededUser, 'token'>): Promise<Page> {
		const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
		await this.signIn(context, user);
		return context.newPage();
	}

	async start(): Promise<void> {
		const child = spawn(process.execPath, [testServerEntry()], {
			env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', ...this.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		let output = '';
		await new Promise<void>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				this.log += chunk.toString();
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

/**
 * A server of a spec file's own on a fresh data folder with the demo board and its story
 * (BUURTBORD_DEMO=true) and one owner (and, when given, the accounts of `cast`): started before
 * the file's tests (the first start creates the board, then the accounts are added), stopped and
 * its folder removed after them.
 */
export function demoStoryServer<K extends string = never>(
	portOffset: number,
	name: string,
	cast?: Record<K, SeedUser>
) {
	let server: OwnServer | undefined;
	let dir: string | undefined;
	let token: string | undefined;
	let users: Record<K, SeededUser> | undefined;
	test.beforeAll(async () => {
		// Two starts of a new PGlite data folder on a busy machine.
		test.setTimeout(240_000);
		dir = mkdtempSync(join(tmpdir(), `buurtbord-${name}-`));
		server = new OwnServer(ownPort(portOffset), {
			BUURTBORD_DATA_DIR: join(dir, 'pglite'),
			BUURTBORD_DEMO: 'true',
			PUBLIC_BASEMAP_STYLE_URL: ''
		});
		await server.start();
		await server.stop('SIGTERM');
		token = (await server.seedOwner()).token;
		if (cast) users = await server.seed(cast);
		await server.start();
	});
	test.afterAll(async () => {
		await server?.stop('SIGTERM');
		if (dir) rmSync(dir, { recursive: true, force: true });
	});
	return {
		get server(): OwnServer {
			return server!;
		},
		/** The board's owner, for `server.signedInPage`. */
		get owner(): { token: string } {
			return { token: token! };
		},
		/** The accounts of `cast`. */
		get users(): Record<K, SeededUser> {
			return users!;
		}
	};
}

/**
 * A spec's own server on a new data folder with these accounts (and their memberships), started
 * before the spec's tests and removed after them. Returns getters, valid once the tests run.
 */
export function seededServer<K extends string>(
	portOffset: number,
	name: string,
	cast: Record<K, SeedUser>
) {
	let server: OwnServer | undefined;
	let dir: string | undefined;
	let users: Record<K, SeededUser> | undefined;
	test.beforeAll(async () => {
		test.setTimeout(180_000);
		dir = mkdtempSync(join(tmpdir(), `buurtbord-e2e-${name}-`));
		server = new OwnServer(ownPort(portOffset), {
			BUURTBORD_DATA_DIR: dir,
			BUURTBORD_OUTBOX_DIR: join(dir, 'outbox')
		});
		users = await server.seed(cast);
		await server.start();
	});
	test.afterAll(async () => {
		await server?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});
	return {
		get server(): OwnServer {
			return server!;
		},
		get users(): Record<K, SeededUser> {
			return users!;
		},
		/** The data folder (the mail outbox is `outbox` in it). */
		get dataDir(): string {
			return dir!;
		},
		/** A browser of its own for `user` (Dutch, 1280×800), signed in here, with a board open. */
		async boardPage(browser: Browser, user: SeededUser, boardId = 'spoorbuurt'): Promise<Page> {
			const context = await browser.newContext({
				storageState: { cookies: [], origins: [] },
				locale: 'nl-NL',
				viewport: { width: 1280, height: 800 }
			});
			await server!.signIn(context, user);
			const page = await context.newPage();
			await openBoard(page, boardId, server!.url);
			return page;
		}
	};
}
