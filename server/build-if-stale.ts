/**
 * `npm start` runs this before the server: it builds the app (`vite build`) only when there is no
 * build yet or a source it is made from changed after it, so a restart is fast (seconds instead of
 * the ~26 s a build takes) and `npm ci && npm start` still works on a fresh checkout.
 * `--force` always builds. Then it bundles the server entry (server/index.ts with what it imports
 * from src/lib/server) into plain JavaScript, build/buurtbord.js, every time (esbuild, well under
 * a second), so `npm start` runs the server with plain `node`: without tsx's loader, which kept
 * some 60–80 MB of memory and compiled the TypeScript at every start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleServer } from './bundle';
import { assertSupportedNode } from './node-version';

assertSupportedNode('Buurtbord');

/** What the build is made from (relative to the project folder). */
const SOURCES = [
	'src',
	'static',
	'messages',
	'project.inlang/settings.json',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];
/** Written by the build itself (Paraglide compiles its messages into src/lib/paraglide). */
const GENERATED = new Set([resolve('src/lib/paraglide')]);

function newestMtime(path: string): number {
	const full = resolve(path);
	if (GENERATED.has(full) || !existsSync(full)) return 0;
	const stat = statSync(full);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(full)) newest = Math.max(newest, newestMtime(join(full, entry)));
	return newest;
}

/** Why a build is needed, or null when the existing one is current. */
export function staleReason(buildDir: string): string | null {
	const handler = resolve(buildDir, 'handler.js');
	if (!existsSync(handler)) return `${buildDir}/handler.js is missing`;
	const built = statSync(handler).mtimeMs;
	for (const source of SOURCES) {
		if (newestMtime(source) > built) return `${source} changed after the last build`;
	}
	return null;
}

const buildDir = process.env.BUURTBORD_BUILD_DIR || 'build';
const reason = process.argv.includes('--force') ? 'asked for (--force)' : staleReason(buildDir);
if (reason) {
	console.error(`[buurtbord] building the app: ${reason}`);
	const vite = resolve('node_modules/vite/bin/vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
} else {
	console.error(`[buurtbord] using the existing build in ${buildDir}/`);
}

// The server entry as an ES module in `build/` (the packages stay in node_modules).
await bundleServer(buildDir);
