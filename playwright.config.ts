import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { testServerEntry } from './server/bundle';
import { assertSupportedNode } from './server/node-version';

assertSupportedNode('The end-to-end tests');
// The servers run on the same Node as the runner (the pinned one under npm), not on whichever
// `node` comes first on the PATH of a shell.
const node = JSON.stringify(process.execPath);

/**
 * End-to-end tests against the real built app: the bundled server (server/bundle.ts) serving
 * build/ (run `vite build` first; `npm test` does) on a fresh PGlite data folder per run.
 */
const port = Number(process.env.E2E_PORT ?? 4391);
// port + 1 to + 5 are for the servers the tests start themselves.
const pdokFixturePort = port + 6;

// The config is loaded by the runner and by each worker; the runner makes the folder and the
// workers inherit it through the environment. It holds the shared server's PGlite data folder
// and the signed-in browser state of its first owner (see tests/e2e/owner.setup.ts).
if (!process.env.BUURTBORD_E2E_DIR) {
	const dir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-'));
	process.env.BUURTBORD_E2E_DIR = dir;
	// Everything else the run puts in the temporary folder (the specs' own data folders and their
	// lock files, browser profiles) goes in there too, and so is removed with it.
	process.env.TMPDIR = dir;
	process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
const dataDir = join(process.env.BUURTBORD_E2E_DIR, 'pglite');
// Servers started by the tests (inheriting this environment) get a blank demo board (addresses
// only); a spec that needs the demo's story starts its own server with BUURTBORD_DEMO=true.
process.env.BUURTBORD_DEMO ??= 'addresses';
const ownerState = join(process.env.BUURTBORD_E2E_DIR, 'owner.json');

/**
 * Chromium's headless shell (Debian's chromium-headless-shell, what Playwright itself runs headless
 * tests in) where installed: the same engine without the full browser's UI layers. Four specs
 * (22 tests, 2026-12-02) took 47 s of CPU in it against 71 s in the full browser's headless mode.
 * E2E_CHROMIUM names another binary.
 */
const chromium =
	process.env.E2E_CHROMIUM ??
	(existsSync('/usr/bin/chromium-headless-shell')
		? '/usr/bin/chromium-headless-shell'
		: '/usr/bin/chromium');

/**
 * Spec files that start servers of their own (tests/e2e/own-server.ts, supabase-board.ts) run in a
 * project of their own, which may run two at a time and beside the shared server's specs (with
 * E2E_WORKERS=2); those on the shared server always run one at a time, as they share its boards.
 * The own-server project has no base URL, so a spec there that reaches for the shared server fails
 * at once instead of racing another spec.
 */
const OWN_SERVER = /\b(OwnServer|demoStoryServer|seededServer|startSupabaseBoard)\b/;
const ownServerSpecs = readdirSync('tests/e2e')
	.filter((file) => file.endsWith('.spec.ts'))
	.filter((file) => OWN_SERVER.test(readFileSync(join('tests/e2e', file), 'utf8')));

export default defineConfig({
	testDir: 'tests/e2e',
	// A migrated PGlite data folder that specs' own servers start from (tests/support/accounts.ts).
	globalSetup: './tests/e2e/global-setup.ts',
	// Parallel runs in one working tree each need their own (Playwright empties it at the start).
	outputDir: process.env.E2E_OUTPUT_DIR || 'test-results',
	fullyParallel: false,
	// One at a time: on two cores two at a time took as long (15.6 against 14.9 min, 2026-12-02),
	// Chromium's software rendering keeps both busy. E2E_WORKERS=2 lets own-server specs overlap.
	workers: Number(process.env.E2E_WORKERS ?? 1),
	// One retry in CI: a test that passes only on its retry is reported as flaky (listed at the end
	// of the run), not hidden. Locally a failure is a failure.
	retries: process.env.CI ? 1 : 0,
	timeout: 60_000,
	expect: { timeout: 15_000 },
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		locale: 'nl-NL',
		// Actions, network and console only: DOM snapshots and screenshots cost ~12 % of the run's CPU
		// here. Run a failing spec again with --trace on for them.
		trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false },
		launchOptions: {
			executablePath: chromium,
			// The sandbox cannot run as root here (Playwright 1.65 has it as a launch option).
			chromiumSandbox: false,
			args: [
				'--use-angle=swiftshader',
				'--enable-unsafe-swiftshader',
				'--disable-quic',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [
		{
			// Creates the first owner through the real /setup page and keeps its session.
			name: 'setup',
			testMatch: /owner\.setup\.ts$/,
			use: { ...devices['Desktop Chrome'] }
		},
		{
			name: 'chromium',
			// Every test starts signed in as that owner.
			use: { ...devices['Desktop Chrome'], storageState: ownerState },
			testIgnore: [/owner\.setup\.ts$/, ...ownServerSpecs],
			workers: 1,
			dependencies: ['setup']
		},
		{
			name: 'own-servers',
			// They sign in on their own servers; port 9 (discard) refuses every connection.
			use: {
				...devices['Desktop Chrome'],
				storageState: ownerState,
				baseURL: 'http://127.0.0.1:9'
			},
			testMatch: ownServerSpecs,
			dependencies: ['setup']
		}
	],
	webServer: [
		{
			// A local stand-in for the PDOK Locatieserver: the search box asks it, never the real one.
			command: `${node} --import tsx tests/e2e/pdok-fixture-server.ts`,
			url: `http://127.0.0.1:${pdokFixturePort}/`,
			reuseExistingServer: false,
			timeout: 30_000,
			stdout: 'pipe',
			stderr: 'pipe',
			env: { PDOK_FIXTURE_PORT: String(pdokFixturePort) }
		},
		{
			// The bundled server (server/bundle.ts), bundled fresh for the run: what `npm start` runs.
			command: `${node} --import tsx tests/support/server-bundle-setup.ts && ${node} ${testServerEntry()}`,
			url: `http://127.0.0.1:${port}/`,
			reuseExistingServer: false,
			timeout: 120_000,
			stdout: 'pipe',
			stderr: 'pipe',
			env: {
				PORT: String(port),
				HOST: '127.0.0.1',
				BUURTBORD_DATA_DIR: dataDir,
				// No remote basemap in tests: the offline style must do.
				PUBLIC_BASEMAP_STYLE_URL: '',
				PUBLIC_PDOK_LOCATIESERVER_URL: `http://127.0.0.1:${pdokFixturePort}/bzk/locatieserver/search/v3_1`
			}
		}
	]
});
