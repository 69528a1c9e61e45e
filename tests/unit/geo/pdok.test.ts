import { describe, expect, it } from 'vitest';
import freeAdres from './fixtures/pdok-locatieserver-free-adres.json';
import badRequest from './fixtures/pdok-locatieserver-400.json';
import zero from './fixtures/pdok-locatieserver-free-zero.json';
import suggestSweelinck from './fixtures/pdok-locatieserver-suggest-sweelinck.json';
import {
	ALLOWED_PARAMS,
	buildPdokUrl,
	createPdokClient,
	geocodeQuery,
	geocodeRows,
	parsePdokDoc,
	parseWktPoint,
	PdokQueryError
} from '../../../src/lib/geo/pdok';
import type { ImportedAddress } from '../../../src/lib/geo/import';

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch that serves fixtures and checks every URL the way the real service would (HTTP 400). */
function fakeFetch(route: (url: URL) => Response | Promise<Response>) {
	const calls: URL[] = [];
	const fetch = async (input: string): Promise<Response> => {
		const url = new URL(input);
		calls.push(url);
		const endpoint = url.pathname.split('/').pop() as keyof typeof ALLOWED_PARAMS;
		const allowed: readonly string[] = ALLOWED_PARAMS[endpoint] ?? [];
		for (const key of url.searchParams.keys()) {
			if (!allowed.includes(key)) return json(badRequest, 400);
		}
		return route(url);
	};
	return { fetch, calls };
}

describe('query building', () => {
	it('builds /free URLs from valid parameters only', () => {
		const url = new URL(
			buildPdokUrl('free', {
				q: '6521CA 12',
				fq: ['type:adres', 'postcode:6521CA'],
				fl: ['id', 'centroide_ll'],
				rows: 5,
				near: { lat: 51.83, lon: 5.87 }
			})
		);
		expect(url.origin + url.pathname).toBe(
			'https://api.pdok.nl/bzk/locatieserver/search/v3_1/free'
		);
		expect(url.searchParams.get('q')).toBe('6521CA 12');
		expect(url.searchParams.getAll('fq')).toEqual(['type:adres', 'postcode:6521CA']);
		expect(url.searchParams.get('fl')).toBe('id,centroide_ll');
		expect(url.searchParams.get('lat')).toBe('51.830000');
		expect(url.searchParams.get('lon')).toBe('5.870000');
		expect(
			[...url.searchParams.keys()].every((k) => ALLOWED_PARAMS.free.includes(k as never))
		).toBe(true);
	});

	it('refuses parameters the endpoint does not accept, and bad values', () => {
		expect(() => buildPdokUrl('free', { q: 'x', qf: 'suggest' })).toThrow(PdokQueryError);
		expect(() => buildPdokUrl('free', { q: 'x', bq: ['type:adres^2'] })).toThrow(PdokQueryError);
		expect(() => buildPdokUrl('suggest', { q: 'x', qf: 'suggest' })).not.toThrow();
		expect(() => buildPdokUrl('free', { q: ' ' })).toThrow(PdokQueryError);
		expect(() => buildPdokUrl('free', { q: 'x', rows: 0 })).toThrow(PdokQueryError);
		expect(() => buildPdokUrl('free', { q: 'x', near: { lat: 91, lon: 5 } })).toThrow(
			PdokQueryError
		);
	});

	it('geocodes with postcode and number as exact filters, free text without a postcode', () => {
		expect(geocodeQuery({ postcode: '6521 ca', houseNumber: 12, houseLetter: 'A' })).toMatchObject({
			q: '6521CA 12A',
			fq: ['type:adres', 'postcode:6521CA', 'huisnummer:12']
		});
		expect(
			geocodeQuery({ street: 'Sweelinckstraat', houseNumber: 12, addition: '2', city: 'Nijmegen' })
		).toMatchObject({ q: 'Sweelinckstraat 12-2 Nijmegen', fq: ['type:adres'] });
	});
});

