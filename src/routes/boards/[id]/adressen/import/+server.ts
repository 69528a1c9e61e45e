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
import { addImportPart, dropImport, parsePartHeader } from '$lib/server/import-parts';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Stores confirmed import rows: POST the gzip-compressed JSON `{ rows: [...], updateChanged?: boolean }` as the body
 * (Content-Type application/gzip). Not a form content type, so browsers cannot send it cross-site
 * without a CORS preflight, which is never granted. A large import comes in parts
 * (`x-import-id: <uuid>`, `x-import-part: <index>/<total>`, see import-parts.ts): each part is
 * validated on arrival, the last one stores all rows in one transaction. Everything is validated
 * again here; on any problem nothing is stored and the answer is 4xx with `{ error, ... }`.
 */
export const POST: RequestHandler = async (event) => {
	const { request, params } = event;
	if (!isBoardId(params.id)) return json({ error: 'board' }, { status: 404 });
	const { user } = await requireBoardRoleApi(event, 'editor');
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/(gzip|json)\b/.test(type)) {
		return json({ error: 'payload' }, { status: 415 });
	}
	const partHeader = request.headers.get('x-import-part');
	const part = partHeader === null ? { index: 0, total: 1 } : parsePartHeader(partHeader);
	const importId = request.headers.get('x-import-id') ?? '';
	if (!part || (partHeader !== null && !/^[0-9a-f-]{8,64}$/.test(importId))) {
		return json({ error: 'payload' }, { status: 400 });
	}
	const key = { userId: user.id, boardId: params.id, importId };
	let decoded: unknown;
	try {
		const body = new Uint8Array(await request.arrayBuffer());
		if (body.byteLength > MAX_IMPORT_BYTES) return json({ error: 'too-many' }, { status: 413 });
		decoded = decodeImportPayload(body);
	} catch {
		dropImport(key);
		return json({ error: 'payload' }, { status: 400 });
	}
	const parsed = parseImportPayload(decoded);
	if (!parsed.ok) {
		dropImport(key);
		if (parsed.reason === 'rows') {
			return json({ error: 'rows', issues: parsed.issues, count: parsed.count }, { status: 400 });
		}
		return json({ error: parsed.reason }, { status: parsed.reason === 'too-many' ? 413 : 400 });
	}
	const assembled = addImportPart(key, part, parsed.rows);
	if ('error' in assembled) {
		const status = assembled.error === 'too-many' ? 413 : assembled.error === 'busy' ? 429 : 409;
		return json({ error: assembled.error }, { status });
	}
	if (!assembled.done) return json({ received: assembled.received });
	try {
		const { db, sync } = getRuntime();
		// The last part says whether changed fields are written (the user's choice when confirming).
		const stored = await storeImport(db, params.id, assembled.rows, {
			updateChanged: parsed.updateChanged
		});
		// Everyone with the board open gets the new addresses (their pages fetch the register again).
		await sync.registerChanged(params.id).catch(() => 0);
		return json({ stored });
	} catch (e) {
		if (e instanceof BoardNotFoundError) return json({ error: 'board' }, { status: 404 });
		if (e instanceof MissingCoordinatesError) {
			return json({ error: 'coordinates', lines: e.lines.slice(0, 50) }, { status: 400 });
		}
		throw e;
	}
};
