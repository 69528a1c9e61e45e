import { expect, test, type Page } from './test';
import { demoStoryServer } from './own-server';

/**
 * The board page is the window's height and never scrolls as a whole: its panels scroll on their
 * own. The hidden labels of the theme dots in the list's tables (.sr-only, absolutely placed) had
 * no positioned ancestor and sat thousands of pixels below the page, so Space, PageDown or the
 * wheel outside the panels scrolled header, map and panels away into a blank page (QA session
 * "kerngroep"). On the demo board's story, where the tables are full of theme dots.
 */
const demo = demoStoryServer(3, 'board-scroll');

/** How far the document and the app's main area could scroll, and have scrolled. */
function scrolling(page: Page) {
	return page.evaluate(() => {
		const main = document.querySelector('main')!;
		return {
			documentOverflow: document.scrollingElement!.scrollHeight - window.innerHeight,
			scrollY: window.scrollY,
			mainOverflow: main.scrollHeight - main.clientHeight,
			mainScrollTop: main.scrollTop
		};
	});
}
const still = { documentOverflow: 0, scrollY: 0, mainOverflow: 0, mainScrollTop: 0 };

test('the board page does not scroll as a whole, with every tab of the overview open', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto(`${demo.server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	const list = page.getByTestId('list-view');
	await expect(list.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
	// The story's theme dots are in the table (with their hidden names).
	await expect(list.locator('table .sr-only').first()).toBeAttached();
	const header = page.locator('.board-header');

	for (const tab of ['Adressen', 'Gesprekken', 'Initiatieven']) {
		await list.getByRole('tab', { name: tab }).click();
		expect(await scrolling(page), tab).toEqual(still);
		// Keys on the page itself (an empty part of the header clicked first), and the wheel.
		const box = (await header.boundingBox())!;
		await page.mouse.click(box.x + box.width - 5, box.y + box.height - 3);
		for (const key of ['Space', 'PageDown', 'End']) await page.keyboard.press(key);
		await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
		await page.mouse.wheel(0, 2000);
		await page.waitForTimeout(300);
		expect(await scrolling(page), `${tab}, after Space, PageDown, End and the wheel`).toEqual(
			still
		);
		await expect(header).toBeInViewport();
		expect((await header.boundingBox())!.y).toBeGreaterThanOrEqual(0);
	}
});