describe('parsing', () => {
	it('reads WKT points longitude first', () => {
		expect(parseWktPoint('POINT(5.85351525 51.84092097)')).toEqual({
			lon: 5.85351525,
			lat: 51.84092097
		});
		expect(parseWktPoint('POINT (5.8 51.8)')).toEqual({ lon: 5.8, lat: 51.8 });
		expect(parseWktPoint('POINT(187136.056 428140.256)')).toEqual({
			lon: 187136.056,
			lat: 428140.256
		});
		expect(parseWktPoint('LINESTRING(1 2, 3 4)')).toBeNull();
		expect(parseWktPoint('POINT(5.8)')).toBeNull();
	});

	it('parses the recorded /free document', () => {
		const doc = parsePdokDoc(freeAdres.response.docs[0]);
		expect(doc).toMatchObject({
			type: 'adres',
			displayName: 'Arend Noorduijnstraat 1, 6512BK Nijmegen',
			street: 'Arend Noorduijnstraat',
			houseNumber: 1,
			houseLetter: null,
			postcode: '6512BK',
			city: 'Nijmegen',
			bagId: '0268200000002093',
			buurtcode: 'BU02680202',
			buurtnaam: 'Bottendaal',
			lon: 5.85351525,
			lat: 51.84092097
		});
		expect(Number.isInteger(doc!.houseNumber)).toBe(true);
	});

	it('rejects a document with a string house number', () => {
		expect(parsePdokDoc({ ...freeAdres.response.docs[0], huisnummer: '1' })).toBeNull();
	});
});

describe('client', () => {
	it('geocodes an address from the recorded /free response', async () => {
		const { fetch, calls } = fakeFetch(() => json(freeAdres));
		const client = createPdokClient({ fetch });
		const result = await client.geocode({ postcode: '6512 bk', houseNumber: 1 });
		expect(result).toMatchObject({
			status: 'found',
			doc: { lon: 5.85351525, lat: 51.84092097, bagId: '0268200000002093' }
		});
		expect(calls).toHaveLength(1);
		expect(calls[0]!.pathname).toBe('/bzk/locatieserver/search/v3_1/free');
	});

	it('picks the document with the right letter, not the first hit', async () => {
		const { fetch } = fakeFetch(() => json(suggestSweelinck));
		const client = createPdokClient({ fetch });
		const a = await client.geocode({ postcode: '6521CA', houseNumber: 12, houseLetter: 'a' });
		expect(a).toMatchObject({ status: 'found', doc: { houseLetter: 'A', lon: 5.87139077 } });
		const plain = await client.geocode({ postcode: '6521CA', houseNumber: 12 });
		expect(plain).toMatchObject({ status: 'found', doc: { houseLetter: null, lon: 5.87134512 } });
		const missing = await client.geocode({ postcode: '6521CA', houseNumber: 12, addition: '3' });
		expect(missing).toMatchObject({ status: 'not-found' });
	});

	it('reports zero results as not-found', async () => {
		const { fetch } = fakeFetch(() => json(zero));
		const result = await createPdokClient({ fetch }).geocode({
			postcode: '9999ZZ',
			houseNumber: 1
		});
		expect(result).toEqual({ status: 'not-found', candidates: [] });
	});

	it('returns suggestions with highlighting and coordinates', async () => {
		const { fetch, calls } = fakeFetch(() => json(suggestSweelinck));
		const result = await createPdokClient({ fetch }).suggest('sweelinck 12', {
			near: { lat: 51.833, lon: 5.871 }
		});
		expect(result.status).toBe('ok');
		if (result.status !== 'ok') return;
		expect(result.numFound).toBe(3);
		expect(result.docs.map((d) => [d.type, d.displayName, d.highlight])).toEqual([
			[
				'adres',
				'Sweelinckstraat 12, 6521CA Nijmegen',
				'<b>Sweelinckstraat</b> <b>12</b>, 6521CA Nijmegen'
			],
			[
				'adres',
				'Sweelinckstraat 12A, 6521CA Nijmegen',
				'<b>Sweelinckstraat</b> <b>12</b>A, 6521CA Nijmegen'
			],
			['weg', 'Sweelinckstraat, Nijmegen', '<b>Sweelinckstraat</b>, Nijmegen']
		]);
		expect(result.docs[2]).toMatchObject({ houseNumber: null, lon: 5.87088241, lat: 51.83301145 });
		expect(calls[0]!.pathname.endsWith('/suggest')).toBe(true);
		expect(calls[0]!.searchParams.get('q')).toBe('sweelinck 12');
	});

	it('turns HTTP 400 into a typed, non-retryable unreachable result', async () => {
		const { fetch } = fakeFetch(() => json(badRequest, 400));
		const result = await createPdokClient({ fetch }).free({ q: 'x' });
		expect(result).toMatchObject({
			status: 'unreachable',
			reason: 'http',
			httpStatus: 400,
			retryable: false
		});
	});

	it('turns network failures, 503 and garbage into retryable unreachable results', async () => {
		const offline = createPdokClient({
			fetch: async () => {
				throw new TypeError('fetch failed');
			}
		});
		expect(await offline.geocode({ postcode: '6512BK', houseNumber: 1 })).toMatchObject({
			status: 'unreachable',
			reason: 'network',
			retryable: true
		});
		const down = createPdokClient({
			fetch: async () => new Response('Service Unavailable', { status: 503 })
		});
		expect(await down.free({ q: 'x' })).toMatchObject({
			reason: 'http',
			httpStatus: 503,
			retryable: true
		});
		const garbage = createPdokClient({
			fetch: async () => new Response('<html>', { status: 200 })
		});
		expect(await garbage.free({ q: 'x' })).toMatchObject({ reason: 'invalid-response' });
		const wrongShape = createPdokClient({ fetch: async () => json({ hello: 'world' }) });
		expect(await wrongShape.free({ q: 'x' })).toMatchObject({ reason: 'invalid-response' });
	});

	it('reports a timeout', async () => {
		const slow = createPdokClient({
			timeoutMs: 20,
			fetch: (_url, init) =>
				new Promise<Response>((_resolve, reject) => {
					init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
				})
		});
		expect(await slow.free({ q: 'x' })).toMatchObject({ status: 'unreachable', reason: 'timeout' });
	});
});

