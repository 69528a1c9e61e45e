import { error, fail } from '@sveltejs/kit';
import { isBoardId } from '$lib/board/meta';
import {
	BoardNotFoundError,
	MissingCoordinatesError,
	decodeImportPayload,
	parseImportPayload,
	storeImport
} from '$lib/server/addresses';
import { getBoard, listAddresses } from '$lib/server/boards';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	if (!isBoardId(params.id)) error(404, 'Board not found');
	const { db } = getRuntime();
	const board = await getBoard(db, params.id);
	if (!board) error(404, 'Board not found');
	const addresses = await listAddresses(db, board.id);
	return { board, addresses };
};

export const actions: Actions = {
	/**
	 * Stores confirmed import rows. The browser sends them as a file field "rows" (gzip-compressed
	 * JSON `{ rows: [...] }`, which keeps 20,000 rows well under the request size limit). Everything
	 * is validated again here; on any problem nothing is stored.
	 */
	import: async ({ request, params }) => {
		if (!isBoardId(params.id)) return fail(404, { error: 'board' as const });
		let data: FormData;
		try {
			data = await request.formData();
		} catch {
			return fail(400, { error: 'payload' as const });
		}
		const file = data.get('rows');
		if (!(file instanceof Blob)) return fail(400, { error: 'payload' as const });
		let decoded: unknown;
		try {
			decoded = decodeImportPayload(new Uint8Array(await file.arrayBuffer()));
		} catch {
			return fail(400, { error: 'payload' as const });
		}
		const parsed = parseImportPayload(decoded);
		if (!parsed.ok) {
			if (parsed.reason === 'rows') {
				return fail(400, { error: 'rows' as const, issues: parsed.issues, count: parsed.count });
			}
			return fail(400, { error: parsed.reason });
		}
		try {
			const stored = await storeImport(getRuntime().db, params.id, parsed.rows);
			return { stored };
		} catch (e) {
			if (e instanceof BoardNotFoundError) return fail(404, { error: 'board' as const });
			if (e instanceof MissingCoordinatesError) {
				return fail(400, { error: 'coordinates' as const, lines: e.lines.slice(0, 50) });
			}
			throw e;
		}
	}
};
