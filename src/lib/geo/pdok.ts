/**
 * Client for the PDOK Locatieserver v3.1 (free, no key): `/free` for geocoding import rows and
 * `/suggest` as the second source of the search box. `fetch` is injectable so tests run on recorded
 * fixtures and never call the service.
 *
 * The Locatieserver answers unknown query parameters with HTTP 400, so URLs are built only from
 * the parameters of its OpenAPI description. `centroide_ll` is WKT `POINT(lon lat)` (longitude
 * first); `huisnummer` is an integer; `buurtcode` carries the "BU" prefix.
 *
 * Failures never throw: network errors, timeouts, non-200 answers and unreadable bodies become an
 * `{ status: 'unreachable' }` result, so the caller can keep the rows aside and retry later.
 */
import { z } from 'zod';
import type { AddressDraft } from './import';
import { compactText } from './normalize';

export const PDOK_LOCATIESERVER_URL = 'https://api.pdok.nl/bzk/locatieserver/search/v3_1';

/** Query parameters the v3.1 OpenAPI spec allows per endpoint. */
export const ALLOWED_PARAMS = {
	free: ['q', 'fl', 'fq', 'df', 'sort', 'rows', 'start', 'wt', 'indent', 'lat', 'lon'],
	suggest: ['q', 'fl', 'fq', 'qf', 'bq', 'sort', 'rows', 'start', 'wt', 'indent', 'lat', 'lon']
} as const;

export type PdokEndpoint = keyof typeof ALLOWED_PARAMS;

export interface PdokQuery {
	q: string;
	/** Filter queries, e.g. ["type:adres", "postcode:6521CA"]; each becomes its own fq. */
	fq?: string[];
	/** Fields to return. */
	fl?: string[];
	rows?: number;
	start?: number;
	sort?: string;
	/** Search near a point (results sorted by distance). */
	near?: { lat: number; lon: number };
	/** Field boosts; /suggest only. */
	qf?: string;
	/** Type boosts; /suggest only. */
	bq?: string[];
}

/** Fields requested for addresses: everything the register stores. */
export const PDOK_ADDRESS_FIELDS = [
	'id',
	'type',
	'weergavenaam',
	'score',
	'straatnaam',
	'huisnummer',
	'huisletter',
	'huisnummertoevoeging',
	'postcode',
	'woonplaatsnaam',
	'nummeraanduiding_id',
	'buurtcode',
	'buurtnaam',
	'wijkcode',
	'gemeentecode',
	'centroide_ll'
] as const;

export class PdokQueryError extends Error {}

/** Builds a Locatieserver URL; throws {@link PdokQueryError} for parameters the endpoint does not accept. */
export function buildPdokUrl(
	endpoint: PdokEndpoint,
	query: PdokQuery,
	baseUrl = PDOK_LOCATIESERVER_URL
): string {
	const params = new URLSearchParams();
	const allowed: readonly string[] = ALLOWED_PARAMS[endpoint];
	const add = (name: string, value: string) => {
		if (!allowed.includes(name)) {
			throw new PdokQueryError(`/${endpoint} accepteert de parameter "${name}" niet`);
		}
		params.append(name, value);
	};
	if (query.q.trim() === '') throw new PdokQueryError('zoekterm (q) is leeg');
	add('q', query.q);
	for (const fq of query.fq ?? []) add('fq', fq);
	if (query.fl && query.fl.length > 0) add('fl', query.fl.join(','));
	if (query.rows !== undefined) {
		if (!Number.isInteger(query.rows) || query.rows < 1 || query.rows > 100) {
			throw new PdokQueryError('rows moet tussen 1 en 100 liggen');
		}
		add('rows', String(query.rows));
	}
	if (query.start !== undefined) {
		if (!Number.isInteger(query.start) || query.start < 0) {
			throw new PdokQueryError('start moet een niet-negatief geheel getal zijn');
		}
		add('start', String(query.start));
	}
	if (query.sort !== undefined) add('sort', query.sort);
	if (query.near) {
		const { lat, lon } = query.near;
		if (
			!Number.isFinite(lat) ||
			!Number.isFinite(lon) ||
			Math.abs(lat) > 90 ||
			Math.abs(lon) > 180
		) {
			throw new PdokQueryError('ongeldig punt voor lat/lon');
		}
		// Decimal point, never a comma (the spec says so explicitly).
		add('lat', lat.toFixed(6));
		add('lon', lon.toFixed(6));
	}
	if (query.qf !== undefined) add('qf', query.qf);
	for (const bq of query.bq ?? []) add('bq', bq);
	return `${baseUrl.replace(/\/+$/, '')}/${endpoint}?${params.toString()}`;
}

