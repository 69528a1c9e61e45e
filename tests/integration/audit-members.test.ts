import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/** Membership changes appear in the board's audit log, naming who did it and to whom. */
describe('membership changes in the audit log', () => {
	let seeded: SeededServer<'owner' | 'editor'>;
	const post = (path: string, body: string) =>
		fetch(`${seeded.server.url}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: seeded.server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				cookie: seeded.users.owner.cookie
			},
			body
		});
	const auditPage = async () =>
		(
			await fetch(`${seeded.server.url}/boards/spoorbuurt/audit`, {
				headers: { cookie: seeded.users.owner.cookie, accept: 'text/html' }
			})
		).text();

	beforeAll(async () => {
		seeded = await startSeededServer(
			{},
			{
				owner: { org: 'Woonwaarts', displayName: 'Olga Owner', boards: { spoorbuurt: 'owner' } },
				editor: { org: 'HAN', displayName: 'Eddy Editor', boards: { spoorbuurt: 'editor' } }
			}
		);
	});
	afterAll(async () => {
		await seeded.server.stop('SIGKILL');
	});

	it('records a role change and a removal', async () => {
		expect(await auditPage()).not.toContain('data-action="member.role"');
		const editor = seeded.users.editor.id;
		expect(
			(await post('/boards/spoorbuurt/leden?/role', `userId=${editor}&role=viewer`)).status
		).toBe(200);
		expect((await post('/boards/spoorbuurt/leden?/remove', `userId=${editor}`)).status).toBe(200);
		const page = await auditPage();
		const entries = [...page.matchAll(/data-action="(member\.[a-z]+)"[\s\S]*?<\/tr>/g)];
		expect(entries.map((e) => e[1])).toEqual(['member.remove', 'member.role']);
		for (const [row] of entries) {
			expect(row).toContain('Olga Owner');
			expect(row).toContain('Eddy Editor');
		}
	});
});
