import * as Y from 'yjs';
import { generateDemo } from '../demo/generate';
import type { Address } from '../geo/address';
import type { BoardMeta } from '../board/meta';
import { createBoard, getBoard, insertAddresses } from './boards';
import type { Db } from './db';
import { setPublication } from './public/store';
import { approveText } from './public/reviews';
import { listInitiatieven } from '../board/initiatieven';
import { freeTextOf } from '../privacy/projection';

export const DEMO_BOARD: BoardMeta = {
	id: 'spoorbuurt',
	name: 'Spoorbuurt',
	centerLon: 5.8735,
	centerLat: 51.8328,
	zoom: 15.5
};

/** About 150 households along the demo streets, deterministic so every install looks the same. */
export function demoAddresses(): Address[] {
	return generateDemo().addresses;
}

/**
 * Creates the demo board unless it exists: its addresses and its story (gesprekken over two
 * rounds, themes, talents, initiatieven, notes; src/lib/demo/generate.ts) as the first row of its
 * document log (with `story`; without it, the addresses alone, as tests that need a blank board
 * want). Returns whether it created it.
 */
export async function ensureDemoBoard(
	db: Db,
	{ story = false }: { story?: boolean } = {}
): Promise<boolean> {
	if (await getBoard(db, DEMO_BOARD.id)) return false;
	const demo = generateDemo();
	await db.transaction(async (tx) => {
		await createBoard(tx, DEMO_BOARD);
		await insertAddresses(tx, DEMO_BOARD.id, demo.addresses);
		if (story) {
			await tx.query('insert into public.board_updates (board_id, data) values ($1, $2)', [
				DEMO_BOARD.id,
				Y.encodeStateAsUpdate(demo.doc)
			]);
			// The story's texts are invented: approved for the public pages from the start.
			for (const i of listInitiatieven(demo.doc, { includeInternal: false }))
				await approveText(tx, DEMO_BOARD.id, i.id, freeTextOf(i), null);
		}
		// The demo shows the public resident pages (/buurt/spoorbuurt); new boards start unpublished.
		await setPublication(tx, DEMO_BOARD.id, { published: true, k: 5, streets: null });
	});
	demo.doc.destroy();
	return true;
}
