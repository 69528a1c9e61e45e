import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededServer, type SeededServer } from '../support/seeded-server';
import { upgradeStatus } from '../support/upgrade';

/**
 * Who gets in, at the door: the sync socket refuses before the upgrade, pages redirect or answer
 * 404. Someone without access must not learn whether a board exists.
 */
describe('access at the door', () => {
	let seeded: SeededServer<'owner' | 'viewer' | 'outsider'>;
	const url = (path: string) => `${seeded.server.url}${path}`;

	beforeAll(async () => {
		seeded = await startSeededServer(
			{},
			{
				owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
				viewer: { org: 'HAN', boards: { spoorbuurt: 'viewer' } },
				// Signed in, but on no board.
				outsider: { org: 'Bindkracht10' }
			}
		);
	});
	afterAll(async () => {
		await seeded.server.stop('SIGKILL');
	});

	it('lets a member open the board socket', async () => {
		const { port } = seeded.server;
		expect(await upgradeStatus(port, '/sync/spoorbuurt', seeded.users.owner.cookie)).toBe(101);
		expect(await upgradeStatus(port, '/sync/spoorbuurt', seeded.users.viewer.cookie)).toBe(101);
	});

	it('refuses the socket without a session, the same for a board that does not exist', async () => {
		const { port } = seeded.server;
		expect(await upgradeStatus(port, '/sync/spoorbuurt')).toBe(401);
		expect(await upgradeStatus(port, '/sync/bestaat-niet')).toBe(401);
		expect(await upgradeStatus(port, '/sync/spoorbuurt', 'buurtbord_session=forged-token')).toBe(
			401
		);
	});

	it('answers a signed-in non-member as if the board did not exist', async () => {
		const { port } = seeded.server;
		const cookie = seeded.users.outsider.cookie;
		expect(await upgradeStatus(port, '/sync/spoorbuurt', cookie)).toBe(404);
		expect(await upgradeStatus(port, '/sync/bestaat-niet', cookie)).toBe(404);

		const existing = await fetch(url('/boards/spoorbuurt'), { headers: { cookie } });
		const missing = await fetch(url('/boards/bestaat-niet'), { headers: { cookie } });
		expect(existing.status).toBe(404);
		expect(missing.status).toBe(404);
		const page = await existing.text();
		expect(page).not.toContain('Spoorbuurt');
		expect(page).not.toContain('Spoorstraat');
	});

	it('sends someone who is not signed in to the sign-in page, and back afterwards', async () => {
		const res = await fetch(url('/boards/spoorbuurt'), { redirect: 'manual' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?next=%2Fboards%2Fspoorbuurt');
		expect(await res.text()).not.toContain('Spoorstraat');
	});

	it('shows the board to a member, without keeping it in shared caches', async () => {
		const res = await fetch(url('/boards/spoorbuurt'), {
			headers: { cookie: seeded.users.viewer.cookie }
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Spoorbuurt');
		expect(res.headers.get('cache-control')).toBe('private, no-store');
	});

	it('lists only the boards one is a member of', async () => {
		const member = await (
			await fetch(url('/'), { headers: { cookie: seeded.users.viewer.cookie } })
		).text();
		const outsider = await (
			await fetch(url('/'), { headers: { cookie: seeded.users.outsider.cookie } })
		).text();
		expect(member).toContain('/boards/spoorbuurt');
		expect(outsider).not.toContain('/boards/spoorbuurt');
	});

	it('keeps the address import to editors and owners', async () => {
		const post = (cookie?: string) =>
			fetch(url('/boards/spoorbuurt/adressen/import'), {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					origin: seeded.server.url,
					...(cookie ? { cookie } : {})
				},
				body: JSON.stringify({ rows: [] })
			});
		expect((await post()).status).toBe(401);
		expect((await post(seeded.users.outsider.cookie)).status).toBe(404);
		expect((await post(seeded.users.viewer.cookie)).status).toBe(403);
		// The owner gets past the door; an empty import is then bad input, not a refusal.
		expect([400, 422]).toContain((await post(seeded.users.owner.cookie)).status);
		const page = await fetch(url('/boards/spoorbuurt/adressen'), {
			headers: { cookie: seeded.users.viewer.cookie }
		});
		expect(page.status).toBe(403);
	});
});
