import { availableParallelism } from 'node:os';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { setSecurityHeaders } from './src/lib/server/security-headers.js';

/**
 * Under `vite dev` the same sync endpoint (/sync/<board>) runs inside Vite's HTTP server, with the
 * same services as the production entry (server/index.ts).
 */
function buurtbordDevServer(): Plugin {
	return {
		name: 'buurtbord-dev-server',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			// Loaded through Vite's SSR module graph, like the routes that use the same services.
			const { startBuurtbord } = (await server.ssrLoadModule(
				'/src/lib/server/app.ts'
			)) as typeof import('./src/lib/server/app');
			const app = await startBuurtbord();
			app.attach(server.httpServer);
			server.httpServer.on('close', () => void app.close());
		}
	};
}

/**
 * The production server's security headers (src/lib/server/security-headers.ts, the same object)
 * on every response of `vite dev` and `vite preview`: pages, modules, static files, errors. The
 * middleware is added before Vite's own and SvelteKit's, so nothing is served without them.
 */
function securityHeaders(): Plugin {
	return {
		name: 'buurtbord-security-headers',
		configureServer(server) {
			server.middlewares.use((_req, res, next) => {
				setSecurityHeaders(res);
				next();
			});
		},
		configurePreviewServer(server) {
			server.middlewares.use((_req, res, next) => {
				setSecurityHeaders(res);
				next();
			});
		}
	};
}

/**
 * The public resident pages send no application bundle (csr = false), only one small module that
 * upgrades their SVG map to MapLibre (src/lib/public-map/enhance.ts). It is built as an extra
 * entry of the client build under a fixed name, `_app/public-map.js`, so that the server-rendered
 * pages can point at it; the chunks it imports keep their hashed names.
 */
function publicMapEntry(): Plugin {
	let client = false;
	return {
		name: 'buurtbord-public-map-entry',
		apply: 'build',
		configResolved(config) {
			client = !config.build.ssr;
		},
		buildStart() {
			if (!client) return;
			this.emitFile({
				type: 'chunk',
				id: 'src/lib/public-map/enhance.ts',
				fileName: '_app/public-map.js'
			});
		}
	};
}

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		securityHeaders(),
		sveltekit(),
		buurtbordDevServer(),
		publicMapEntry()
	],
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		// The first stops the run on a Node older than package.json's engines; the second keeps all
		// of the run's temporary folders in one, removed at the end.
		globalSetup: [
			'tests/support/node-version-setup.ts',
			'tests/support/temp-run-setup.ts',
			'tests/support/global-postgres.ts',
			'tests/support/server-bundle-setup.ts'
		],
		// Most files wait on servers and sockets, not the CPU: two at a time even on two cores.
		maxWorkers: Math.max(2, availableParallelism()),
		setupFiles: ['tests/support/cleanup-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
