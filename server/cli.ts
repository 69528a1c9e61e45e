/**
 * Buurtbord's command line, on the same database as the server (DATABASE_URL, or PGlite in
 * BUURTBORD_DATA_DIR):
 *
 *   npm run buurtbord -- create-owner --email E --name N --organisation O
 *   npm run buurtbord -- add-user --email E --name N --organisation O --board ID --role viewer|editor|owner
 *   npm run buurtbord -- backup FILE      (PGlite only: a consistent copy of the database)
 *   npm run buurtbord -- restore FILE     (PGlite only: the data folder from a backup)
 *
 * The password comes from BUURTBORD_PASSWORD or stdin (asked for, unechoed, on a terminal).
 * PGlite allows one process at a time: with a running server on the same data folder this refuses.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isBoardRole, setBoardRole } from '../src/lib/server/access';
import { createAccount } from '../src/lib/server/auth/accounts';
import { makeOwnerOfEveryBoard } from '../src/lib/server/auth/setup';
import { getBoard } from '../src/lib/server/boards';
import { readConfig } from '../src/lib/server/config';
import { openDb, type Db } from '../src/lib/server/db';
import {
	acquireDataDirLock,
	DataDirLockedError,
	type DataDirLock
} from '../src/lib/server/db/lock';
import { ensureDemoBoard } from '../src/lib/server/demo';
import { backupPglite, restorePglite } from '../src/lib/server/ops/backup';

const USAGE = `Usage:
  npm run buurtbord -- create-owner --email E --name N --organisation O
      a new account that owns every board (the first owner; the demo board is created first)
  npm run buurtbord -- add-user --email E --name N --organisation O --board ID --role viewer|editor|owner
      a new account with a role on one board
  npm run buurtbord -- backup FILE
      writes a consistent copy of the embedded (PGlite) database to FILE (stop the server first)
  npm run buurtbord -- restore FILE
      makes the data folder from a backup (the current one is kept beside it; stop the server first)
With DATABASE_URL (PostgreSQL, Supabase) use pg_dump and pg_restore instead (README).
The password is read from BUURTBORD_PASSWORD, or from stdin.`;

/** Wrong use: the message and the usage text. */
class UsageError extends Error {}
/** Refused (e.g. the account exists already): the message only. */
class RefusedError extends Error {}

async function readPassword(): Promise<string> {
	const fromEnv = process.env.BUURTBORD_PASSWORD;
	if (fromEnv) return fromEnv;
	if (process.stdin.isTTY) {
		// Ask without echoing what is typed.
		let muted = false;
		const output = new Writable({
			write(chunk, _encoding, done) {
				if (!muted) process.stdout.write(chunk);
				done();
			}
		});
		const rl = createInterface({ input: process.stdin, output, terminal: true });
		const answer = new Promise<string>((resolve) => rl.question('Password: ', resolve));
		muted = true;
		const password = await answer;
		rl.close();
		process.stdout.write('\n');
		return password;
	}
	let text = '';
	for await (const chunk of process.stdin) text += String(chunk);
	// The first line: `echo secret | npm run buurtbord -- …` adds a newline.
	return text.split(/\r?\n/)[0] ?? '';
}

function required(values: Record<string, string | undefined>, name: string): string {
	const value = values[name]?.trim();
	if (!value) throw new UsageError(`--${name} is required`);
	return value;
}

async function newAccount(
	db: Db,
	values: Record<string, string | undefined>
): Promise<{ id: string; email: string }> {
	const email = required(values, 'email');
	const displayName = required(values, 'name');
	const organisationName = required(values, 'organisation');
	const password = await readPassword();
	const created = await createAccount(db, { email, password, displayName, organisationName });
	if (!created.ok) {
		throw new RefusedError(
			created.reason === 'duplicate_email'
				? `An account with the email address ${email} already exists; nothing changed.`
				: Object.entries(created.errors)
						.map(([field, message]) => `${field}: ${message}`)
						.join('\n')
		);
	}
	return { id: created.user.id, email };
}

async function backupOrRestore(command: 'backup' | 'restore', args: string[]): Promise<void> {
	const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
	if (positionals.length !== 1) throw new UsageError(`${command} takes one file name`);
	const file = resolve(positionals[0]!);
	const config = readConfig();
	if (config.databaseUrl) {
		throw new RefusedError(
			`DATABASE_URL is set: back up PostgreSQL with pg_dump and restore with pg_restore (see README).`
		);
	}
	const lock = acquireDataDirLock(config.dataDir, 'cli');
	try {
		if (command === 'backup') {
			const bytes = await backupPglite(config.dataDir, file);
			console.log(`Backed up ${config.dataDir} to ${file} (${Math.round(bytes / 1024)} KB).`);
		} else {
			if (!existsSync(file)) throw new RefusedError(`There is no file ${file}.`);
			const { boards, previous } = await restorePglite(config.dataDir, file);
			console.log(
				`Restored ${config.dataDir} from ${file} (${boards} board(s)).` +
					(previous ? ` The data folder before the restore is kept in ${previous}.` : '')
			);
		}
	} finally {
		lock.release();
	}
}

async function main(argv: string[]): Promise<void> {
	const [command, ...rest] = argv;
	if (!command || command === 'help' || command === '--help' || command === '-h') {
		console.log(USAGE);
		if (!command) process.exitCode = 64;
		return;
	}
	if (command === 'backup' || command === 'restore') {
		await backupOrRestore(command, rest);
		return;
	}
	if (command !== 'create-owner' && command !== 'add-user') {
		throw new UsageError(`Unknown command "${command}".`);
	}
	const { values } = parseArgs({
		args: rest,
		options: {
			email: { type: 'string' },
			name: { type: 'string' },
			organisation: { type: 'string' },
			board: { type: 'string' },
			role: { type: 'string' }
		},
		strict: true
	});
	const board = command === 'add-user' ? required(values, 'board') : undefined;
	const role = command === 'add-user' ? required(values, 'role') : 'owner';
	if (!isBoardRole(role)) throw new UsageError('--role must be viewer, editor or owner');

	const config = readConfig();
	let lock: DataDirLock | null = null;
	if (!config.databaseUrl) lock = acquireDataDirLock(config.dataDir, 'cli');
	try {
		const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
		try {
			if (command === 'create-owner') {
				// As the server would on its first start, so the first owner owns the demo board.
				if (config.seedDemo) await ensureDemoBoard(db, { story: config.demoStory });
				const account = await newAccount(db, values);
				const boards = await makeOwnerOfEveryBoard(db, account.id);
				console.log(
					`Created ${account.email}, owner of ${boards.length ? boards.join(', ') : 'no board yet'}.`
				);
			} else {
				if (!(await getBoard(db, board!))) throw new RefusedError(`There is no board "${board}".`);
				const account = await newAccount(db, values);
				await setBoardRole(db, board!, account.id, role);
				console.log(`Created ${account.email}, ${role} of ${board}.`);
			}
		} finally {
			await db.close();
		}
	} finally {
		lock?.release();
	}
}

try {
	await main(process.argv.slice(2));
} catch (err) {
	if (err instanceof DataDirLockedError) {
		console.error(
			`Buurtbord is running on this database (${err.holder.holder}, pid ${err.holder.pid}): ` +
				`stop it first, PGlite allows one process at a time.`
		);
		process.exitCode = 75;
	} else if (
		err instanceof UsageError ||
		(err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
	) {
		console.error((err as Error).message);
		console.error(USAGE);
		process.exitCode = 64;
	} else if (err instanceof RefusedError) {
		console.error(err.message);
		process.exitCode = 1;
	} else {
		throw err;
	}
}
