import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { boardRole, type BoardRole } from '../../src/lib/server/access';
import type { Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { sendMail } from '../../src/lib/server/mail';
import {
	acceptInvite,
	acceptWithNewAccount,
	changeRole,
	createInvite,
	listMembers,
	listOpenInvites,
	memberOrganisations,
	peekInvite,
	removeMember,
	revokeInvite
} from '../../src/lib/server/members';
import { seedUsers, TEST_PASSWORD } from '../support/accounts';
import { migratedDb } from '../support/db';
import { DRIVERS } from '../support/drivers';
import { tempDataDir } from '../support/server-process';

const BOARD = 'spoorbuurt';

describe.each(DRIVERS)('board members and invitations on %s', (driver) => {
	const dbs: Db[] = [];
	const calls: [string, string, BoardRole | null][] = [];
	const reauthorize = async (boardId: string, userId: string, role: BoardRole | null) => {
		calls.push([boardId, userId, role]);
	};

	async function setup() {
		const db = await migratedDb(driver);
		dbs.push(db);
		await ensureDemoBoard(db);
		const users = await seedUsers(db, {
			owner: { org: 'Woonwaarts', boards: { [BOARD]: 'owner' } },
			editor: { org: 'Bindkracht10', boards: { [BOARD]: 'editor' } },
			viewer: { org: 'Bindkracht10', boards: { [BOARD]: 'viewer' } },
			outsider: { org: 'HAN' },
			second: { org: 'HAN' }
		});
		return { db, users };
	}

	afterEach(async () => {
		calls.length = 0;
		for (const db of dbs.splice(0)) await db.close();
	});

	it('lists members with name, email, organisation and role, owners first', async () => {
		const { db, users } = await setup();
		const members = await listMembers(db, BOARD);
		expect(members.map((m) => [m.name, m.email, m.organisation, m.role])).toEqual([
			['owner', users.owner.email, 'Woonwaarts', 'owner'],
			['editor', users.editor.email, 'Bindkracht10', 'editor'],
			['viewer', users.viewer.email, 'Bindkracht10', 'viewer']
		]);
		expect((await memberOrganisations(db, BOARD)).map((o) => o.name)).toEqual([
			'Bindkracht10',
			'Woonwaarts'
		]);
	});

	it('changes roles and removes members, telling open sockets', async () => {
		const { db, users } = await setup();
		expect(await changeRole(db, BOARD, users.editor.id, 'viewer', reauthorize)).toEqual({
			ok: true
		});
		expect(await boardRole(db, users.editor.id, BOARD)).toBe('viewer');
		expect(await removeMember(db, BOARD, users.viewer.id, reauthorize)).toEqual({ ok: true });
		expect(await boardRole(db, users.viewer.id, BOARD)).toBeNull();
		expect(calls).toEqual([
			[BOARD, users.editor.id, 'viewer'],
			[BOARD, users.viewer.id, null]
		]);
		expect(await removeMember(db, BOARD, users.outsider.id, reauthorize)).toEqual({
			ok: false,
			reason: 'not_member'
		});
	});

	it('never demotes or removes the last owner', async () => {
		const { db, users } = await setup();
		expect(await changeRole(db, BOARD, users.owner.id, 'editor', reauthorize)).toEqual({
			ok: false,
			reason: 'last_owner'
		});
		expect(await removeMember(db, BOARD, users.owner.id, reauthorize)).toEqual({
			ok: false,
			reason: 'last_owner'
		});
		expect(await boardRole(db, users.owner.id, BOARD)).toBe('owner');
		expect(calls).toEqual([]);
		// With a second owner, the first may step down; then the second is the last one.
		await changeRole(db, BOARD, users.editor.id, 'owner', reauthorize);
		expect(await removeMember(db, BOARD, users.owner.id, reauthorize)).toEqual({ ok: true });
		expect(await changeRole(db, BOARD, users.editor.id, 'viewer', reauthorize)).toEqual({
			ok: false,
			reason: 'last_owner'
		});
	});

	it('two owners demoting each other at once leave one owner', async () => {
		const { db, users } = await setup();
		await changeRole(db, BOARD, users.editor.id, 'owner', reauthorize);
		const results = await Promise.all([
			changeRole(db, BOARD, users.owner.id, 'viewer', reauthorize),
			changeRole(db, BOARD, users.editor.id, 'viewer', reauthorize)
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const owners = (await listMembers(db, BOARD)).filter((m) => m.role === 'owner');
		expect(owners).toHaveLength(1);
	});

	it('a link invitation stores only a hash, is accepted once, and gives its role', async () => {
		const { db, users } = await setup();
		const orgs = await memberOrganisations(db, BOARD);
		const created = await createInvite(db, BOARD, users.owner.id, {
			role: 'editor',
			organisationId: orgs.find((o) => o.name === 'Woonwaarts')!.id
		});
		if (!created.ok) throw new Error(JSON.stringify(created));
		expect(created.token.length).toBeGreaterThanOrEqual(40);
		const stored = await db.query<Record<string, unknown>>('select * from public.board_invites');
		expect(JSON.stringify(stored)).not.toContain(created.token);
		expect((await listOpenInvites(db, BOARD)).map((i) => [i.id, i.role, i.organisation])).toEqual([
			[created.id, 'editor', 'Woonwaarts']
		]);

		const first = await acceptInvite(db, created.token, users.outsider, reauthorize);
		expect(first).toEqual({ ok: true, boardId: BOARD, role: 'editor' });
		expect(await boardRole(db, users.outsider.id, BOARD)).toBe('editor');
		expect(await acceptInvite(db, created.token, users.second)).toEqual({
			ok: false,
			reason: 'used'
		});
		expect(await boardRole(db, users.second.id, BOARD)).toBeNull();
		expect(await listOpenInvites(db, BOARD)).toEqual([]);
		expect(await peekInvite(db, created.token)).toEqual({ ok: false, reason: 'used' });
	});

	it('two simultaneous accepts of one invitation: exactly one gets it', async () => {
		const { db, users } = await setup();
		for (let round = 0; round < 5; round++) {
			const created = await createInvite(db, BOARD, users.owner.id, {
				role: 'viewer',
				organisationName: 'Woonwaarts'
			});
			if (!created.ok) throw new Error(JSON.stringify(created));
			const results = await Promise.all([
				acceptInvite(db, created.token, users.outsider),
				acceptInvite(db, created.token, users.second)
			]);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'used' }]);
			const [row] = await db.query<{ used_by: string }>(
				'select used_by from public.board_invites where id = $1',
				[created.id]
			);
			const winner = results[0]!.ok ? users.outsider : users.second;
			expect(row!.used_by).toBe(winner.id);
			await db.query(
				'delete from public.board_members where board_id = $1 and user_id in ($2, $3)',
				[BOARD, users.outsider.id, users.second.id]
			);
		}
	});

	it('an expired invitation and a revoked one say why, and add nobody', async () => {
		const { db, users } = await setup();
		const expired = await createInvite(db, BOARD, users.owner.id, {
			role: 'owner',
			organisationName: 'Woonwaarts'
		});
		const revoked = await createInvite(db, BOARD, users.owner.id, {
			role: 'owner',
			organisationName: 'Woonwaarts'
		});
		if (!expired.ok || !revoked.ok) throw new Error('invite failed');
		await db.query(
			`update public.board_invites set expires_at = now() - interval '1 minute' where id = $1`,
			[expired.id]
		);
		expect(await acceptInvite(db, expired.token, users.outsider)).toEqual({
			ok: false,
			reason: 'expired'
		});
		expect(await revokeInvite(db, BOARD, revoked.id)).toBe(true);
		expect(await revokeInvite(db, BOARD, revoked.id)).toBe(false);
		expect(await acceptInvite(db, revoked.token, users.outsider)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await acceptInvite(db, 'not-a-token', users.outsider)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await boardRole(db, users.outsider.id, BOARD)).toBeNull();
		expect(await listOpenInvites(db, BOARD)).toEqual([]);
	});

	it('an owner cannot revoke an invitation of another board', async () => {
		const { db, users } = await setup();
		const created = await createInvite(db, BOARD, users.owner.id, {
			role: 'viewer',
			organisationName: 'Woonwaarts'
		});
		if (!created.ok) throw new Error('invite failed');
		expect(await revokeInvite(db, 'elders', created.id)).toBe(false);
		expect(await listOpenInvites(db, BOARD)).toHaveLength(1);
	});

	it('an email invitation only works for the account with that address', async () => {
		const { db, users } = await setup();
		const created = await createInvite(db, BOARD, users.owner.id, {
			role: 'viewer',
			email: users.second.email.toUpperCase(),
			organisationName: 'HAN'
		});
		if (!created.ok) throw new Error(JSON.stringify(created));
		expect(await acceptInvite(db, created.token, users.outsider)).toEqual({
			ok: false,
			reason: 'wrong_account'
		});
		expect(await acceptInvite(db, created.token, users.second)).toEqual({
			ok: true,
			boardId: BOARD,
			role: 'viewer'
		});
	});

	it('accepting keeps a member’s stronger role', async () => {
		const { db, users } = await setup();
		const created = await createInvite(db, BOARD, users.owner.id, {
			role: 'viewer',
			organisationName: 'Woonwaarts'
		});
		if (!created.ok) throw new Error('invite failed');
		expect(await acceptInvite(db, created.token, users.editor)).toEqual({
			ok: true,
			boardId: BOARD,
			role: 'editor'
		});
	});

	it('only organisations of the board are offered; a typed name never joins a stranger’s organisation', async () => {
		const { db, users } = await setup();
		const han = (
			await db.query<{ id: string }>(`select id from public.organisations where name = 'HAN'`)
		)[0]!.id;
		expect(
			await createInvite(db, BOARD, users.owner.id, { role: 'viewer', organisationId: han })
		).toEqual({ ok: false, reason: 'unknown_organisation' });
		const typed = await createInvite(db, BOARD, users.owner.id, {
			role: 'editor',
			organisationName: 'han'
		});
		if (!typed.ok) throw new Error(JSON.stringify(typed));
		const result = await acceptWithNewAccount(db, typed.token, {
			displayName: 'Nieuwe Collega',
			email: 'nieuw@example.test',
			password: TEST_PASSWORD
		});
		if (!result.ok) throw new Error(JSON.stringify(result));
		expect(result.user.organisationId).not.toBe(han);
		const [profile] = await db.query<{ organisation_id: string }>(
			'select organisation_id from public.profiles where id = $1',
			[result.user.id]
		);
		expect(profile!.organisation_id).toBe(result.user.organisationId);
		expect(await boardRole(db, result.user.id, BOARD)).toBe('editor');
	});

	it('a new account joins the invitation’s organisation with the invited address', async () => {
		const { db, users } = await setup();
		const orgs = await memberOrganisations(db, BOARD);
		const bindkracht = orgs.find((o) => o.name === 'Bindkracht10')!.id;
		// The Woonwaarts owner may invite for Bindkracht10, but that makes no new account.
		const foreign = await createInvite(db, BOARD, users.owner.id, {
			role: 'editor',
			email: 'invited@example.test',
			organisationId: bindkracht
		});
		if (!foreign.ok) throw new Error('invite failed');
		expect(foreign.newAccounts).toBe(false);
		expect(
			await acceptWithNewAccount(db, foreign.token, {
				displayName: 'Iemand',
				email: 'other@example.test',
				password: TEST_PASSWORD
			})
		).toEqual({ ok: false, reason: 'organisation' });
		expect(
			await db.query(`select 1 from public.profiles where email = 'invited@example.test'`)
		).toHaveLength(0);
		// An owner of Bindkracht10 does make new accounts in Bindkracht10.
		await changeRole(db, BOARD, users.editor.id, 'owner', reauthorize);
		const created = await createInvite(db, BOARD, users.editor.id, {
			role: 'editor',
			email: 'invited@example.test',
			organisationId: bindkracht
		});
		if (!created.ok) throw new Error('invite failed');
		expect(created.newAccounts).toBe(true);
		const short = await acceptWithNewAccount(db, created.token, {
			displayName: 'Iemand',
			email: 'other@example.test',
			password: 'too short'
		});
		expect(short).toMatchObject({ ok: false, reason: 'invalid' });
		const result = await acceptWithNewAccount(db, created.token, {
			displayName: 'Iemand',
			email: 'other@example.test',
			password: TEST_PASSWORD
		});
		if (!result.ok) throw new Error(JSON.stringify(result));
		expect(result.user.email).toBe('invited@example.test');
		expect(result.user.organisationId).toBe(bindkracht);
		expect(result.role).toBe('editor');
		// The same link cannot make a second account.
		expect(
			await acceptWithNewAccount(db, created.token, {
				displayName: 'Nog iemand',
				email: 'x@example.test',
				password: TEST_PASSWORD
			})
		).toEqual({ ok: false, reason: 'used' });
		const count = await db.query(`select 1 from public.profiles where email = 'x@example.test'`);
		expect(count).toHaveLength(0);
	});
});

describe('invitation mail without SMTP', () => {
	it('writes an .eml into the outbox beside the data folder and logs neither address nor link', async () => {
		const dataDir = tempDataDir();
		const lines: string[] = [];
		const link = 'http://localhost:3000/uitnodiging/secret-token-value';
		const result = await sendMail(
			{ to: 'invitee@example.test', subject: 'Uitnodiging voor Spoorbuurt', text: `Open ${link}` },
			{ env: {}, dataDir, log: (l) => lines.push(l) }
		);
		try {
			if (result.via !== 'outbox') throw new Error('expected the outbox');
			expect(result.file.startsWith(`${dataDir.replace(/\/[^/]+$/, '')}/outbox/`)).toBe(true);
			const eml = readFileSync(result.file, 'utf8');
			expect(eml).toContain('To: invitee@example.test');
			expect(eml).toContain(link);
			expect(lines).toHaveLength(1);
			expect(lines[0]).not.toContain('invitee');
			expect(lines[0]).not.toContain('secret-token-value');
		} finally {
			if (result.via === 'outbox') rmSync(result.file);
		}
	});
});
