import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './test';
import { demoStoryServer } from './own-server';

/**
 * Every page a professional works in passes axe (WCAG 2.2 A and AA), on the demo board with its
 * story, so that legends, charts, tables, lists, forms and the review of initiatief texts hold
 * real content: the board with the editing panel open on a gesprek and on an initiatief, the list
 * view's tabs, and each of the board's own pages. (The public pages: public-pages.spec.ts and
 * public-map.spec.ts; door mode on a phone: door.spec.ts.)
 */
test.describe.configure({ mode: 'serial' });

const demo = demoStoryServer(10, 'a11y');

async function violations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	return result.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(' | ')})`
	);
}

test('the board with its panel, forms and lists passes axe', async ({ browser }) => {
	test.setTimeout(180_000);
	const page = await demo.server.signedInPage(browser, demo.owner);
	await page.goto(`${demo.server.url}/boards/spoorbuurt`);
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true', {
		timeout: 60_000
	});
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	await expect(page.getByTestId('analysis-legend')).toBeVisible();
	expect(await violations(page), 'board').toEqual([]);

	// A gesprek of the story, open in the panel.
	const list = page.getByTestId('list-view');
	await list.getByRole('tab', { name: 'Gesprekken' }).click();
	await list.getByRole('row').nth(1).getByRole('button').first().click();
	await expect(page.getByTestId('gesprek-form')).toBeVisible();
	expect(await violations(page), 'gesprek form').toEqual([]);
	// Its history, unfolded.
	await page.getByTestId('item-history').getByText('Geschiedenis').click();
	await expect(
		page.getByTestId('item-history').locator('.empty, [data-testid="item-history-entry"]').first()
	).toBeVisible({ timeout: 15_000 });
	expect(await violations(page), 'gesprek history').toEqual([]);

	// An initiatief of the story.
	await list.getByRole('tab', { name: 'Initiatieven' }).click();
	await list
		.getByTestId('initiatief-table')
		.getByRole('row')
		.nth(1)
		.getByRole('button')
		.first()
		.click();
	await expect(page.getByTestId('initiatief-form')).toBeVisible();
	expect(await violations(page), 'initiatief form').toEqual([]);

	await list.getByRole('tab', { name: 'Adressen' }).click();
	expect(await violations(page), 'addresses').toEqual([]);
});

test("the board's own pages pass axe", async ({ browser }) => {
	test.setTimeout(180_000);
	const page = await demo.server.signedInPage(browser, demo.owner);
	for (const path of [
		'/',
		'/boards/spoorbuurt/analyse',
		'/boards/spoorbuurt/adressen',
		'/boards/spoorbuurt/leden',
		'/boards/spoorbuurt/instellingen',
		'/boards/spoorbuurt/audit',
		'/boards/spoorbuurt/deur'
	]) {
		const response = await page.goto(`${demo.server.url}${path}`);
		expect(response?.status(), path).toBe(200);
		await page.waitForLoadState('networkidle');
		expect(await violations(page), path).toEqual([]);
	}
});
