import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, signIn } from '../support/cli';
import { startServer } from '../support/server-process';

// Each CLI run is a new Node process opening PGlite (the first open of a folder takes seconds).
describe('the buurtbord CLI', { timeout: 120_000 }, () => {
	let root: string;
	let dataDir: string;
	const owner = {
		email: 'eigenaar@woonwaarts.test',
		password: 'wachtwoord van de eigenaar'
	};
	const viewer = { email: 'kijker@han.test', password: 'wachtwoord van de kijker' };

	beforeAll(() => {
		root = mkdtempSync(join(tmpdir(), 'buurtbord-cli-'));
		dataDir = join(root, 'pglite');
	});
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('creates the first owner (password from the environment) and a viewer (password on stdin)', async () => {
		const created = await cli(
			dataDir,
			[
				'create-owner',
				'--email',
				owner.email,
				'--name',
				'Eva Eigenaar',
				'--organisation',
				'Woonwaarts'
			],
			{ password: owner.password }
		);
		expect(created.stderr).toBe('');
		expect(created.code).toBe(0);
		expect(created.stdout).toContain(`Created ${owner.email}, owner of spoorbuurt.`);
		expect(created.stdout + created.stderr).not.toContain(owner.password);

		const added = await cli(
			dataDir,
			[
				'add-user',
				'--email',
				viewer.email,
				'--name',
				'Kees Kijker',
				'--organisation',
				'HAN',
				'--board',
				'spoorbuurt',
				'--role',
				'viewer'
			],
			{ stdin: `${viewer.password}\n` }
		);
		expect(added.code).toBe(0);
		expect(added.stdout).toContain(`Created ${viewer.email}, viewer of spoorbuurt.`);
	});

	it('refuses an email address that has an account already, and wrong use', async () => {
		const again = await cli(
			dataDir,
			[
				'create-owner',
				'--email',
				owner.email.toUpperCase(),
				'--name',
				'Ander',
				'--organisation',
				'X'
			],
			{ password: 'nog een lang wachtwoord' }
		);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('already exists');

		const noBoard = await cli(
			dataDir,
			[
				'add-user',
				'--email',
				'x@y.test',
				'--name',
				'X',
				'--organisation',
				'X',
				'--board',
				'nergens',
				'--role',
				'editor'
			],
			{ password: 'nog een lang wachtwoord' }
		);
		expect(noBoard.code).toBe(1);
		expect(noBoard.stderr).toContain('There is no board "nergens"');

		const badRole = await cli(
			dataDir,
			[
				'add-user',
				'--email',
				'x@y.test',
				'--name',
				'X',
				'--organisation',
				'X',
				'--board',
				'spoorbuurt',
				'--role',
				'admin'
			],
			{ password: 'nog een lang wachtwoord' }
		);
		expect(badRole.code).toBe(64);
		expect(badRole.stderr).toContain('--role must be viewer, editor or owner');

		const shortPassword = await cli(
			dataDir,
			['create-owner', '--email', 'kort@y.test', '--name', 'X', '--organisation', 'X'],
			{ password: 'kort' }
		);
		expect(shortPassword.code).toBe(1);
		expect(shortPassword.stderr).toContain('password');
	});

	it('refuses while the server runs on the same data folder; its accounts work on that server', async () => {
		const server = await startServer({ dataDir });
		try {
			expect(existsSync(`${dataDir}.lock`)).toBe(true);
			const refused = await cli(
				dataDir,
				[
					'create-owner',
					'--email',
					'tweede@woonwaarts.test',
					'--name',
					'Tweede',
					'--organisation',
					'Woonwaarts'
				],
				{ password: 'een ander lang wachtwoord' }
			);
			expect(refused.code).toBe(75);
			expect(refused.stderr).toContain(
				`Buurtbord is running on this database (server, pid ${server.child.pid})`
			);

			// What the CLI made works on the server: the owner and the viewer sign in and open the board.
			for (const account of [owner, viewer]) {
				const signedIn = await signIn(server, account.email, account.password);
				expect(signedIn.status).toBe(303);
				expect(signedIn.location).toBe('/boards/spoorbuurt');
				const board = await fetch(`${server.url}/boards/spoorbuurt`, {
					headers: { cookie: signedIn.cookie! },
					redirect: 'manual'
				});
				expect(board.status).toBe(200);
			}
			// The refused one was not created.
			expect(
				(await signIn(server, 'tweede@woonwaarts.test', 'een ander lang wachtwoord')).status
			).toBe(400);
			// Accounts exist: the setup page is gone.
			expect((await fetch(`${server.url}/setup`)).status).toBe(404);
		} finally {
			await server.stop('SIGTERM');
		}
		// A stopped server leaves no lock behind.
		expect(existsSync(`${dataDir}.lock`)).toBe(false);
	});
});
