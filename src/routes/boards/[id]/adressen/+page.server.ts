import { error } from '@sveltejs/kit';
import { isBoardId } from '$lib/board/meta';
import { getBoard, listAddresses } from '$lib/server/boards';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	if (!isBoardId(params.id)) error(404, 'Board not found');
	const { db } = getRuntime();
	const board = await getBoard(db, params.id);
	if (!board) error(404, 'Board not found');
	const addresses = await listAddresses(db, board.id);
	return { board, addresses };
};