describe('geocoding import rows', () => {
	const row = (line: number, houseNumber: number, postcode = '6512BK'): ImportedAddress => ({
		line,
		street: 'Arend Noorduijnstraat',
		houseNumber,
		houseLetter: null,
		addition: null,
		postcode,
		city: null,
		lon: null,
		lat: null,
		bagId: null,
		complexNumber: null,
		needsGeocoding: true
	});

	it('fills coordinates, BAG id and place; unknown addresses are not-found', async () => {
		const { fetch } = fakeFetch((url) =>
			json(url.searchParams.getAll('fq').includes('huisnummer:1') ? freeAdres : zero)
		);
		const progress: number[] = [];
		const result = await geocodeRows(createPdokClient({ fetch }), [row(2, 1), row(3, 99)], {
			onProgress: (p) => progress.push(p.done)
		});
		expect(result.found).toEqual([
			expect.objectContaining({
				line: 2,
				lon: 5.85351525,
				lat: 51.84092097,
				bagId: '0268200000002093',
				city: 'Nijmegen',
				needsGeocoding: false
			})
		]);
		expect(result.notFound.map((r) => r.line)).toEqual([3]);
		expect(result.pending).toEqual([]);
		expect(result.unreachable).toBeNull();
		expect(progress.sort()).toEqual([1, 2]);
	});

	it('keeps the rest aside when PDOK becomes unreachable', async () => {
		let n = 0;
		const fetch = async (): Promise<Response> => {
			n++;
			if (n > 2) throw new TypeError('fetch failed');
			return json(freeAdres);
		};
		const rows = Array.from({ length: 10 }, (_, i) => row(i + 2, 1));
		const result = await geocodeRows(createPdokClient({ fetch }), rows, { concurrency: 1 });
		expect(result.found).toHaveLength(2);
		expect(result.pending.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
		expect(result.unreachable).toMatchObject({ status: 'unreachable', reason: 'network' });
		expect(n).toBe(3);
	});
});
