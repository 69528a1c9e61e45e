import { json } from '@sveltejs/kit';
import { isBoardId } from '$lib/board/meta';
import {
	BoardNotFoundError,
	MAX_IMPORT_BYTES,
	MissingCoordinatesError,
	decodeImportPayload,
	parseImportPayload,
	storeImport
} from '$lib/server/addresses';
import { requireBoardRoleApi } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Stores confirmed import rows: POST the gzip-compressed JSON `{ rows: [...] }` as the body
 * (Content-Type application/gzip, which keeps 20,000 rows well under the request size limit).
 * Not a form content type, so browsers cannot send it cross-site without a CORS preflight, which
 * is never granted. Everything is validated again here; on any problem nothing is stored and the
 * answer is 4xx with `{ error, ... }`.
 */
export const POST: RequestHandler = async (event) => {
	const { request, params } = event;
	if (!isBoardId(params.id)) return json({ error: 'board' }, { status: 404 });
	await requireBoardRoleApi(event, 'editor');
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/(gzip|json)\b/.test(type)) {
		return json({ error: 'payload' }, { status: 415 });
	}
	let decoded: unknown;
	try {
		const body = new Uint8Array(await request.arrayBuffer());
		if (body.byteLength > MAX_IMPORT_BYTES) return json({ error: 'too-many' }, { status: 413 });
		decoded = decodeImportPayload(body);
	} catch {
		return json({ error: 'payload' }, { status: 400 });
	}
	const parsed = parseImportPayload(decoded);
	if (!parsed.ok) {
		if (parsed.reason === 'rows') {
			return json({ error: 'rows', issues: parsed.issues, count: parsed.count }, { status: 400 });
		}
		return json({ error: parsed.reason }, { status: parsed.reason === 'too-many' ? 413 : 400 });
	}
	try {
		const stored = await storeImport(getRuntime().db, params.id, parsed.rows);
		return json({ stored });
	} catch (e) {
		if (e instanceof BoardNotFoundError) return json({ error: 'board' }, { status: 404 });
		if (e instanceof MissingCoordinatesError) {
			return json({ error: 'coordinates', lines: e.lines.slice(0, 50) }, { status: 400 });
		}
		throw e;
	}
};
