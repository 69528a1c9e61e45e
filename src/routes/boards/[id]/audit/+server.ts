import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { idSchema } from '$lib/board/layout';
import { AUDIT_COALESCE_SECONDS, recordAudit } from '$lib/server/audit';
import { requireBoardRoleApi } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const openSchema = z.strictObject({ gesprekId: idSchema });

/**
 * A member opened a gesprek in the board's UI: recorded in the audit log as 'gesprek.open' (at
 * most once a minute per person and gesprek). The body names the gesprek by id, nothing else.
 */
export const POST: RequestHandler = async (event) => {
	const { user, boardId } = await requireBoardRoleApi(event, 'viewer');
	const body = openSchema.safeParse(await event.request.json().catch(() => null));
	if (!body.success) error(400, 'Expected {"gesprekId": "…"}');
	const recorded = await recordAudit(
		getRuntime().db,
		{ boardId, actorId: user.id, action: 'gesprek.open', subject: body.data.gesprekId },
		{ coalesceSeconds: AUDIT_COALESCE_SECONDS }
	);
	return json({ recorded });
};
