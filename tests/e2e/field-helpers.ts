import { expect, type Page } from '@playwright/test';

/** Door mode of a board, connected and with its document in sync. */
export async function openDoorMode(page: Page, boardId = 'spoorbuurt', server = ''): Promise<void> {
	const response = await page.goto(`${server}/boards/${boardId}/deur`);
	expect(response?.status()).toBe(200);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

/** Waits until the service worker controls the page and keeps the board's pages for offline use. */
export async function waitForOfflineCopy(page: Page): Promise<void> {
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await expect
		.poll(() =>
			page.evaluate(async () => {
				if (!navigator.serviceWorker.controller) return 0;
				const cache = await caches.open('buurtbord-pages');
				return (await cache.keys()).length;
			})
		)
		.toBeGreaterThanOrEqual(5);
	await expect
		.poll(() =>
			page.evaluate(async () =>
				(await indexedDB.databases()).some((d) => d.name?.startsWith('buurtbord:'))
			)
		)
		.toBe(true);
}

/** What the device keeps of Buurtbord: IndexedDB database names and Cache Storage names. */
export function localData(page: Page): Promise<{ databases: string[]; caches: string[] }> {
	return page.evaluate(async () => ({
		databases: (await indexedDB.databases())
			.map((d) => d.name ?? '')
			.filter((n) => n.startsWith('buurtbord')),
		caches: await caches.keys()
	}));
}
