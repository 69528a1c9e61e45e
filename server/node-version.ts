/**
 * Buurtbord runs on a maintained Node LTS: the one pinned as the devDependency `node` in
 * package.json, which `npm ci` installs into node_modules/.bin (first on the PATH of every npm
 * script). Started on an older Node anyway (the machine's own, e.g. through a tool's
 * `#!/usr/bin/env node` outside npm, or when the pinned Node's install script did not run), the
 * entry points and the test runs stop here with a message that says what to do, instead of
 * failing later in a dependency that needs a newer Node.
 */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(
	readFileSync(new URL('../package.json', import.meta.url), 'utf8')
) as { engines: { node: string }; devDependencies: Record<string, string> };

/** The lowest Node version package.json's `engines` accepts (`>=22.12` gives [22, 12]). */
export function minimumNode(engines = packageJson.engines.node): [number, number] {
	const match = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines.trim());
	if (!match) throw new Error(`package.json engines.node is not of the form ">=X.Y": ${engines}`);
	return [Number(match[1]), Number(match[2] ?? 0)];
}

/** The Node version `npm ci` installs for the scripts (package.json devDependencies.node). */
export const PINNED_NODE = packageJson.devDependencies.node;

/** Whether `version` (e.g. process.versions.node) satisfies package.json's engines. */
export function isSupportedNode(version: string, minimum = minimumNode()): boolean {
	const [major = 0, minor = 0] = version.split('.').map(Number);
	return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

/** Throws, naming the Node that runs and how to get the pinned one, on an unsupported Node. */
export function assertSupportedNode(what: string): void {
	if (isSupportedNode(process.versions.node)) return;
	const [major, minor] = minimumNode();
	throw new Error(
		`${what} needs Node >= ${major}.${minor}, but runs on Node ${process.version} (${process.execPath}). ` +
			`\`npm ci\` installs the pinned Node ${PINNED_NODE} into node_modules/.bin/node; run through npm ` +
			'(`npm start`, `npm test`, `npm run …`, `npx …`) so that it comes first on the PATH. ' +
			'If node_modules/.bin/node is missing, its install script did not run: check that ' +
			'package.json allowScripts approves "node" and run `npm ci` again.'
	);
}
