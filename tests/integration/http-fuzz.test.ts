import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardRole } from '../../src/lib/server/access';
import type { SeededUser } from '../support/accounts';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';

/**
 * Randomised: requests to every route of the app, as an owner, a viewer or nobody, with form
 * fields, JSON, binary and broken multipart bodies, odd query parameters and form action names.
 * Whatever arrives, the answer is the app's own (2xx, 3xx or 4xx), never a 500, and nothing
 * reaches the error log. HTTP_FUZZ_RUNS=<n> for more requests (300 by default).
 */
const ROUTES: { path: string; methods: string[]; actions?: string[] }[] = [
	{ path: '/', methods: ['GET'] },
	{ path: '/boards', methods: ['GET'] },
	{ path: '/boards/spoorbuurt', methods: ['GET'] },
	{ path: '/boards/spoorbuurt/adressen', methods: ['GET'] },
	{ path: '/boards/spoorbuurt/adressen.json', methods: ['GET'] },
	{ path: '/boards/spoorbuurt/adressen/import', methods: ['POST'] },
	{ path: '/boards/spoorbuurt/analyse', methods: ['GET', 'POST'], actions: ['assign'] },
	{ path: '/boards/spoorbuurt/analyse/export', methods: ['POST'] },
	{ path: '/boards/spoorbuurt/audit', methods: ['GET', 'POST'] },
	{ path: '/boards/spoorbuurt/deur', methods: ['GET'] },
	{ path: '/boards/spoorbuurt/geschiedenis', methods: ['GET'] },
	{
		path: '/boards/spoorbuurt/instellingen',
		methods: ['GET', 'POST'],
		actions: ['publication', 'retention']
	},
	{ path: '/boards/spoorbuurt/instellingen/flyer', methods: ['GET'] },
	{ path: '/boards/spoorbuurt/instellingen/flyer/Spoorstraat', methods: ['GET'] },
	{
		path: '/boards/spoorbuurt/leden',
		methods: ['GET', 'POST'],
		actions: ['role', 'remove', 'revoke', 'link', 'email']
	},
	{ path: '/boards/spoorbuurt/wissen', methods: ['GET', 'POST'] },
	{ path: '/buurt/spoorbuurt', methods: ['GET'] },
	{ path: '/buurt/spoorbuurt/sweelinckstraat', methods: ['GET'] },
	{ path: '/buurt/spoorbuurt/bestaat-niet', methods: ['GET'] },
	{ path: '/buurt/bestaat-niet', methods: ['GET'] },
	{ path: '/boards/bestaat-niet', methods: ['GET'] },
	{ path: '/boards/Spoorbuurt%00', methods: ['GET'] },
	{ path: '/buurt/spoorbuurt/kaart.json', methods: ['GET'] },
	{ path: '/device-key', methods: ['GET'] },
	{ path: '/login', methods: ['GET', 'POST'] },
	{ path: '/logout', methods: ['POST'] },
	{ path: '/s/abc123', methods: ['GET'] },
	{ path: '/session', methods: ['GET'] },
	{ path: '/setup', methods: ['GET', 'POST'] },
	{ path: '/uitnodiging/0000', methods: ['GET', 'POST'], actions: ['accept', 'signup'] }
];
const KEYS = [
	'allStreets',
	'anonymised',
	'displayName',
	'email',
	'endsOn',
	'format',
	'k',
	'name',
	'next',
	'notes',
	'organisationName',
	'password',
	'published',
	'retentionDays',
	'what',
	'id',
	'kind',
	'lang',
	'near',
	'page',
	'radius',
	'street',
	'talent',
	'userId',
	'role',
	'token',
	'addressId',
	'gesprekId'
];
const VALUES = [
	'',
	'on',
	'owner',
	'viewer',
	'editor',
	'csv',
	'geojson',
	'gesprekken',
	'initiatieven',
	'straten',
	'Spoorstraat',
	'a@b.nl',
	'-1',
	'0',
	'1e308',
	'NaN',
	'2026-13-45',
	'5.86,51.83',
	'../../etc/passwd',
	'\u0000',
	'😀',
	'00000000-0000-0000-0000-000000000000',
	'https://elders.example/',
	'//elders.example',
	'en'
];
const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }));
const fields = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 5 });
/** In a body, values may be long (a query string that long is refused before the app: 431). */
const bodyFields = fc.dictionary(
	fc.constantFrom(...KEYS),
	fc.oneof(value, fc.constant('x'.repeat(20_000))),
	{ maxKeys: 5 }
);
const body = fc.oneof(
	bodyFields.map((data) => ({
		type: 'application/x-www-form-urlencoded',
		data: new URLSearchParams(data).toString() as BodyInit
	})),
	bodyFields.map((data) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(data)) form.set(k, v);
		return { type: null, data: form as BodyInit };
	}),
	fc.string({ maxLength: 80 }).map((data) => ({
		type: 'multipart/form-data; boundary=grens',
		data: data as BodyInit
	})),
	fc.jsonValue().map((v) => ({ type: 'application/json', data: JSON.stringify(v) as BodyInit })),
	fc
		.tuple(
			fc.uint8Array({ maxLength: 200 }),
			fc.constantFrom('application/gzip', 'application/octet-stream', 'text/plain')
		)
		.map(([data, type]) => ({ type, data: data as BodyInit }))
);

