import { join } from 'node:path';

/**
 * The server entry (server/index.ts with what it imports from src/lib/server) bundled into plain
 * JavaScript in the build folder, `<buildDir>/<name>.js` (esbuild, well under a second): what
 * `npm start` runs (name `buurtbord`) and what the tests start (`buurtbord-test`, files of their
 * own, so that a test running `npm start` never rewrites a file another test's server is
 * loading). The packages stay in node_modules. The build folder must be one level below the
 * project folder: the bundle finds package.json as `../package.json`.
 */
export async function bundleServer(buildDir: string, name = 'buurtbord'): Promise<string> {
	const { build } = await import('esbuild');
	await build({
		entryPoints: { [name]: 'server/index.ts' },
		outdir: buildDir,
		// What is loaded only when configured (Redis, PostgreSQL, mail) stays in chunks of its own.
		splitting: true,
		chunkNames: `${name}-chunks/[name]-[hash]`,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		packages: 'external',
		sourcemap: true,
		logLevel: 'warning'
	});
	return join(buildDir, `${name}.js`);
}

/** The build folder the server and the tests use (`BUURTBORD_BUILD_DIR`, else `build`). */
export function buildDir(): string {
	return process.env.BUURTBORD_BUILD_DIR || 'build';
}

/** The tests' bundle of the server (made by their global set-up, see tests/support). */
export function testServerEntry(): string {
	return join(buildDir(), 'buurtbord-test.js');
}
