import { error } from '@sveltejs/kit';
import { getBoard } from '$lib/server/boards';
import { describeExport } from '$lib/server/analysis';
import { gesprekAddressLabels, listAudit } from '$lib/server/audit';
import { requireBoardRole } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** The board's audit log, for its owners only: newest first, 50 a page (?page=2 for older). */
export const load: PageServerLoad = async (event) => {
	const { boardId } = await requireBoardRole(event, 'owner');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	const requested = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 ? requested : 1;
	const { rows, total } = await listAudit(db, boardId, {
		limit: PAGE_SIZE,
		offset: (page - 1) * PAGE_SIZE
	});
	// Gesprek entries, and marking a gesprek's household withdrawn or not: the gesprek by its address.
	const aboutGesprek = (action: string) =>
		action.startsWith('gesprek.') || action.startsWith('consent.');
	const labels = await gesprekAddressLabels(
		db,
		boardId,
		rows.filter((r) => aboutGesprek(r.action) && r.subject).map((r) => r.subject!)
	);
	// Membership entries name the person they were about (a profile id, never content).
	const memberIds = [
		...new Set(
			rows.filter((r) => r.action.startsWith('member.') && r.subject).map((r) => r.subject!)
		)
	];
	const names = new Map(
		memberIds.length
			? (
					await db.query<{ id: string; display_name: string }>(
						'select id::text as id, display_name from public.profiles where id::text = any($1::text[])',
						[memberIds]
					)
				).map((p) => [p.id, p.display_name] as const)
			: []
	);
	return {
		board: { id: board.id, name: board.name },
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		entries: rows.map((r) => ({
			id: r.id,
			at: r.at.toISOString(),
			action: r.action,
			actorName: r.actorName,
			organisationName: r.organisationName,
			system: r.actorId === null,
			gesprek: aboutGesprek(r.action) && r.subject ? (labels.get(r.subject) ?? null) : undefined,
			member: r.action.startsWith('member.') ? (names.get(r.subject ?? '') ?? null) : undefined,
			// What was exported: kind, format, anonymised or not, shared notes or not.
			export: r.action === 'board.export' ? describeExport(r.subject) : undefined
		}))
	};
};
