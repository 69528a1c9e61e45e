import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// Overridable so that parallel checkouts' builds (e.g. several test runs at once) do not collide.
		adapter: adapter({ out: process.env.BUURTBORD_BUILD_DIR || 'build' }),
		outDir: process.env.BUURTBORD_KIT_DIR || '.svelte-kit'
	}
};

export default config;
