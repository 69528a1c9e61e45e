import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { idSchema } from '$lib/board/layout';
import { eraseHousehold, isRegisterAddress } from '$lib/server/erasure';
import { requireBoardRoleApi } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const bodySchema = z.strictObject({ addressId: idSchema });

/**
 * Erases a household's data at an address (consent withdrawn): POST JSON `{ addressId }`. Owners
 * only (others: 403; non-members: 404). JSON is not a form content type, so a browser cannot send
 * it cross-site without a CORS preflight, which is never granted. Answers with counts only.
 */
export const POST: RequestHandler = async (event) => {
	const { boardId, user } = await requireBoardRoleApi(event, 'owner');
	if (!/^application\/json\b/.test(event.request.headers.get('content-type') ?? '')) {
		error(415, 'Send JSON: { "addressId": "…" }');
	}
	const parsed = bodySchema.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) error(400, 'Send JSON: { "addressId": "…" } with a valid address id');
	const runtime = getRuntime();
	const { addressId } = parsed.data;
	if (!(await isRegisterAddress(runtime.db, boardId, addressId))) {
		error(400, 'No address with this id in the board’s address register');
	}
	const erased = await eraseHousehold(runtime, { boardId, addressId, actorId: user.id });
	return json({ erased });
};
