import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import {
	gotoWithScriptHeld,
	addInitiatiefAt,
	collectErrors,
	initiatiefRow,
	openBoard,
	signInThroughForm,
	visibleAddresses
} from './helpers';
import { seededServer } from './own-server';

// Its own server: members come and go here, and every browser signs in on it.
test.describe.configure({ mode: 'serial' });

const contexts: BrowserContext[] = [];
const own = seededServer(4, 'members', {
	owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
	viewer: { org: 'HAN', displayName: 'Vera Lezer', boards: { spoorbuurt: 'viewer' } },
	outsider: { org: 'Bindkracht10', displayName: 'Otto Buiten' }
});

test.afterEach(async () => {
	for (const c of contexts.splice(0)) await c.close();
});

/** A browser of its own on this server: signed in as `user`, or nobody (no cookies at all). */
async function browserFor(
	browser: Browser,
	user?: SeededUser,
	{ javaScriptEnabled = true } = {}
): Promise<Page> {
	const context = await browser.newContext({
		storageState: { cookies: [], origins: [] },
		locale: 'nl-NL',
		javaScriptEnabled
	});
	contexts.push(context);
	if (user) await own.server.signIn(context, user);
	return context.newPage();
}

test('an invitation link makes a new editor once; removing them closes their open board', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner);
	const ownerErrors = collectErrors(owner);
	await openBoard(owner, 'spoorbuurt', own.server.url);
	await owner.getByTestId('members-link').click();
	await expect(owner.getByRole('heading', { level: 1 })).toHaveText('Leden van Spoorbuurt');
	await owner.getByLabel('Rol', { exact: true }).selectOption({ label: 'Bewerker' });
	await owner
		.getByLabel('Organisatie voor een nieuw account')
		.selectOption({ label: 'Woonwaarts' });
	await owner.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
	const link = await owner.getByTestId('invite-link').inputValue();
	expect(link).toMatch(new RegExp(`^${own.server.url}/uitnodiging/[A-Za-z0-9_-]{40,}$`));
	await expect(owner.getByTestId('invite-item')).toHaveCount(1);

	// A fresh browser: the invitation page tells nothing about the board before accepting.
	const invitee = await browserFor(browser);
	const inviteeErrors = collectErrors(invitee);
	await invitee.goto(link);
	await expect(invitee.getByRole('heading', { level: 1 })).toHaveText('Uitnodiging');
	await expect(invitee.locator('main')).not.toContainText('Spoorbuurt');
	await invitee.getByLabel('Naam').fill('Nieuwe Collega');
	await invitee.getByLabel('E-mailadres').fill('collega@example.test');
	await invitee.getByLabel('Wachtwoord').fill('een lang genoeg wachtwoord');
	await invitee.getByRole('button', { name: 'Account aanmaken en aannemen' }).click();
	await expect(invitee).toHaveURL(`${own.server.url}/boards/spoorbuurt`);
	await expect(invitee.getByTestId('signed-in-user')).toContainText('Nieuwe Collega (Woonwaarts)');
	await expect(invitee.getByTestId('connection-status')).toHaveAttribute(
		'data-status',
		'connected'
	);
	await expect(invitee.getByTestId('read-only-badge')).toHaveCount(0);

	// As editor they can add an initiatief, and the owner sees it.
	const title = `Buurtkamer ${Date.now()}`;
	await addInitiatiefAt(invitee, 'Obrechtstraat 3', title);
	await expect(await initiatiefRow(invitee, title)).toBeVisible();
	await openBoard(owner, 'spoorbuurt', own.server.url);
	await expect(await initiatiefRow(owner, title)).toBeVisible();

	// The link works once.
	const second = await browserFor(browser);
	await second.goto(link);
	await expect(second.getByTestId('invite-problem')).toContainText('al gebruikt');
	await expect(second.locator('main')).not.toContainText('Spoorbuurt');
	await expect(second.getByLabel('Wachtwoord')).toHaveCount(0);

	// The owner removes the new member while their board is open: it says so at once.
	await owner.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	const row = owner.getByTestId('member-row').filter({ hasText: 'collega@example.test' });
	await expect(row).toContainText('Woonwaarts');
	await expect(row.getByLabel('Rol van Nieuwe Collega')).toHaveValue('editor');
	await row.getByRole('button', { name: 'Nieuwe Collega van het bord verwijderen' }).click();
	await expect(
		owner.getByTestId('member-row').filter({ hasText: 'collega@example.test' })
	).toHaveCount(0);
	await expect(invitee.getByTestId('access-lost')).toBeVisible({ timeout: 5000 });
	await expect(invitee.getByTestId('access-lost')).toContainText('geen toegang meer');
	await expect(invitee.getByTestId('connection-status')).toHaveAttribute('data-status', 'revoked');
	// The board's content leaves the page.
	await expect(invitee.getByTestId('list-view')).toHaveCount(0);
	await expect(invitee.getByTestId('board-map')).toHaveCount(0);
	// Reloading gets the answer a stranger gets.
	const reload = await invitee.reload();
	expect(reload?.status()).toBe(404);

	expect(ownerErrors).toEqual([]);
	// The refused reconnect is not an error the page shows (the socket is not retried).
	expect(inviteeErrors.filter((e) => !e.includes('404'))).toEqual([]);
});

