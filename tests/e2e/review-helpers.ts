import { expect, type Page } from './test';

/** The review of an initiatief with this title on the board's settings page. */
export function reviewOf(page: Page, title: string) {
	return page
		.getByTestId('initiative-review')
		.filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/**
 * An owner approves these initiatieven's texts on the settings page, as they are now: once the
 * page lists them (the board's edits reach the server over the socket first).
 */
export async function approveTexts(
	page: Page,
	baseUrl: string,
	titles: readonly string[],
	boardId = 'spoorbuurt'
): Promise<void> {
	await expect
		.poll(
			async () => {
				await page.goto(`${baseUrl}/boards/${boardId}/instellingen`);
				let found = 0;
				for (const title of titles) found += await reviewOf(page, title).count();
				return found;
			},
			{ timeout: 20_000 }
		)
		.toBe(titles.length);
	for (const title of titles) {
		const review = reviewOf(page, title);
		await review.getByRole('button', { name: 'Deze tekst goedkeuren' }).click();
		await expect(review.getByRole('status')).toHaveText(
			'Goedgekeurd: het initiatief staat met deze tekst op de openbare pagina.'
		);
		await expect(review).toHaveAttribute('data-state', 'approved');
	}
}