/** Parses WKT `POINT(lon lat)`; null when it is not a 2D point. */
export function parseWktPoint(wkt: string): { lon: number; lat: number } | null {
	const m =
		/^\s*POINT\s*\(\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\)\s*$/i.exec(
			wkt
		);
	if (!m) return null;
	const lon = Number(m[1]);
	const lat = Number(m[2]);
	return Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : null;
}

const docSchema = z
	.object({
		id: z.string(),
		type: z.string(),
		weergavenaam: z.string(),
		score: z.number().optional(),
		straatnaam: z.string().optional(),
		huisnummer: z.number().int().optional(),
		huisletter: z.string().optional(),
		huisnummertoevoeging: z.string().optional(),
		postcode: z.string().optional(),
		woonplaatsnaam: z.string().optional(),
		nummeraanduiding_id: z.string().optional(),
		buurtcode: z.string().optional(),
		buurtnaam: z.string().optional(),
		wijkcode: z.string().optional(),
		gemeentecode: z.string().optional(),
		centroide_ll: z.string().optional()
	})
	.loose();

const responseSchema = z.object({
	response: z.object({
		numFound: z.number().int(),
		start: z.number().int().optional(),
		docs: z.array(z.unknown())
	}),
	highlighting: z
		.record(z.string(), z.object({ suggest: z.array(z.string()).optional() }).loose())
		.optional()
});

/** One Locatieserver document, typed. */
export interface PdokDoc {
	id: string;
	type: string;
	displayName: string;
	score: number | null;
	street: string | null;
	houseNumber: number | null;
	houseLetter: string | null;
	addition: string | null;
	postcode: string | null;
	city: string | null;
	/** BAG nummeraanduiding id. */
	bagId: string | null;
	/** CBS buurtcode with its "BU" prefix, e.g. "BU02680202". */
	buurtcode: string | null;
	buurtnaam: string | null;
	wijkcode: string | null;
	gemeentecode: string | null;
	/** From `centroide_ll`; null when the field was not requested or unreadable. */
	lon: number | null;
	lat: number | null;
	/** Highlighted name from /suggest ("<b>Sweelinck</b>straat 12"), when given. */
	highlight: string | null;
}

export function parsePdokDoc(raw: unknown, highlight: string | null = null): PdokDoc | null {
	const parsed = docSchema.safeParse(raw);
	if (!parsed.success) return null;
	const d = parsed.data;
	const point = d.centroide_ll ? parseWktPoint(d.centroide_ll) : null;
	return {
		id: d.id,
		type: d.type,
		displayName: d.weergavenaam,
		score: d.score ?? null,
		street: d.straatnaam ?? null,
		houseNumber: d.huisnummer ?? null,
		houseLetter: d.huisletter ?? null,
		addition: d.huisnummertoevoeging ?? null,
		postcode: d.postcode ?? null,
		city: d.woonplaatsnaam ?? null,
		bagId: d.nummeraanduiding_id ?? null,
		buurtcode: d.buurtcode ?? null,
		buurtnaam: d.buurtnaam ?? null,
		wijkcode: d.wijkcode ?? null,
		gemeentecode: d.gemeentecode ?? null,
		lon: point?.lon ?? null,
		lat: point?.lat ?? null,
		highlight
	};
}

export type UnreachableReason = 'network' | 'timeout' | 'http' | 'invalid-response';

/** The service could not be used: keep the work aside and retry later. */
export interface PdokUnreachable {
	status: 'unreachable';
	reason: UnreachableReason;
	/** HTTP status for reason 'http'. */
	httpStatus?: number;
	/** Whether retrying later can help (not for HTTP 400: the query itself is wrong). */
	retryable: boolean;
	message: string;
}

