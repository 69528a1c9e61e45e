import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, removeGesprek } from '../../src/lib/board';
import { openDb, type Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import {
	clearPublicCache,
	readPublicBoard,
	refreshProjection,
	setPublication
} from '../../src/lib/server/public/store';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { seedPublicStory } from '../support/public-board';

/**
 * Differencing over time (privacy/publish-gate.ts): a resident who reads the street page before
 * and after one more gesprek must not learn what that household said. The page of a street's
 * round changes only once k households changed since it was last published; the stored basis
 * holds no address and no theme.
 */
async function open(driver: (typeof DRIVERS)[number]): Promise<Db> {
	const target = await freshDatabase(driver);
	return openDb({ dataDir: target.dataDir ?? '', databaseUrl: target.databaseUrl });
}

describe.each(DRIVERS)('the public page over time (%s)', (driver) => {
	let db: Db | undefined;
	afterEach(async () => {
		await db?.close();
		db = undefined;
	});

	async function sweelinck(round: number) {
		clearPublicCache();
		const board = await readPublicBoard(db!, 'spoorbuurt');
		return board!.streets
			.find((s) => s.slug === 'sweelinckstraat')!
			.rounds.find((r) => r.round === round)!;
	}

	function spoken(doc: Y.Doc, n: number, themeIds: string[]): string {
		return addGesprek(doc, {
			addressId: `sweelinckstraat-${n}`,
			date: '2026-03-09',
			round: 1,
			heldBy: 'Opbouwwerker',
			outcome: 'gesproken',
			themeIds
		}).id;
	}

	it('shows one more household only together with k-1 others', async () => {
		db = await open(driver);
		await ensureDemoBoard(db);
		await setPublication(db, 'spoorbuurt', { published: true, k: 5, streets: null });
		const doc = new Y.Doc();
		seedPublicStory(doc);
		await refreshProjection(db, 'spoorbuurt', doc);
		const first = await sweelinck(1);
		expect(first.households).toBe(12);

		// One more household, who named "groen": the page stays as it was.
		const added = spoken(doc, 14, ['groen']);
		await refreshProjection(db, 'spoorbuurt', doc);
		expect(await sweelinck(1)).toEqual(first);

		// The basis says nothing readable: no address, no theme.
		const [basis] = await db.query<{ cells: unknown }>(
			`select cells from public.publication_basis where board_id = 'spoorbuurt'`
		);
		const stored = JSON.stringify(basis!.cells);
		expect(stored).not.toMatch(/sweelinckstraat-|groen|ontmoeting|eenzaamheid/);

		// It leaves again, and four others come: four changes, the page stays.
		removeGesprek(doc, added);
		for (const n of [15, 16, 17, 18]) spoken(doc, n, ['groen']);
		await refreshProjection(db, 'spoorbuurt', doc);
		expect(await sweelinck(1)).toEqual(first);
		// The fifth (number 13, not at home before): all of them at once.
		spoken(doc, 13, []);
		await refreshProjection(db, 'spoorbuurt', doc);
		expect((await sweelinck(1)).households).toBe(17);
		doc.destroy();
	}, 60_000);

	it('forgets the basis with the publication', async () => {
		db = await open(driver);
		await ensureDemoBoard(db);
		const doc = new Y.Doc();
		seedPublicStory(doc);
		await refreshProjection(db, 'spoorbuurt', doc);
		const rows = () =>
			db!.query<{ n: number }>(
				`select count(*)::int as n from public.publication_basis where board_id = 'spoorbuurt'`
			);
		expect((await rows())[0]!.n).toBe(1);
		await setPublication(db, 'spoorbuurt', { published: false, k: 5, streets: null });
		await refreshProjection(db, 'spoorbuurt', doc);
		expect((await rows())[0]!.n).toBe(0);
		doc.destroy();
	}, 60_000);
});
