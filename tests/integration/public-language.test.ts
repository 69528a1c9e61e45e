import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicStoryServer } from '../support/public-store';
import type { ServerProcess } from '../support/server-process';

/**
 * The public pages' language against the built server: an explicit choice (`?lang=`, then the
 * language cookie) wins, else the browser's Accept-Language, else Dutch; and every cache is told
 * what the page depends on (Vary, an ETag per language), also when the server answers from its
 * own store of rendered pages or with a 304.
 */
describe('the public pages follow the browser language', () => {
	let server: ServerProcess;
	let close: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		({ server, close } = await publicStoryServer());
	}, 120_000);
	afterAll(async () => {
		await close?.();
	});

	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(`${server.url}${path}`, { headers });
	const lang = async (res: Response) => /<html lang="(\w+)"/.exec(await res.text())?.[1];

	it('uses Accept-Language when the URL and cookie choose nothing, Dutch by default', async () => {
		const cases: [string | null, string][] = [
			[null, 'nl'],
			['nl-NL,nl;q=0.9', 'nl'],
			['en-GB,en;q=0.9', 'en'],
			['en-US', 'en'],
			['fr-FR, en;q=0.5', 'en'],
			['en;q=0.5, nl', 'nl'],
			['de-DE', 'nl'],
			['*', 'nl']
		];
		// Twice round: first rendered, then from the server's store of rendered pages.
		for (let round = 0; round < 2; round++) {
			for (const path of ['/buurt/spoorbuurt', '/buurt/spoorbuurt/sweelinckstraat']) {
				for (const [accept, want] of cases) {
					const res = await get(path, accept ? { 'accept-language': accept } : {});
					expect(res.status).toBe(200);
					expect(await lang(res), `${path} with ${accept}`).toBe(want);
					const vary = res.headers.get('vary') ?? '';
					expect(vary).toMatch(/Accept-Language/);
					expect(vary).toMatch(/Cookie/);
					expect(res.headers.get('etag')).toMatch(new RegExp(`-${want}"$`));
				}
			}
		}
	});

	it('an explicit choice wins: ?lang= first, then the language cookie', async () => {
		const en = { 'accept-language': 'en-GB,en;q=0.9' };
		const explicitNl = await get('/buurt/spoorbuurt?lang=nl', en);
		const html = await explicitNl.text();
		expect(/<html lang="(\w+)"/.exec(html)?.[1]).toBe('nl');
		// One URL, one page: nothing to vary on but the encoding.
		expect(explicitNl.headers.get('vary') ?? '').not.toMatch(/Accept-Language|Cookie/);
		// Its links keep Dutch for a browser that prefers English.
		expect(html).toContain('/buurt/spoorbuurt/sweelinckstraat?lang=nl"');
		expect(html).toContain('kaart.json?lang=nl"');

		expect(await lang(await get('/buurt/spoorbuurt?lang=en'))).toBe('en');
		const cookieEn = { cookie: 'PARAGLIDE_LOCALE=en', 'accept-language': 'nl' };
		expect(await lang(await get('/buurt/spoorbuurt', cookieEn))).toBe('en');
		expect(await lang(await get('/buurt/spoorbuurt?lang=nl', cookieEn))).toBe('nl');
		const cookieNl = { cookie: 'PARAGLIDE_LOCALE=nl', ...en };
		expect(await lang(await get('/buurt/spoorbuurt/sweelinckstraat', cookieNl))).toBe('nl');
	});

	it('an English page links on in English; the Dutch page by default links without ?lang', async () => {
		const english = await (await get('/buurt/spoorbuurt', { 'accept-language': 'en-GB' })).text();
		expect(english).toContain('/buurt/spoorbuurt/sweelinckstraat?lang=en"');
		expect(english).toContain('>Streets<');
		const dutch = await (await get('/buurt/spoorbuurt', { 'accept-language': 'nl' })).text();
		expect(dutch).toContain('/buurt/spoorbuurt/sweelinckstraat"');
		expect(dutch).toContain('>Straten<');
		// Both pages offer both languages explicitly.
		for (const page of [english, dutch]) {
			expect(page).toContain('buurt/spoorbuurt?lang=nl" lang="nl"');
			expect(page).toContain('buurt/spoorbuurt?lang=en" lang="en"');
		}
	});

	it('a 304 is per language and carries Vary; the map data follows the same rules', async () => {
		const en = { 'accept-language': 'en' };
		const first = await get('/buurt/spoorbuurt', en);
		const etag = first.headers.get('etag')!;
		const same = await get('/buurt/spoorbuurt', { ...en, 'if-none-match': etag });
		expect(same.status).toBe(304);
		expect(same.headers.get('vary') ?? '').toMatch(/Accept-Language/);
		// The English ETag does not validate the Dutch page.
		const dutch = await get('/buurt/spoorbuurt', {
			'accept-language': 'nl',
			'if-none-match': etag
		});
		expect(dutch.status).toBe(200);
		expect(await lang(dutch)).toBe('nl');

		const mapEn = await get('/buurt/spoorbuurt/kaart.json', en);
		expect(mapEn.headers.get('vary') ?? '').toMatch(/Accept-Language/);
		const data = (await mapEn.json()) as {
			streets: { features: { properties: { href: string } }[] };
		};
		expect(data.streets.features[0]!.properties.href).toMatch(/\?lang=en$/);
		const mapNl = (await (
			await get('/buurt/spoorbuurt/kaart.json', { 'accept-language': 'nl' })
		).json()) as typeof data;
		expect(mapNl.streets.features[0]!.properties.href).not.toContain('?lang');
		const mapExplicit = await get('/buurt/spoorbuurt/kaart.json?lang=en', {
			'accept-language': 'nl'
		});
		expect(mapExplicit.headers.get('vary') ?? '').not.toMatch(/Accept-Language/);
		expect(mapExplicit.headers.get('etag')).not.toBe(
			(await get('/buurt/spoorbuurt/kaart.json', { 'accept-language': 'nl' })).headers.get('etag')
		);
	});
});