export interface PdokSearchOk {
	status: 'ok';
	numFound: number;
	docs: PdokDoc[];
}

export type PdokSearchResult = PdokSearchOk | PdokUnreachable;

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface PdokClientOptions {
	/** Defaults to the global fetch; tests pass a fake that serves fixtures. */
	fetch?: FetchLike;
	baseUrl?: string;
	/** Per request; default 10 s. */
	timeoutMs?: number;
}

export interface AddressToGeocode {
	street?: string | null;
	houseNumber: number;
	houseLetter?: string | null;
	addition?: string | null;
	postcode?: string | null;
	city?: string | null;
}

export type GeocodeResult =
	| { status: 'found'; doc: PdokDoc & { lon: number; lat: number } }
	| { status: 'not-found'; candidates: PdokDoc[] }
	| PdokUnreachable;

export interface PdokClient {
	free(query: PdokQuery): Promise<PdokSearchResult>;
	suggest(text: string, options?: Omit<PdokQuery, 'q'>): Promise<PdokSearchResult>;
	geocode(address: AddressToGeocode): Promise<GeocodeResult>;
}

/** Solr needs special characters in field values escaped. */
function solrValue(v: string): string {
	return v.replace(/[+\-!(){}[\]^"~*?:\\/&|\s]/g, (c) => `\\${c}`);
}

/**
 * The /free query for one address. With a postcode, postcode and number are also filter queries
 * (exact); without one, it is a free-text search on street, number and place.
 */
export function geocodeQuery(a: AddressToGeocode): PdokQuery {
	const fq = ['type:adres'];
	const number = `${a.houseNumber}${a.houseLetter ?? ''}${a.addition ? `-${a.addition}` : ''}`;
	const postcode = a.postcode ? a.postcode.replace(/\s+/g, '').toUpperCase() : null;
	let q: string;
	if (postcode) {
		q = `${postcode} ${number}`;
		fq.push(`postcode:${solrValue(postcode)}`, `huisnummer:${a.houseNumber}`);
	} else {
		q = [a.street ?? '', number, a.city ?? ''].filter((s) => s !== '').join(' ');
	}
	return { q, fq, fl: [...PDOK_ADDRESS_FIELDS], rows: 20 };
}

/**
 * Whether a document is exactly this address (number, letter and toevoeging all agree; a letter
 * given as the toevoeging, as many corporation systems export "12A", is the BAG's huisletter).
 */
export function isSameAddress(doc: PdokDoc, a: AddressToGeocode): boolean {
	if (doc.houseNumber !== a.houseNumber) return false;
	const suffix = (letter?: string | null, addition?: string | null) =>
		compactText(`${letter ?? ''}${addition ?? ''}`);
	if (suffix(doc.houseLetter, doc.addition) !== suffix(a.houseLetter, a.addition)) return false;
	if (a.postcode) {
		return compactText(doc.postcode ?? '') === compactText(a.postcode);
	}
	return compactText(doc.street ?? '') === compactText(a.street ?? '');
}

export function createPdokClient(options: PdokClientOptions = {}): PdokClient {
	const baseUrl = options.baseUrl ?? PDOK_LOCATIESERVER_URL;
	const timeoutMs = options.timeoutMs ?? 10_000;

	async function request(endpoint: PdokEndpoint, query: PdokQuery): Promise<PdokSearchResult> {
		const url = buildPdokUrl(endpoint, query, baseUrl);
		const doFetch: FetchLike | undefined = options.fetch ?? globalThis.fetch?.bind(globalThis);
		if (!doFetch) {
			return { status: 'unreachable', reason: 'network', retryable: true, message: 'geen fetch' };
		}
		let response: Response;
		try {
			response = await doFetch(url, {
				headers: { accept: 'application/json' },
				signal: AbortSignal.timeout(timeoutMs)
			});
		} catch (e) {
			const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
			return {
				status: 'unreachable',
				reason: timeout ? 'timeout' : 'network',
				retryable: true,
				message: timeout
					? 'PDOK Locatieserver antwoordt niet op tijd'
					: 'PDOK Locatieserver is niet bereikbaar'
			};
		}
		if (response.status !== 200) {
			return {
				status: 'unreachable',
				reason: 'http',
				httpStatus: response.status,
				retryable: response.status === 429 || response.status >= 500,
				message: `PDOK Locatieserver gaf HTTP ${response.status}`
			};
		}
		let body: unknown;
		try {
			body = await response.json();
		} catch {
			return invalidResponse();
		}
		const parsed = responseSchema.safeParse(body);
		if (!parsed.success) return invalidResponse();
		const highlighting = parsed.data.highlighting ?? {};
		const docs: PdokDoc[] = [];
		for (const raw of parsed.data.response.docs) {
			const id = (raw as { id?: unknown }).id;
			const hl = typeof id === 'string' ? (highlighting[id]?.suggest?.[0] ?? null) : null;
			const doc = parsePdokDoc(raw, hl);
			if (doc) docs.push(doc);
		}
		return { status: 'ok', numFound: parsed.data.response.numFound, docs };
	}

	return {
		free: (query) => request('free', query),
		suggest: (text, opts = {}) =>
			request('suggest', { fl: [...PDOK_ADDRESS_FIELDS], rows: 10, ...opts, q: text }),
		async geocode(address) {
			const result = await request('free', geocodeQuery(address));
			if (result.status !== 'ok') return result;
			const match = result.docs.find(
				(d): d is PdokDoc & { lon: number; lat: number } =>
					d.type === 'adres' && d.lon !== null && d.lat !== null && isSameAddress(d, address)
			);
			if (match) return { status: 'found', doc: match };
			return { status: 'not-found', candidates: result.docs };
		}
	};
}

function invalidResponse(): PdokUnreachable {
	return {
		status: 'unreachable',
		reason: 'invalid-response',
		retryable: true,
		message: 'PDOK Locatieserver gaf een onleesbaar antwoord'
	};
}

export interface GeocodeBatchResult<R> {
	/** Rows that got coordinates (and a BAG id when they had none). */
	found: R[];
	/** Rows PDOK does not know: for the user to correct. */
	notFound: R[];
	/** Rows not tried or failed because PDOK could not be reached: keep aside and retry. */
	pending: R[];
	/** Why rows are pending, when they are. */
	unreachable: PdokUnreachable | null;
}

/**
 * Geocodes import rows one by one (politely, `concurrency` at a time). The first time PDOK cannot be
 * reached, it stops: the remaining rows are returned as `pending` to retry later.
 */
export async function geocodeRows<R extends AddressDraft & { needsGeocoding?: boolean }>(
	client: PdokClient,
	rows: readonly R[],
	options: {
		concurrency?: number;
		onProgress?: (p: { done: number; total: number }) => void;
		signal?: AbortSignal;
	} = {}
): Promise<GeocodeBatchResult<R>> {
	const concurrency = Math.max(1, options.concurrency ?? 4);
	const out: GeocodeBatchResult<R> = { found: [], notFound: [], pending: [], unreachable: null };
	const pendingSet = new Set<number>();
	let next = 0;
	let done = 0;
	const worker = async () => {
		while (next < rows.length && out.unreachable === null && !options.signal?.aborted) {
			const index = next++;
			const row = rows[index]!;
			const result = await client.geocode(row);
			if (result.status === 'found') {
				out.found.push({
					...row,
					lon: result.doc.lon,
					lat: result.doc.lat,
					bagId: row.bagId ?? result.doc.bagId,
					city: row.city ?? result.doc.city,
					postcode: row.postcode ?? result.doc.postcode,
					needsGeocoding: false
				} as R);
			} else if (result.status === 'not-found') {
				out.notFound.push(row);
			} else {
				out.unreachable ??= result;
				pendingSet.add(index);
			}
			done++;
			options.onProgress?.({ done, total: rows.length });
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
	for (let i = next; i < rows.length; i++) pendingSet.add(i);
	out.pending = [...pendingSet].sort((a, b) => a - b).map((i) => rows[i]!);
	return out;
}
