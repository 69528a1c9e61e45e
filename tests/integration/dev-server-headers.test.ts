import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/lib/server/security-headers';
import { tempDataDir } from '../support/server-process';

/**
 * `npm run dev` (vite dev) sends the production server's security headers, from the same object
 * (src/lib/server/security-headers.ts, the plugin `buurtbord-security-headers` in vite.config.ts).
 * Before (QA sec2), the dev server sent none: a page under development could be framed by any
 * other site, and a check of the headers in the browser passed only against a build.
 * The production side: security-headers.test.ts.
 */
describe('security headers of the Vite dev server', () => {
	let child: ChildProcess;
	let url: string;
	let out = '';

	beforeAll(async () => {
		// A migrated PGlite copy: the dev server starts the same services (and sync) as production.
		const dataDir = tempDataDir();
		child = spawn(
			process.execPath,
			['node_modules/vite/bin/vite.js', 'dev', '--port', '0', '--host', '127.0.0.1'],
			{
				env: {
					...process.env,
					BUURTBORD_DATA_DIR: dataDir,
					BUURTBORD_DEMO: 'addresses',
					NO_COLOR: '1'
				},
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`vite dev did not start:\n${out}`)), 110_000);
			const read = (d: Buffer) => {
				out += d.toString();
				// NO_COLOR: the address comes without colour codes.
				const match = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
				if (match) {
					clearTimeout(timer);
					resolve(match[1]!);
				}
			};
			child.stdout!.on('data', read);
			child.stderr!.on('data', read);
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`vite dev exited with ${code}:\n${out}`));
			});
		});
	}, 120_000);
	afterAll(async () => {
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}, 20_000);

	it.each([
		['a page (a redirect to the first owner set-up)', '/'],
		['a module Vite serves', '/@vite/client'],
		['a static file', '/favicon.svg'],
		['an unknown page', '/bestaat-niet']
	])('are sent with %s', { timeout: 60_000 }, async (_label, path) => {
		const res = await fetch(`${url}${path}`, { redirect: 'manual' });
		await res.arrayBuffer();
		expect(res.status).toBeLessThan(500);
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			expect(res.headers.get(name), name).toBe(value);
		}
	});
});
