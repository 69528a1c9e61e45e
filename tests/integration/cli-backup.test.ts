import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, signIn } from '../support/cli';
import { startServer } from '../support/server-process';

/**
 * `npm run buurtbord -- backup FILE` and `restore FILE` on the embedded PGlite database, as an
 * operator runs them: the restored folder is a working database (the real server starts on it and
 * an account from before the backup signs in), and what came after the backup is gone.
 */
describe('backup and restore of the embedded database', { timeout: 180_000 }, () => {
	let root: string;
	let dataDir: string;
	let backup: string;
	const owner = { email: 'eigenaar@woonwaarts.test', password: 'wachtwoord van de eigenaar' };
	const later = { email: 'later@han.test', password: 'wachtwoord van later' };

	beforeAll(() => {
		root = mkdtempSync(join(tmpdir(), 'buurtbord-backup-'));
		dataDir = join(root, 'pglite');
		backup = join(root, 'buurtbord.tar.gz');
	});
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	const account = (who: { email: string }, name: string, extra: string[] = []) => [
		'--email',
		who.email,
		'--name',
		name,
		'--organisation',
		'Woonwaarts',
		...extra
	];

	it('refuses while the server runs, backs up once it stopped', async () => {
		const created = await cli(dataDir, ['create-owner', ...account(owner, 'Eva Eigenaar')], {
			password: owner.password
		});
		expect(created.code).toBe(0);

		const server = await startServer({ dataDir });
		try {
			const refused = await cli(dataDir, ['backup', backup]);
			expect(refused.code).toBe(75);
			expect(refused.stderr).toContain('Buurtbord is running on this database');
			expect(existsSync(backup)).toBe(false);
		} finally {
			expect(await server.stop('SIGTERM')).toBe(0);
		}

		const done = await cli(dataDir, ['backup', backup]);
		expect(done.code, done.stderr).toBe(0);
		expect(done.stdout).toContain(`to ${backup}`);
		expect(existsSync(backup)).toBe(true);
	});

	it('restores a working data folder without what came after the backup', async () => {
		const added = await cli(
			dataDir,
			['add-user', ...account(later, 'Lotte Later', ['--board', 'spoorbuurt', '--role', 'editor'])],
			{ password: later.password }
		);
		expect(added.code).toBe(0);

		const restored = await cli(dataDir, ['restore', backup]);
		expect(restored.code, restored.stderr).toBe(0);
		expect(restored.stdout).toMatch(/Restored .* \(1 board\(s\)\)/);
		// The folder it replaced is kept beside it.
		expect(readdirSync(root).some((f) => f.startsWith('pglite.before-restore-'))).toBe(true);

		const server = await startServer({ dataDir });
		try {
			const before = await signIn(server, owner.email, owner.password);
			expect(before.status).toBe(303);
			expect(before.location).toBe('/boards/spoorbuurt');
			const board = await fetch(`${server.url}/boards/spoorbuurt`, {
				headers: { cookie: before.cookie! }
			});
			expect(board.status).toBe(200);
			const after = await signIn(server, later.email, later.password);
			expect(after.cookie).toBeUndefined();
		} finally {
			await server.stop('SIGTERM');
		}
	});

	it('refuses a file that is not a backup and keeps the data folder as it was', async () => {
		const junk = join(root, 'junk.tar.gz');
		writeFileSync(junk, 'dit is geen backup');
		const entries = readdirSync(dataDir).sort();
		const refused = await cli(dataDir, ['restore', junk]);
		expect(refused.code).not.toBe(0);
		expect(readdirSync(dataDir).sort()).toEqual(entries);
	});
});
