import { error, json } from '@sveltejs/kit';
import { idSchema } from '$lib/board/layout';
import { isHistoryKind } from '$lib/server/history/extract';
import { listDeleted, listItemHistory } from '$lib/server/history/store';
import { requireBoardRoleApi } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The history of one item (`?kind=gesprek&id=…`), newest first: who changed which field from what
 * to what, and when. Rows about confidential notes only for members of that organisation. With
 * `?kind=…&deleted` instead: the recently deleted items of that kind with their last fields.
 * Any member may read it (viewers too); others get 404, as for the board.
 */
export const GET: RequestHandler = async (event) => {
	const { user, boardId } = await requireBoardRoleApi(event, 'viewer');
	const kind = event.url.searchParams.get('kind');
	if (!isHistoryKind(kind)) error(400, 'Expected ?kind=gesprek|initiatief|notitie|thema');
	const { db } = getRuntime();
	const organisationId = user.organisationId ?? null;
	if (event.url.searchParams.has('deleted')) {
		return json({ deleted: await listDeleted(db, boardId, kind, organisationId) });
	}
	const id = idSchema.safeParse(event.url.searchParams.get('id'));
	if (!id.success) error(400, 'Expected ?id=');
	const entries = await listItemHistory(db, boardId, kind, id.data, organisationId);
	return json({ entries });
};
