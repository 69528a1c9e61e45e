import { json } from '@sveltejs/kit';
import { deviceKey } from '$lib/server/device-key';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/**
 * The key this session's browser encrypts its organisation's confidential notes with on the device
 * ("dit is mijn eigen apparaat"; src/lib/server/device-key.ts). Only for a valid session, only to
 * the app's own pages (a browser says where a request comes from in Sec-Fetch-Site; without CORS
 * no other origin could read the answer anyway), never cached.
 */
export const GET: RequestHandler = async ({ request }) => {
	const site = request.headers.get('sec-fetch-site');
	if (site && site !== 'same-origin')
		return json({ error: 'forbidden' }, { status: 403, headers: NO_STORE });
	const { auth, db } = getRuntime();
	// The session itself (not only the user), as the key is bound to it.
	const resolved = await auth.resolve({
		cookie: request.headers.get('cookie'),
		authorization: request.headers.get('authorization')
	});
	if (!resolved?.sessionId)
		return json({ error: 'signed out' }, { status: 401, headers: NO_STORE });
	return json(await deviceKey(db, resolved.user.id, resolved.sessionId), { headers: NO_STORE });
};
