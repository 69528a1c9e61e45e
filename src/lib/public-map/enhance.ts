/**
 * The public pages' only script (served as /_app/public-map.js, see vite.config.ts): it upgrades
 * the server-rendered SVG map to an interactive MapLibre map where the browser can draw one. It is
 * tiny on purpose; MapLibre and the map code load afterwards (dynamic import), so the page is
 * readable and usable before any of it arrives, and stays so without JavaScript or WebGL.
 */
function webgl(): boolean {
	try {
		const canvas = document.createElement('canvas');
		return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
	} catch {
		return false;
	}
}

const holders = [...document.querySelectorAll<HTMLElement>('[data-public-map]')];
if (holders.length > 0 && webgl()) {
	void import('./map').then(({ upgradeMap }) => {
		for (const holder of holders) void upgradeMap(holder);
	});
}
