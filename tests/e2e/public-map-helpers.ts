import { expect, type Browser, type BrowserContext, type Page } from './test';

/**
 * Where a feature of the public map is on screen, once the map has loaded (the page exposes it as
 * window.__publicMap): the first of `source` whose property `key` is `value`, with its properties.
 */
export async function publicMapFeature(
	page: Page,
	source: 'public-streets' | 'public-initiatives',
	key: string,
	value: string
): Promise<{ x: number; y: number; properties: Record<string, unknown> }> {
	await expect
		.poll(() =>
			page.evaluate(() => (window as { __publicMap?: { loaded(): boolean } }).__publicMap?.loaded())
		)
		.toBe(true);
	return page.evaluate(
		([source, key, value]) => {
			const map = (window as unknown as { __publicMap: import('maplibre-gl').Map }).__publicMap;
			const feature = map.querySourceFeatures(source).find((f) => f.properties[key] === value);
			const [lon, lat] = (feature!.geometry as GeoJSON.Point).coordinates as [number, number];
			const { x, y } = map.project([lon, lat]);
			return { x, y, properties: feature!.properties as Record<string, unknown> };
		},
		[source, key, value] as const
	);
}

/** A resident's phone: no account, touch, Dutch; with or without JavaScript. */
export function residentPhone(
	browser: Browser,
	viewport: { width: number; height: number },
	javaScriptEnabled: boolean
): Promise<BrowserContext> {
	return browser.newContext({
		storageState: { cookies: [], origins: [] },
		viewport,
		isMobile: true,
		hasTouch: true,
		javaScriptEnabled,
		locale: 'nl-NL'
	});
}

/**
 * The texts MapLibre placed (so drew) of a symbol layer: its rendered features, which hold only
 * the labels that found room on screen. `global` is where the page exposes its map.
 */
export function renderedLabels(
	page: Page,
	global: '__publicMap' | '__buurtbordMap',
	layer: string
): Promise<string[]> {
	return page.evaluate(
		([global, layer]) => {
			const map = (window as unknown as Record<string, import('maplibre-gl').Map | undefined>)[
				global
			];
			if (!map?.getLayer(layer)) return [];
			return map
				.queryRenderedFeatures({ layers: [layer] })
				.map((f) => String(f.properties.name ?? ''));
		},
		[global, layer] as const
	);
}

/** Every request the page makes to another origin than `origin` (filled as they happen). */
export function mapRequestsOutside(page: Page, origin: string): string[] {
	const outside: string[] = [];
	page.on('request', (request) => {
		const url = request.url();
		if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
			outside.push(url);
		}
	});
	return outside;
}

/** The colour on screen at a page position (CSS pixels), from a screenshot of that one pixel. */
export async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
	const png = await page.screenshot({
		clip: { x: Math.round(x), y: Math.round(y), width: 1, height: 1 }
	});
	return page.evaluate(async (data) => {
		const image = new Image();
		image.src = `data:image/png;base64,${data}`;
		await image.decode();
		const canvas = document.createElement('canvas');
		canvas.width = canvas.height = 1;
		const context = canvas.getContext('2d')!;
		context.drawImage(image, 0, 0);
		const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
		return [r!, g!, b!] as [number, number, number];
	}, png.toString('base64'));
}
