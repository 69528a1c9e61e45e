import { fail, type RequestEvent } from '@sveltejs/kit';
import { getThema, listThemas } from '$lib/board/themas';
import { recordAudit } from '$lib/server/audit';
import { requireBoardRole } from '$lib/server/guard';
import { readForm } from '$lib/server/forms';
import {
	approvedThemeNames,
	approveThemeName,
	withdrawThemeName
} from '$lib/server/public/reviews';
import { approvalsChanged } from './reviews';
import { getRuntime } from '$lib/server/runtime';
import { themeReviewState, type ThemeReviewState } from '$lib/privacy/review';

/**
 * The owners' review of theme names for the public pages (see privacy/review.ts): every theme a
 * professional added or renamed, its name now and as approved, and the actions that approve the
 * name an owner read or take the theme off the public pages. Built-in themes under their own
 * name need no review and are not listed.
 */

export interface ThemeReviewItem {
	id: string;
	name: string;
	colour: string;
	state: Exclude<ThemeReviewState, 'built-in'>;
	/** The name the public pages show, when it differs from the board's. */
	approvedName: string | null;
	approvedAt: string | null;
}

export async function loadThemeReviews(boardId: string): Promise<ThemeReviewItem[]> {
	const { db, sync } = getRuntime();
	const approved = await approvedThemeNames(db, boardId);
	const themes = await sync.readDocument(boardId, (doc) =>
		listThemas(doc).map((t) => ({ id: t.id, name: t.name, colour: t.colour }))
	);
	return themes.flatMap((t) => {
		const review = approved.get(t.id);
		const state = themeReviewState(t, review?.name);
		if (state === 'built-in') return [];
		return [
			{
				...t,
				state,
				approvedName: state === 'changed' ? review!.name : null,
				approvedAt: review?.approvedAt ?? null
			}
		];
	});
}

type ThemeReviewFailure = 'changed' | 'gone';

function themeFail(status: number, themeId: string, themeError: ThemeReviewFailure) {
	return fail(status, { themeId, themeError });
}

export async function approveTheme(event: RequestEvent) {
	const { boardId, user } = await requireBoardRole(event, 'owner');
	const form = await readForm(event.request);
	const id = String(form.get('id') ?? '');
	const shown = String(form.get('name') ?? '');
	const { db, sync } = getRuntime();
	const name = await sync.readDocument(boardId, (doc) => {
		const theme = getThema(doc, id);
		return theme && !theme.archived && !theme.mergedInto ? theme.name : null;
	});
	if (name === null) return themeFail(404, id, 'gone');
	// Only the name the owner read: a colleague may have renamed the theme since.
	if (name !== shown) return themeFail(409, id, 'changed');
	await db.transaction(async (tx) => {
		await approveThemeName(tx, boardId, id, name, user.id);
		await recordAudit(tx, { boardId, actorId: user.id, action: 'theme.approve', subject: id });
	});
	await approvalsChanged(boardId);
	return { themeId: id, themeDone: 'approved' as const };
}

export async function withdrawTheme(event: RequestEvent) {
	const { boardId, user } = await requireBoardRole(event, 'owner');
	const form = await readForm(event.request);
	const id = String(form.get('id') ?? '');
	const { db } = getRuntime();
	const removed = await db.transaction(async (tx) => {
		const had = await withdrawThemeName(tx, boardId, id);
		if (had) {
			await recordAudit(tx, { boardId, actorId: user.id, action: 'theme.withdraw', subject: id });
		}
		return had;
	});
	if (!removed) return themeFail(404, id, 'gone');
	await approvalsChanged(boardId);
	return { themeId: id, themeDone: 'withdrawn' as const };
}
