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
