import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { recordAudit } from '$lib/server/audit';
import { getBoard } from '$lib/server/boards';
import { requireBoardRole } from '$lib/server/guard';
import { getRetention, purgeDate, setRetention } from '$lib/server/retention';
import { listWithdrawals } from '$lib/server/consent';
import { loadPublication, savePublication } from './publication';
import { approveInitiative, loadReviews, withdrawInitiative } from './reviews';
import { approveTheme, loadThemeReviews, withdrawTheme } from './theme-reviews';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/forms';

/**
 * Board settings (owners only): households whose consent was withdrawn (to erase), the end date
 * and retention period of the board's private content, the public pages and the review of
 * initiatief texts and theme names for them.
 */
export const load: PageServerLoad = async (event) => {
	const { boardId } = await requireBoardRole(event, 'owner');
	const { db, config } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	const retention = await getRetention(db, boardId);
	return {
		board: { id: board.id, name: board.name },
		endsOn: retention.endsOn,
		retentionDays: retention.retentionDays,
		purgeOn: retention.endsOn ? purgeDate(retention.endsOn, retention.retentionDays) : null,
		purgedAt: retention.purgedAt?.toISOString() ?? null,
		publication: await loadPublication(db, boardId),
		reviews: await loadReviews(boardId),
		themeReviews: await loadThemeReviews(boardId),
		// Households whose consent was withdrawn, waiting for their erasure (consent.ts).
		withdrawals: (await listWithdrawals(db, boardId, config.consentGraceDays)).map((w) => ({
			...w,
			markedAt: w.markedAt.toISOString(),
			eraseAt: w.eraseAt.toISOString()
		})),
		consentGraceDays: config.consentGraceDays
	};
};

export type RetentionField = 'endsOn' | 'retentionDays';

const retentionForm = z.object({
	endsOn: z.union([z.literal(''), z.iso.date()]),
	retentionDays: z.coerce.number().int().min(0).max(3650)
});

export const actions: Actions = {
	publication: savePublication,
	approveInitiative,
	withdrawInitiative,
	approveTheme,
	withdrawTheme,
	retention: async (event) => {
		const { boardId, user } = await requireBoardRole(event, 'owner');
		const form = await readForm(event.request);
		const raw = {
			endsOn: String(form.get('endsOn') ?? '').trim(),
			retentionDays: String(form.get('retentionDays') ?? '').trim()
		};
		const parsed = retentionForm.safeParse({
			endsOn: raw.endsOn,
			// An empty field is not 0 days.
			retentionDays: raw.retentionDays === '' ? Number.NaN : raw.retentionDays
		});
		if (!parsed.success) {
			const fields = [
				...new Set(parsed.error.issues.map((i) => String(i.path[0]) as RetentionField))
			];
			return fail(400, { values: raw, errors: fields, purged: false });
		}
		const { db } = getRuntime();
		const current = await getRetention(db, boardId);
		if (current.purgedAt) return fail(409, { values: raw, errors: [], purged: true });
		const settings = {
			endsOn: parsed.data.endsOn === '' ? null : parsed.data.endsOn,
			retentionDays: parsed.data.retentionDays
		};
		await db.transaction(async (tx) => {
			await setRetention(tx, boardId, settings);
			await recordAudit(tx, { boardId, actorId: user.id, action: 'board.retention' });
		});
		return { saved: true };
	}
};
