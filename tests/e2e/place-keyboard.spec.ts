import { expect, test, type Page } from './test';
import { collectErrors, mapCenter, openBoard, ownerState } from './helpers';

/** Lon/lat of the initiatief with this title as one map draws it, or null. */
function drawnAt(page: Page, title: string): Promise<[number, number] | null> {
	return page.evaluate((title) => {
		const map = window.__buurtbordMap as unknown as {
			querySourceFeatures(source: string): {
				properties: Record<string, unknown>;
				geometry: { coordinates: unknown };
			}[];
		};
		const f = map.querySourceFeatures('initiatieven').find((f) => f.properties.title === title);
		return f ? (f.geometry.coordinates as [number, number]) : null;
	}, title);
}

function distance(a: [number, number] | null, b: { lng: number; lat: number }): number {
	return a ? Math.max(Math.abs(a[0] - b.lng), Math.abs(a[1] - b.lat)) : Infinity;
}

/** Pans A's map with the arrow keys, as a keyboard user does; resolves once it stands still. */
async function panWithKeys(page: Page, key: 'ArrowRight' | 'ArrowDown', times: number) {
	const before = await mapCenter(page);
	await page.getByTestId('board-map').locator('canvas').focus();
	for (let i = 0; i < times; i++) await page.keyboard.press(key);
	await expect
		.poll(() => page.evaluate(() => window.__buurtbordMap?.isMoving() ?? true))
		.toBe(false);
	const after = await mapCenter(page);
	expect(distance([after.lng, after.lat], before)).toBeGreaterThan(1e-5);
	return after;
}

test('by keyboard: an initiatief placed at the cross and moved there, seen in the other browser', async ({
	browser
}) => {
	const pageA = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const pageB = await (await browser.newContext({ storageState: ownerState() })).newPage();
	const errors = [collectErrors(pageA), collectErrors(pageB)];
	await openBoard(pageA);
	await openBoard(pageB);

	// Place mode by keyboard: the hint says how, the cross shows where.
	await pageA.getByRole('button', { name: 'Initiatief op de kaart zetten' }).focus();
	await pageA.keyboard.press('Enter');
	await expect(pageA.getByTestId('place-keyboard')).toContainText('pijltjestoetsen');
	await expect(pageA.getByTestId('place-cross')).toBeVisible();
	const spot = await panWithKeys(pageA, 'ArrowRight', 3);
	await pageA.getByRole('button', { name: 'Op het kruis plaatsen' }).focus();
	await pageA.keyboard.press('Enter');

	// The new initiatief's form, with the focus in its first field.
	const form = pageA.getByTestId('initiatief-form');
	await expect(form.getByLabel('Titel')).toBeFocused();
	await expect(pageA.getByTestId('place-cross')).toHaveCount(0);
	await expect(form.getByTestId('initiatief-place')).toContainText(
		`${spot.lng.toFixed(5)}, ${spot.lat.toFixed(5)}`
	);
	const title = `Bankje op het plein ${Date.now()}`;
	await pageA.keyboard.type(title);
	await form.getByRole('button', { name: 'Initiatief opslaan' }).focus();
	await pageA.keyboard.press('Enter');
	await expect
		.poll(() => drawnAt(pageB, title).then((at) => distance(at, spot)))
		.toBeLessThan(1e-6);

	// Moving it: no drag needed. "Verplaatsen", pan, the cross again.
	const move = form.getByTestId('initiatief-move');
	await move.focus();
	await pageA.keyboard.press('Enter');
	await expect(pageA.getByTestId('placing-hint')).toContainText(
		'Klik op de kaart waar het initiatief moet komen'
	);
	const next = await panWithKeys(pageA, 'ArrowDown', 2);
	await pageA.getByRole('button', { name: 'Op het kruis plaatsen' }).focus();
	await pageA.keyboard.press('Enter');
	await expect(move).toBeFocused();
	await expect(form.getByTestId('initiatief-place')).toContainText(
		`${next.lng.toFixed(5)}, ${next.lat.toFixed(5)}`
	);
	await expect
		.poll(() => drawnAt(pageB, title).then((at) => distance(at, next)))
		.toBeLessThan(1e-6);
	expect(errors.flat()).toEqual([]);
});
