import { error } from '@sveltejs/kit';
import { getBoard, listAddresses } from '$lib/server/boards';
import { requireBoardRole } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** Door mode: the board's address register and who is recording (for "gehouden door"). */
export const load: PageServerLoad = async (event) => {
	const { boardId, role, user } = await requireBoardRole(event, 'viewer');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	const addresses = await listAddresses(db, board.id);
	return { board, addresses, role, userId: user.id, userName: user.displayName };
};