test('a viewer sees the board without any editing control', async ({ browser }) => {
	const viewer = await browserFor(browser, own.users.viewer);
	const errors = collectErrors(viewer);
	await openBoard(viewer, 'spoorbuurt', own.server.url);
	await expect(viewer.getByTestId('read-only-badge')).toHaveText('Alleen lezen');
	const main = viewer.locator('main');
	for (const name of [
		'Adressen importeren',
		"Thema's beheren",
		'Ongedaan maken',
		'Initiatief op de kaart zetten',
		'Notitie op de kaart zetten',
		'Adres openen',
		'Leden'
	]) {
		await expect(main.getByRole('button', { name, exact: true })).toHaveCount(0);
		await expect(main.getByRole('link', { name, exact: true })).toHaveCount(0);
	}
	await expect(viewer.getByLabel('Of kies een adres')).toHaveCount(0);
	// The editor's initiatief (previous test) is there to read.
	await expect(
		(await initiatiefRow(viewer, 'Buurtkamer')).getByRole('button', { name: /^Buurtkamer/ })
	).toBeVisible();

	// An address opens its history, without "Nieuw gesprek" or other actions.
	const [target] = await visibleAddresses(viewer);
	await viewer.mouse.click(target!.x, target!.y);
	const panel = viewer.getByTestId('address-panel');
	await expect(panel).toBeVisible();
	await expect(panel.getByRole('button', { name: 'Nieuw gesprek' })).toHaveCount(0);
	for (const name of ['Initiatief bij dit adres', 'Notitie bij dit adres']) {
		await expect(panel.getByRole('button', { name })).toHaveCount(0);
	}

	expect(errors).toEqual([]);

	// The members page is for owners only.
	const res = await viewer.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	expect(res?.status()).toBe(403);
});

/** The text of an .eml as nodemailer writes it (quoted-printable body decoded). */
function readMail(file: string): string {
	const raw = readFileSync(file, 'utf8').replace(/=\r?\n/g, '');
	return Buffer.from(
		raw.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
		'latin1'
	).toString('utf8');
}