describe('no request makes the server fail', () => {
	let server: ServerProcess;
	let users: Record<'owner' | 'viewer', SeededUser>;

	beforeAll(async () => {
		const seeded = await startSeededServer(
			{},
			{
				owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' as BoardRole } },
				viewer: { org: 'Bindkracht10', boards: { spoorbuurt: 'viewer' as BoardRole } }
			}
		);
		server = seeded.server;
		users = seeded.users;
	}, 180_000);
	afterAll(async () => {
		await server?.stop('SIGKILL');
	});

	it('answers a body that is not a form, or a broken one, as a bad request', async () => {
		const post = (path: string, type: string, body: string) =>
			fetch(`${server.url}${path}`, {
				method: 'POST',
				headers: { origin: server.url, cookie: users.owner.cookie, 'content-type': type },
				body,
				redirect: 'manual'
			});
		const broken = 'multipart/form-data; boundary=grens';
		expect((await post('/boards/spoorbuurt/analyse/export', broken, '--grens\r\nx')).status).toBe(
			400
		);
		expect((await post('/boards/spoorbuurt/analyse/export', 'application/json', '{}')).status).toBe(
			415
		);
		expect((await post('/login', broken, 'niets')).status).toBe(400);
		expect((await post('/boards/spoorbuurt/leden?/role', broken, '--grens\r\nx')).status).toBe(400);
		// SvelteKit's reserved action name.
		const reserved = await post('/login?/default', 'application/x-www-form-urlencoded', 'a=1');
		expect(reserved.status).toBe(400);
		expect(server.output()).not.toMatch(/\[buurtbord\] error/);
	});

	it('answers random requests to every route without a 500 or an error in the log', async () => {
		const failures: string[] = [];
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...ROUTES),
				fc.nat(),
				fc.option(fc.nat(), { nil: undefined }),
				fields,
				body,
				fc.constantFrom('owner' as const, 'viewer' as const, null),
				async (route, methodPick, actionPick, query, payload, who) => {
					const method = route.methods[methodPick % route.methods.length]!;
					const params = new URLSearchParams(query);
					let search = params.toString();
					if (method === 'POST' && actionPick !== undefined) {
						const names = [...(route.actions ?? []), 'default', 'bestaat-niet'];
						const action = `/${names[actionPick % names.length]}`;
						search = search ? `${action}&${search}` : action;
					}
					const headers: Record<string, string> = { origin: server.url };
					// Signing out would end the session the later requests use.
					if (who && route.path !== '/logout') headers.cookie = users[who].cookie;
					if (method === 'POST' && payload.type) headers['content-type'] = payload.type;
					const res = await fetch(`${server.url}${route.path}${search ? `?${search}` : ''}`, {
						method,
						headers,
						body: method === 'POST' ? payload.data : undefined,
						redirect: 'manual'
					});
					await res.arrayBuffer();
					if (res.status >= 500) failures.push(`${res.status} ${method} ${route.path}?${search}`);
					expect(res.status).toBeLessThan(500);
				}
			),
			{ numRuns: Number(process.env.HTTP_FUZZ_RUNS ?? 300) }
		);
		expect(failures).toEqual([]);
		expect(server.output()).not.toMatch(/\[buurtbord\] error/);
	}, 300_000);
});
