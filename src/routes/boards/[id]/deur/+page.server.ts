import { error } from '@sveltejs/kit';
import { listAssignments } from '$lib/server/analysis';
import { getBoard } from '$lib/server/boards';
import { requireBoardRole } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';
import { assignedTo } from './door';

/**
 * Door mode: who is recording (for "gehouden door") and the streets
 * assigned to them ("mijn straten"; an assignment names a professional as gesprekken do).
 */
export const load: PageServerLoad = async (event) => {
	const { boardId, role, user } = await requireBoardRole(event, 'viewer');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	// The address register comes from ../adressen.json (as on the board page), not in the page data.
	const assignments = await listAssignments(db, board.id);
	const myStreets = assignedTo(assignments, user.displayName);
	// The cards say when a household whose consent was withdrawn is erased.
	const consentGraceDays = getRuntime().config.consentGraceDays;
	return { board, role, userId: user.id, userName: user.displayName, myStreets, consentGraceDays };
};
