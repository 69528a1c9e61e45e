import { error } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit';
import {
	EXPORT_KINDS,
	ExportRefused,
	buildExport,
	exportSubject,
	type ExportKind
} from '$lib/server/analysis';
import { requireBoardRole } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';
import { readForm } from '$lib/server/forms';

/**
 * Downloads an export (a form POST, so SvelteKit's origin check applies). Every export is
 * recorded in the audit log as 'board.export' with what was exported (never content): kind,
 * format, anonymised or not, with or without shared notes (exportSubject).
 */
export const POST: RequestHandler = async (event) => {
	const { boardId, role, user } = await requireBoardRole(event, 'viewer');
	const form = await readForm(event.request);
	const what = String(form.get('what') ?? '');
	const format = String(form.get('format') ?? 'csv');
	if (!(EXPORT_KINDS as readonly string[]).includes(what) || !['csv', 'geojson'].includes(format)) {
		error(400, 'Unknown export');
	}
	const { db } = getRuntime();
	let file;
	try {
		file = await buildExport(db, boardId, role, {
			what: what as ExportKind,
			format: format as 'csv' | 'geojson',
			anonymised: form.get('anonymised') === 'on',
			notes: form.get('notes') === 'on'
		});
	} catch (e) {
		if (e instanceof ExportRefused) error(403, 'Your role allows anonymised exports only');
		throw e;
	}
	await recordAudit(db, {
		boardId,
		actorId: user.id,
		action: 'board.export',
		subject: exportSubject(file.request)
	});
	return new Response(file.body, {
		headers: {
			'content-type': file.type,
			'content-disposition': `attachment; filename="${file.filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