test('an invitation by email: the mail holds the board and the link, the address is fixed, the newcomer reads only', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner);
	await owner.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	await owner.getByLabel('Rol', { exact: true }).selectOption({ label: 'Lezer' });
	await owner
		.getByLabel('Organisatie voor een nieuw account')
		.selectOption({ label: 'Nieuwe organisatie…' });
	await owner.getByLabel('Naam van de nieuwe organisatie').fill('Wijkteam Oost');
	await owner
		.getByLabel('E-mailadres (voor een uitnodiging per e-mail)')
		.fill('lezer@example.test');
	await owner.getByRole('button', { name: 'Uitnodiging per e-mail sturen' }).click();
	await expect(owner.getByText('De uitnodiging is verstuurd.')).toBeVisible();
	await expect(
		owner.getByTestId('invite-item').filter({ hasText: 'lezer@example.test' })
	).toContainText('Wijkteam Oost');
	// The link is in the mail only, not on the owner's page.
	await expect(owner.getByTestId('invite-link')).toHaveCount(0);

	const outbox = join(own.dataDir, 'outbox');
	await expect.poll(() => readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
	const mail = readMail(
		join(
			outbox,
			readdirSync(outbox).find((f) => f.endsWith('.eml'))!
		)
	);
	expect(mail).toContain('To: lezer@example.test');
	expect(mail).toContain('Spoorbuurt');
	expect(mail).not.toContain('Olga');
	expect(mail).not.toContain(own.users.owner.email);
	const link = /http:\/\/127\.0\.0\.1:\d+\/uitnodiging\/[A-Za-z0-9_-]+/.exec(mail)?.[0];
	expect(link).toBeTruthy();

	const invitee = await browserFor(browser);
	await invitee.goto(link!);
	const email = invitee.getByLabel('E-mailadres');
	await expect(email).toHaveValue('lezer@example.test');
	await expect(email).not.toBeEditable();
	await invitee.getByLabel('Naam').fill('Lies Lezer');
	await invitee.getByLabel('Wachtwoord').fill('nog een lang wachtwoord');
	await invitee.getByRole('button', { name: 'Account aanmaken en aannemen' }).click();
	await expect(invitee).toHaveURL(`${own.server.url}/boards/spoorbuurt`);
	await expect(invitee.getByTestId('signed-in-user')).toContainText('Lies Lezer (Wijkteam Oost)');
	await expect(invitee.getByTestId('read-only-badge')).toBeVisible();
});

test('without the page script (not loaded yet, or off), a new organisation gets its name field and the invitation its organisation', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner, { javaScriptEnabled: false });
	await owner.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	const organisation = owner.getByLabel('Organisatie voor een nieuw account');
	const name = owner.getByLabel('Naam van de nieuwe organisatie');
	await organisation.selectOption({ index: 0 });
	await expect(name).toBeHidden();
	await organisation.selectOption({ label: 'Nieuwe organisatie…' });
	await expect(name).toBeVisible();
	await name.fill('Buurtteam Zonder Script');
	await owner.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
	await expect(
		owner.getByTestId('invite-item').filter({ hasText: 'Buurtteam Zonder Script' })
	).toHaveCount(1);
});

test('choices made in the invitation form while the page script is still loading stay made', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner);
	const release = await gotoWithScriptHeld(owner, `${own.server.url}/boards/spoorbuurt/leden`);
	await owner.getByLabel('Rol', { exact: true }).selectOption({ label: 'Lezer' });
	await owner
		.getByLabel('Organisatie voor een nieuw account')
		.selectOption({ label: 'Nieuwe organisatie…' });
	await release();
	await expect(owner.getByLabel('Rol', { exact: true })).toHaveValue('viewer');
	await expect(owner.getByLabel('Organisatie voor een nieuw account')).toHaveValue('new');
	await expect(owner.getByLabel('Naam van de nieuwe organisatie')).toBeVisible();
});

test('someone with an account signs in from the invitation and comes back to accept it', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner);
	await owner.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	await owner.getByLabel('Rol', { exact: true }).selectOption({ label: 'Bewerker' });
	await owner.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
	const link = await owner.getByTestId('invite-link').inputValue();

	const outsider = await browserFor(browser);
	await outsider.goto(link);
	await outsider.getByRole('button', { name: 'Inloggen en daarna aannemen' }).click();
	await expect(outsider).toHaveURL(/\/login\?next=/);
	await signInThroughForm(outsider, own.users.outsider.email, own.users.outsider.password);
	await expect(outsider).toHaveURL(link);
	await expect(outsider.getByText('Je neemt de uitnodiging aan als Otto Buiten.')).toBeVisible();
	await outsider.getByRole('button', { name: 'Uitnodiging aannemen' }).click();
	await expect(outsider).toHaveURL(`${own.server.url}/boards/spoorbuurt`);
	await expect(outsider.getByTestId('connection-status')).toHaveAttribute(
		'data-status',
		'connected'
	);
	await expect(outsider.getByTestId('read-only-badge')).toHaveCount(0);
	// Their own organisation stays theirs: the invitation's only decides for new accounts.
	await expect(outsider.getByTestId('signed-in-user')).toContainText('(Bindkracht10)');
});

