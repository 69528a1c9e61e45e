import { createServer, type Server } from 'node:http';
import { expect, test } from './test';
import { collectErrors, OWNER, openBoard, signInThroughForm } from './helpers';

/*
 * Issue 8.2 and 8.3 in a real browser. A page on the same host but another port (a second local
 * origin, "same site", so the SameSite=Lax session cookie goes along) tries to open the board's
 * socket in a signed-in member's browser: refused, while the app's own page connects. And a board
 * left open in one tab goes to the sign-in page when the session is signed out in another tab.
 */
let foreign: Server;
let foreignUrl: string;

test.beforeAll(async () => {
	foreign = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const target = url.searchParams.get('target') ?? '';
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		if (url.pathname === '/frame') {
			// A hostile page that lays the app under its own buttons (clickjacking).
			res.end(
				`<!doctype html><title>Win een prijs</title><button>Klik hier</button>` +
					`<iframe src=${JSON.stringify(target)} width="800" height="600"></iframe>`
			);
			return;
		}
		res.end(`<!doctype html><title>Elders</title><p id="state">bezig</p><script>
			const log = { opened: false, messages: 0, closeCode: null };
			window.__socket = log;
			const ws = new WebSocket(${JSON.stringify(target)});
			ws.binaryType = 'arraybuffer';
			ws.onopen = () => { log.opened = true; };
			ws.onmessage = () => { log.messages++; };
			ws.onclose = (e) => { log.closeCode = e.code; document.getElementById('state').textContent = 'dicht'; };
		</script>`);
	});
	await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
	foreignUrl = `http://127.0.0.1:${(foreign.address() as { port: number }).port}`;
});

test.afterAll(async () => {
	await new Promise((resolve) => foreign.close(resolve));
});

test('a page of another origin on the same host cannot open the board socket; the app’s own page can', async ({
	page,
	baseURL
}) => {
	const app = new URL(baseURL!);
	const syncUrl = `ws://${app.host}/sync/spoorbuurt`;
	// The signed-in member's browser holds the session cookie for this host (any port).
	expect((await page.context().cookies(baseURL)).some((c) => c.name === 'buurtbord_session')).toBe(
		true
	);
	const errors = collectErrors(page);
	await page.goto(`${foreignUrl}/?target=${encodeURIComponent(syncUrl)}`);
	await expect(page.locator('#state')).toHaveText('dicht');
	const log = await page.evaluate(
		() => (window as unknown as { __socket: Record<string, unknown> }).__socket
	);
	// Refused at the upgrade (403): the page sees an abnormal close and no byte of the board.
	expect(log).toEqual({ opened: false, messages: 0, closeCode: 1006 });
	expect(errors.join('\n')).toContain('403');

	// The same browser on the app's own page connects.
	await openBoard(page);
});

test('a page of another origin cannot show the board or the members page in a frame', async ({
	page,
	baseURL
}) => {
	const errors = collectErrors(page);
	for (const path of ['/boards/spoorbuurt', '/boards/spoorbuurt/leden']) {
		const target = new URL(path, baseURL).href;
		await page.goto(`${foreignUrl}/frame?target=${encodeURIComponent(target)}`);
		const frame = page.frames().find((f) => f !== page.mainFrame());
		expect(frame).toBeDefined();
		// The browser refuses to show it: an error page, not the app's page with the member's session.
		await expect.poll(() => frame!.url()).not.toBe(target);
		expect(frame!.url()).not.toContain(new URL(baseURL!).host);
		await expect(
			page.frameLocator('iframe').getByRole('button', { name: 'Uitloggen' })
		).toHaveCount(0);
	}
	expect(errors.join('\n')).toContain('frame-ancestors');
});

test('signing out in another tab sends the open board to the sign-in page', async ({ browser }) => {
	// Its own session, so that the shared owner's session (used by other specs) stays signed in.
	const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	const board = await context.newPage();
	await board.goto('/login?next=%2Fboards%2Fspoorbuurt');
	await signInThroughForm(board, OWNER.email, OWNER.password);
	await openBoard(board);

	const other = await context.newPage();
	await other.goto('/');
	await other.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(other).toHaveURL(/\/login$/);

	await expect(board).toHaveURL(/\/login\?next=%2Fboards%2Fspoorbuurt$/, { timeout: 10_000 });
	await expect(board.getByRole('button', { name: 'Inloggen' })).toBeVisible();
	await context.close();
});
