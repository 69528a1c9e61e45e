import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addConfidentialGesprek } from '../../src/lib/board/org-notes';
import type { SeedUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { acceptWithAccount, inviteByLink, signUpWithInvite } from '../support/invites';
import { memberAction } from '../support/members';
import { captureSocket, containsText } from '../support/raw-socket';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/**
 * Who may put a new account into an organisation (QA sec2). The organisation decides who reads
 * its confidential notes, so an owner of one organisation must not be able to make an account
 * they control in another one: before, an owner of Woonwaarts could make a link invitation for
 * Bindkracht10 (chosen from the board's organisations, or typed as "bindkracht10"), sign up with
 * it and read Bindkracht10's confidential notes on the board. Existing accounts always keep their
 * own organisation, so inviting a colleague of another organisation who has an account still works.
 */
const CAST = {
	owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
	bind: { org: 'Bindkracht10', boards: { spoorbuurt: 'owner' } },
	bindColleague: { org: 'Bindkracht10' },
	han: { org: 'HAN' }
} satisfies Record<string, SeedUser>;

const SECRET_B = 'Vertrouwelijk Bindkracht10: zorgmelding 9134';
const PASSWORD = 'een lang genoeg wachtwoord';

describe('invitations and organisations', () => {
	let seeded: SeededServer<keyof typeof CAST>;
	const clients: TestClient[] = [];
	let bindOrg: string;
	let woonOrg: string;
	let n = 0;
	const email = () => `nieuw-${++n}@example.test`;

	beforeAll(async () => {
		seeded = await startSeededServer({}, CAST);
		bindOrg = seeded.users.bind.organisationId;
		woonOrg = seeded.users.owner.organisationId;
		// Bindkracht10 writes a confidential note on the shared board.
		const { port } = seeded.server;
		const board = connectClient(port, 'spoorbuurt', { cookie: seeded.users.bind.cookie });
		const org = connectClient(port, 'spoorbuurt/org', { cookie: seeded.users.bind.cookie });
		clients.push(board, org);
		await Promise.all([whenSynced(board), whenSynced(org)]);
		addConfidentialGesprek(board.doc, org.doc, bindOrg, {
			addressId: 'spoor-1',
			date: '2026-11-24',
			heldBy: 'Bas',
			outcome: 'gesproken',
			notes: SECRET_B
		});
		// Stored before anyone else reads it: a fresh socket of Bindkracht10 gets it back.
		for (let tries = 0; ; tries++) {
			const fresh = await captureSocket(port, 'spoorbuurt/org', {
				cookie: seeded.users.bind.cookie
			});
			if (containsText(fresh.bytes, SECRET_B)) break;
			if (tries > 20) throw new Error('the confidential note was not stored');
		}
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await seeded?.server.stop('SIGKILL');
	});

	/** Signs up with a link made by the Woonwaarts owner; what the new account's org socket gets. */
	async function signUpAndRead(fields: Record<string, string>, address: string) {
		const { server, users } = seeded;
		const invite = await inviteByLink(server, users.owner.cookie, { role: 'viewer', ...fields });
		expect(invite.token).not.toBeNull();
		const page = await (await fetch(`${server.url}/uitnodiging/${invite.token}`)).text();
		const signup = await signUpWithInvite(server, invite.token!, {
			name: 'Stroman',
			email: address,
			password: PASSWORD
		});
		const notes = signup.cookie
			? await captureSocket(server.port, 'spoorbuurt/org', { cookie: signup.cookie })
			: null;
		return { invite, page, signup, notes };
	}

	it('an owner cannot sign up an account of their own in another organisation of the board', async () => {
		const address = email();
		const tries: Record<string, string>[] = [
			{ organisation: bindOrg },
			{ organisation: 'new', organisationName: 'BINDKRACHT10' }
		];
		for (const fields of tries) {
			const { invite, page, signup, notes } = await signUpAndRead(fields, address);
			// Before: a session in Bindkracht10, and its confidential note on the socket.
			expect(notes && containsText(notes.bytes, SECRET_B)).toBeFalsy();
			expect(signup.cookie).toBeNull();
			expect([signup.status, signup.type]).toEqual([403, 'failure']);
			expect(signup.text).toContain('organisation');
			// The owner is told the link is for existing accounts; the page offers no sign-up.
			expect(invite.text).toContain('existingOnly');
			expect(invite.text).toContain('Bindkracht10');
			expect(page).toContain('data-testid="invite-existing-only"');
			expect(page).not.toContain('?/signup');
		}
		// No account was left behind: the same address signs up with a Woonwaarts invitation.
		const own = await inviteByLink(seeded.server, seeded.users.owner.cookie, {
			role: 'viewer',
			organisation: woonOrg
		});
		const later = await signUpWithInvite(seeded.server, own.token!, {
			name: 'Stroman',
			email: address,
			password: PASSWORD
		});
		expect(later.cookie).not.toBeNull();
		const notes = await captureSocket(seeded.server.port, 'spoorbuurt/org', {
			cookie: later.cookie!
		});
		expect(notes.status).toBe(101);
		expect(containsText(notes.bytes, SECRET_B)).toBe(false);
	});

	it('keeps the legitimate invitations working', async () => {
		const { server, users } = seeded;
		// A new colleague of the owner's own organisation.
		const own = await inviteByLink(server, users.owner.cookie, {
			role: 'editor',
			organisation: woonOrg
		});
		const colleague = await signUpWithInvite(server, own.token!, {
			name: 'Collega',
			email: email(),
			password: PASSWORD
		});
		expect(colleague.cookie).not.toBeNull();
		// A new organisation.
		const fresh = await inviteByLink(server, users.owner.cookie, {
			role: 'editor',
			organisation: 'new',
			organisationName: 'Eigen Wijze Wijken'
		});
		const ewww = await signUpWithInvite(server, fresh.token!, {
			name: 'Buurtbouwer',
			email: email(),
			password: PASSWORD
		});
		expect(ewww.cookie).not.toBeNull();
		// A colleague of Bindkracht10 who has an account joins as Bindkracht10 and reads its notes.
		const forBind = await inviteByLink(server, users.owner.cookie, {
			role: 'viewer',
			organisation: bindOrg
		});
		expect((await acceptWithAccount(server, forBind.token!, users.bindColleague.cookie)).type).toBe(
			'redirect'
		);
		const read = await captureSocket(server.port, 'spoorbuurt/org', {
			cookie: users.bindColleague.cookie
		});
		expect(containsText(read.bytes, SECRET_B)).toBe(true);
		// A Bindkracht10 owner makes new accounts in Bindkracht10.
		const byBind = await inviteByLink(server, users.bind.cookie, {
			role: 'viewer',
			organisation: bindOrg
		});
		const newBind = await signUpWithInvite(server, byBind.token!, {
			name: 'Nieuwe welzijnscoach',
			email: email(),
			password: PASSWORD
		});
		expect(newBind.cookie).not.toBeNull();
		const readNew = await captureSocket(server.port, 'spoorbuurt/org', { cookie: newBind.cookie! });
		expect(containsText(readNew.bytes, SECRET_B)).toBe(true);
	});

	it('an invitation holds only while its maker is an owner of the board', async () => {
		const { server, users } = seeded;
		const before = await inviteByLink(server, users.bind.cookie, {
			role: 'editor',
			organisation: bindOrg
		});
		const unused = await inviteByLink(server, users.bind.cookie, {
			role: 'editor',
			organisation: bindOrg
		});
		expect(before.token && unused.token).toBeTruthy();
		// The Woonwaarts owner makes Bindkracht10's owner an editor: their links go with it.
		const demoted = await memberAction(server, users.owner.cookie, 'role', {
			userId: users.bind.id,
			role: 'editor'
		});
		expect(demoted.body.type).toBe('success');
		const accept = await acceptWithAccount(server, before.token!, users.han.cookie);
		expect([accept.type, accept.status]).toEqual(['failure', 409]);
		expect(accept.text).toContain('invalid');
		const signup = await signUpWithInvite(server, unused.token!, {
			name: 'Achterdeur',
			email: email(),
			password: PASSWORD
		});
		expect(signup.cookie).toBeNull();
		const page = await (await fetch(`${server.url}/uitnodiging/${unused.token}`)).text();
		expect(page).toContain('data-testid="invite-problem"');
		const han = await captureSocket(server.port, 'spoorbuurt', { cookie: users.han.cookie });
		expect(han.status).toBe(404);
	});
});
