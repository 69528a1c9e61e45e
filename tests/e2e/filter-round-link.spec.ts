import { expect, test } from './test';
import { collectErrors } from './helpers';

/**
 * A link may name round 2 before the board has any round-2 gesprek (the doors still to walk after
 * the works): it is applied, and the round's selects show it, so that one sees why the list is
 * what it is, and can set it back to all. On the shared server's board (addresses, no story).
 */
test('a link with round 2 shows “Ronde 2” in the round selects, and “Alle” clears it', async ({
	page
}) => {
	const errors = collectErrors(page);
	await page.goto('/boards/spoorbuurt?ronde=2&open=1');
	await expect(page.getByTestId('board-map')).toHaveAttribute('data-loaded', 'true');
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
	const list = page.getByTestId('list-view');
	const panel = page.getByTestId('analysis-filters');
	for (const select of [list.getByLabel('Ronde'), panel.getByLabel('Ronde')]) {
		await expect(select).toHaveValue('2');
		await expect(select.locator('option:checked')).toHaveText('Ronde 2 (na de werkzaamheden)');
	}
	// Applied, and still in the address once the board is loaded.
	expect(new URL(page.url()).searchParams.get('ronde')).toBe('2');

	await list.getByLabel('Ronde').selectOption('');
	await expect(panel.getByLabel('Ronde')).toHaveValue('');
	await expect.poll(() => new URL(page.url()).search).toBe('?open=1');
	expect(errors).toEqual([]);
});