test('a revoked invitation says so; the last owner cannot step down', async ({ browser }) => {
	const owner = await browserFor(browser, own.users.owner);
	await owner.goto(`${own.server.url}/boards/spoorbuurt/leden`);
	const before = await owner.getByTestId('invite-item').count();
	await owner.getByLabel('Rol', { exact: true }).selectOption({ label: 'Eigenaar' });
	await owner.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
	const link = await owner.getByTestId('invite-link').inputValue();
	await expect(owner.getByTestId('invite-item')).toHaveCount(before + 1);
	await owner
		.getByTestId('invite-item')
		.filter({ hasText: 'Eigenaar' })
		.getByRole('button', { name: /intrekken/ })
		.click();
	await expect(owner.getByText('De uitnodiging is ingetrokken.')).toBeVisible();
	await expect(owner.getByTestId('invite-item')).toHaveCount(before);

	const stranger = await browserFor(browser);
	await stranger.goto(link);
	await expect(stranger.getByTestId('invite-problem')).toContainText('ingetrokken');
	await expect(stranger.locator('main')).not.toContainText('Spoorbuurt');

	const me = owner.getByTestId('member-row').filter({ hasText: own.users.owner.email });
	await me.getByLabel('Rol van Olga Eigenaar').selectOption({ label: 'Lezer' });
	await me.getByRole('button', { name: 'Rol opslaan' }).click();
	await expect(owner.getByTestId('members-error')).toContainText('altijd minstens één eigenaar');
	await owner.reload();
	await expect(
		owner
			.getByTestId('member-row')
			.filter({ hasText: own.users.owner.email })
			.getByLabel('Rol van Olga Eigenaar')
	).toHaveValue('owner');
});

test('a role chosen for a member while the page script is still loading is the one saved', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner);
	const release = await gotoWithScriptHeld(owner, `${own.server.url}/boards/spoorbuurt/leden`);
	const vera = () =>
		owner
			.getByTestId('member-row')
			.filter({ hasText: own.users.viewer.email })
			.getByLabel('Rol van Vera Lezer');
	await expect(vera()).toHaveValue('viewer');
	await vera().selectOption({ label: 'Bewerker' });
	await release();
	// Hydration keeps the choice (it used to put the stored role back).
	await expect(vera()).toHaveValue('editor');
	await owner
		.getByTestId('member-row')
		.filter({ hasText: own.users.viewer.email })
		.getByRole('button', { name: 'Rol opslaan' })
		.click();
	await expect(owner.getByTestId('members-error')).toHaveCount(0);
	await owner.reload();
	await expect(vera()).toHaveValue('editor');
});

test('a role changed while the board is open: the page says so, and its reload has the new controls', async ({
	browser
}) => {
	const owner = await browserFor(browser, own.users.owner);
	const setVera = async (label: 'Lezer' | 'Bewerker') => {
		await owner.goto(`${own.server.url}/boards/spoorbuurt/leden`);
		const row = owner.getByTestId('member-row').filter({ hasText: own.users.viewer.email });
		await row.getByLabel('Rol van Vera Lezer').selectOption({ label });
		await row.getByRole('button', { name: 'Rol opslaan' }).click();
		await expect(owner.getByTestId('members-error')).toHaveCount(0);
	};
	await setVera('Bewerker');
	const vera = await browserFor(browser, own.users.viewer);
	const errors = collectErrors(vera);
	await openBoard(vera, 'spoorbuurt', own.server.url);
	await expect(vera.getByTestId('read-only-badge')).toHaveCount(0);

	// Made viewer while the board is open: said so; the reload shows the board read-only.
	await setVera('Lezer');
	const notice = vera.getByTestId('access-changed');
	await expect(notice).toContainText('Je kunt dit bord nu alleen lezen');
	await notice.getByRole('button', { name: 'Pagina opnieuw laden' }).click();
	await expect(vera.getByTestId('read-only-badge')).toHaveText('Alleen lezen');
	await expect(vera.getByTestId('access-changed')).toHaveCount(0);

	// Made editor again: said so; the reload brings the editing controls back.
	await setVera('Bewerker');
	await expect(notice).toContainText('Je mag dit bord nu ook bewerken');
	await notice.getByRole('button', { name: 'Pagina opnieuw laden' }).click();
	await expect(vera.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	await expect(vera.getByTestId('read-only-badge')).toHaveCount(0);
	await expect(
		vera.getByRole('button', { name: 'Initiatief op de kaart zetten', exact: true })
	).toBeVisible();
	expect(errors).toEqual([]);
});
