import { buildDir, bundleServer } from '../../server/bundle';

/**
 * Global set-up of both test runners: the server the tests start is the bundled JavaScript that
 * `npm start` runs (see server/bundle.ts), made fresh from the sources for every run, under a
 * name of its own. It starts in about half the time of server/index.ts under tsx, without tsx's
 * memory. Run as a script (Playwright's web server command), it bundles and exits.
 */
export default async function setup(): Promise<void> {
	await bundleServer(buildDir(), 'buurtbord-test');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await setup();
