import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from './test';
import type { SeededUser } from '../support/accounts';
import { collectErrors, signInThroughForm } from './helpers';
import { OwnServer } from './own-server';

/*
 * Built-in accounts on a server of its own that starts as `npm start` does on a new machine: the
 * demo board and no account at all. The tests run in order: the first creates the first owner.
 */
test.describe.configure({ mode: 'serial' });
// Nobody is signed in here unless a test signs in (not even as the shared server's owner).
test.use({ storageState: { cookies: [], origins: [] } });

const FIRST_OWNER = {
	name: 'Fatima Yilmaz',
	email: 'fatima@woonwaarts.test',
	password: 'een wachtwoord voor de eigenaar',
	organisation: 'Woonwaarts'
};
const BOARD = '/boards/spoorbuurt';

let dataDir: string;
let server: OwnServer;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-accounts-'));
	server = new OwnServer(ownPort(7), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: ''
	});
	await server.start();
});

test.afterAll(async () => {
	await server.stop('SIGTERM');
	rmSync(dataDir, { recursive: true, force: true });
});

async function expectBoardOpen(page: Page): Promise<void> {
	await expect(page).toHaveURL(`${server.url}${BOARD}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Spoorbuurt' })).toBeVisible();
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

async function freshPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
	const context = await browser.newContext({
		storageState: { cookies: [], origins: [] },
		...options
	});
	return context.newPage();
}

test('the first visit creates the first owner on /setup, who then opens the demo board', async ({
	page,
	browser
}) => {
	const errors = collectErrors(page);
	// A board link from before setup ends on the setup page too.
	await page.goto(`${server.url}${BOARD}`);
	await expect(page).toHaveURL(`${server.url}/setup`);
	await page.goto(`${server.url}/`);
	await expect(page).toHaveURL(`${server.url}/setup`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurtbord instellen');

	// The server checks too (the browser's own checks switched off): errors at their fields.
	await page
		.locator('form.auth-form')
		.evaluate((form: HTMLFormElement) => (form.noValidate = true));
	await page.getByLabel('Naam').fill(FIRST_OWNER.name);
	await page.getByLabel('E-mailadres').fill('fatima-at-woonwaarts');
	await page.getByLabel('Wachtwoord').fill('kort');
	await page.getByRole('button', { name: 'Account aanmaken en inloggen' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Het formulier is nog niet in orde: zie de meldingen bij de velden.'
	);
	await expect(page.getByLabel('E-mailadres')).toHaveAccessibleDescription(
		'Vul een geldig e-mailadres in.'
	);
	await expect(page.getByLabel('Wachtwoord')).toHaveAccessibleDescription(
		'Minstens 12 tekens. Gebruik een wachtwoord van minstens 12 en hoogstens 1024 tekens.'
	);
	await expect(page.getByLabel('Naam')).toHaveValue(FIRST_OWNER.name);
	await expect(page.getByLabel('Naam')).not.toHaveAttribute('aria-invalid', 'true');

	await page.getByLabel('E-mailadres').fill(FIRST_OWNER.email);
	await page.getByLabel('Wachtwoord').fill(FIRST_OWNER.password);
	await page.getByLabel('Organisatie').fill(FIRST_OWNER.organisation);
	await page.getByRole('button', { name: 'Account aanmaken en inloggen' }).click();

	await expect(page).toHaveURL(`${server.url}/`);
	await expect(page.getByTestId('signed-in-user')).toHaveText(
		`Ingelogd als ${FIRST_OWNER.name} (${FIRST_OWNER.organisation})`
	);
	await page.getByRole('link', { name: 'Spoorbuurt' }).click();
	await expectBoardOpen(page);
	expect(errors).toEqual([]);

	// Setup is gone for good: for the owner and for anyone else.
	const again = await page.goto(`${server.url}/setup`);
	expect(again?.status()).toBe(404);
	await expect(page.getByTestId('error-page')).toBeVisible();
	const stranger = await freshPage(browser);
	expect((await stranger.goto(`${server.url}/setup`))?.status()).toBe(404);
	// The home page now offers sign-in instead.
	await stranger.goto(`${server.url}/`);
	await expect(
		stranger.getByText('Log in om de borden te zien waar je lid van bent.')
	).toBeVisible();
	await stranger.getByRole('link', { name: 'Inloggen' }).click();
	await expect(stranger).toHaveURL(`${server.url}/login`);
	await stranger.context().close();
});

test('signed out, a board link asks to sign in and then returns to the board', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto(`${server.url}${BOARD}`);
	await expect(page).toHaveURL(`${server.url}/login?next=%2Fboards%2Fspoorbuurt`);
	await signInThroughForm(page, FIRST_OWNER.email, FIRST_OWNER.password);
	await expectBoardOpen(page);

	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(`${server.url}/login`);
	await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
	// The session is over on the server, not only in this browser.
	await page.goto(`${server.url}${BOARD}`);
	await expect(page).toHaveURL(`${server.url}/login?next=%2Fboards%2Fspoorbuurt`);
	await signInThroughForm(page, FIRST_OWNER.email, FIRST_OWNER.password);
	await expectBoardOpen(page);
	expect(errors).toEqual([]);
});

test('a wrong password shows an error tied to the fields, and keeps the email address', async ({
	page
}) => {
	await page.goto(`${server.url}/login?next=%2Fboards%2Fspoorbuurt`);
	await page.getByLabel('E-mailadres').fill(FIRST_OWNER.email);
	await page.getByLabel('Wachtwoord').fill('niet het goede wachtwoord');
	await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
	await expect(page.getByLabel('E-mailadres')).toHaveValue(FIRST_OWNER.email);
	await expect(page.getByLabel('E-mailadres')).toHaveAccessibleDescription(
		'Het e-mailadres of het wachtwoord klopt niet.'
	);
	await expect(page.getByLabel('Wachtwoord')).toHaveAttribute('aria-invalid', 'true');
	await expect(page).toHaveURL(/\/login/);
	// The right password still works (one failure is no throttling), and `next` still holds.
	await page.getByLabel('Wachtwoord').fill(FIRST_OWNER.password);
	await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
	await expectBoardOpen(page);
});

test('signing in works without JavaScript, and a foreign `next` goes home instead', async ({
	browser
}) => {
	const page = await freshPage(browser, { javaScriptEnabled: false });
	await page.goto(`${server.url}/login?next=${encodeURIComponent('//example.com/boards')}`);
	await page.getByLabel('E-mailadres').fill(FIRST_OWNER.email);
	await page.getByLabel('Wachtwoord').fill('fout');
	await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
	await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
	await page.getByLabel('Wachtwoord').fill(FIRST_OWNER.password);
	await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(`${server.url}/`);
	await expect(page.getByTestId('signed-in-user')).toContainText(FIRST_OWNER.name);
	await expect(page.getByRole('link', { name: 'Spoorbuurt' })).toBeVisible();
	// Signing out is a plain form as well.
	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(`${server.url}/login`);
	await page.goto(`${server.url}/`);
	await expect(page.getByRole('link', { name: 'Inloggen' })).toBeVisible();
	await page.context().close();
});

test('the sign-in page speaks English to an English browser', async ({ browser }) => {
	const page = await freshPage(browser, { locale: 'en-GB' });
	const errors = collectErrors(page);
	await page.goto(`${server.url}${BOARD}`);
	await expect(page).toHaveURL(/\/login\?next=/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
	// The page's script sends the form: before it runs, the browser posts it itself and reports
	// the answer's 400 (a wrong password) in its console, which this test asserts is quiet.
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await page.getByLabel('Email address').fill(FIRST_OWNER.email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'The email address or the password is not correct.'
	);
	await signInThroughForm(page, FIRST_OWNER.email, FIRST_OWNER.password, 'en');
	await expect(page).toHaveURL(`${server.url}${BOARD}`);
	await expect(page.getByTestId('signed-in-user')).toHaveText(
		`Signed in as ${FIRST_OWNER.name} (${FIRST_OWNER.organisation})`
	);
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	expect(errors).toEqual([]);
	await page.context().close();
});

test.describe('with more accounts', () => {
	let users: Record<'member' | 'outsider', SeededUser>;

	// Accounts added while the server is down (PGlite: one process at a time), as the CLI does.
	test.beforeAll(async () => {
		await server.stop('SIGTERM');
		users = await server.seed({
			member: {
				org: 'Bindkracht10',
				displayName: 'Bas Bindkracht',
				boards: { spoorbuurt: 'viewer' }
			},
			outsider: { org: 'Elders', displayName: 'Olaf Elders' }
		});
		await server.start();
	});

	test('after five wrong passwords even the right one waits', async ({ page }) => {
		await page.goto(`${server.url}/login?next=%2Fboards%2Fspoorbuurt`);
		const submit = page.getByRole('main').getByRole('button', { name: 'Inloggen' });
		// Each attempt waits for the server's answer, so that five really reached it.
		const answered = () =>
			page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/login'));
		for (let attempt = 1; attempt <= 5; attempt++) {
			await page.getByLabel('E-mailadres').fill(users.member.email);
			await page.getByLabel('Wachtwoord').fill(`fout ${attempt}`);
			await Promise.all([answered(), submit.click()]);
			await expect(page.getByRole('alert')).toHaveText(
				'Het e-mailadres of het wachtwoord klopt niet.'
			);
		}
		await page.getByLabel('Wachtwoord').fill(users.member.password);
		await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			/^Te veel pogingen, probeer het over (1[0-5]|[1-9]) minuten opnieuw\.$/
		);
		await expect(page).toHaveURL(/\/login\?next=/);
		await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
		// Not signed in behind the message either.
		await page.goto(`${server.url}${BOARD}`);
		await expect(page).toHaveURL(/\/login\?next=/);
	});

	test('a signed-in non-member gets the same 404 page as for a board that does not exist', async ({
		page,
		context
	}) => {
		await server.signIn(context, users.outsider);
		const missing = await page.goto(`${server.url}/boards/bestaat-niet`);
		expect(missing?.status()).toBe(404);
		const missingPage = await page.getByTestId('error-page').innerText();
		const missingTitle = await page.title();

		const board = await page.goto(`${server.url}${BOARD}`);
		expect(board?.status()).toBe(404);
		await expect(page.getByTestId('signed-in-user')).toContainText('Olaf Elders');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Niet gevonden');
		expect(await page.getByTestId('error-page').innerText()).toBe(missingPage);
		expect(await page.title()).toBe(missingTitle);
		await expect(page.getByText('Spoorbuurt')).toHaveCount(0);
		// Their home page lists no board at all.
		await page.goto(`${server.url}/`);
		await expect(page.getByText('Er zijn nog geen borden.')).toBeVisible();
	});
});
