import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db';
import { getBoard, listAddresses } from '../../../src/lib/server/boards';
import { DEMO_BOARD, demoAddresses, ensureDemoBoard } from '../../../src/lib/server/demo';
import { migratedDb } from '../../support/db';

describe('the demo board', () => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
	});

	it('has about 150 households in the Spoorbuurt, each address once', () => {
		const addresses = demoAddresses();
		expect(addresses.length).toBeGreaterThanOrEqual(140);
		expect(addresses.length).toBeLessThanOrEqual(160);
		expect(new Set(addresses.map((a) => a.id)).size).toBe(addresses.length);
		for (const a of addresses) {
			expect(a.lat).toBeGreaterThanOrEqual(51.828);
			expect(a.lat).toBeLessThanOrEqual(51.838);
			expect(a.lon).toBeGreaterThanOrEqual(5.864);
			expect(a.lon).toBeLessThanOrEqual(5.882);
			expect(a.postcode).toMatch(/^65\d{2}[A-Z]{2}$/);
		}
	});

	it('is created once and stored with its addresses', async () => {
		db = await migratedDb('pglite');
		expect(await ensureDemoBoard(db)).toBe(true);
		expect(await ensureDemoBoard(db)).toBe(false);
		expect(await getBoard(db, DEMO_BOARD.id)).toEqual(DEMO_BOARD);
		expect(await listAddresses(db, DEMO_BOARD.id)).toHaveLength(demoAddresses().length);
	});
});
