import { listBoards } from '$lib/server/boards';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	return { boards: await listBoards(getRuntime().db) };
};
