import { error } from '@sveltejs/kit';
import { listAssignments } from '$lib/server/analysis';
import { getBoard, listAddresses } from '$lib/server/boards';
import { requireBoardRole } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';
import { assignedTo } from './door';

/**
 * Door mode: the board's address register, who is recording (for "gehouden door") and the streets
 * assigned to them ("mijn straten"; an assignment names a professional as gesprekken do).
 */
export const load: PageServerLoad = async (event) => {
	const { boardId, role, user } = await requireBoardRole(event, 'viewer');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	const [addresses, assignments] = await Promise.all([
		listAddresses(db, board.id),
		listAssignments(db, board.id)
	]);
	const myStreets = assignedTo(assignments, user.displayName);
	return { board, addresses, role, userId: user.id, userName: user.displayName, myStreets };
};
