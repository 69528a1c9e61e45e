import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { Browser, BrowserContext, Locator, Page, WebSocketRoute } from '@playwright/test';

/**
 * Playwright's `test`, plus: every browser context a test opens itself (a second or third person,
 * `browser.newContext()`) is closed when the test ends, as its own `context` is. Left open, their
 * pages stay connected to the board and keep drawing their maps for the rest of the file, and each
 * later test runs slower on a small machine.
 */
export const test = base.extend<{ closeOwnContexts: void }>({
	closeOwnContexts: [
		async ({ browser }, use) => {
			const before = new Set(browser.contexts());
			await use();
			const opened = browser.contexts().filter((context) => !before.has(context));
			await Promise.all(opened.map((context) => context.close()));
		},
		{ auto: true }
	]
});
