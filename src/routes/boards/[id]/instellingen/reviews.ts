import { fail, type RequestEvent } from '@sveltejs/kit';
import { listInitiatieven } from '$lib/board/initiatieven';
import { recordAudit } from '$lib/server/audit';
import { requireBoardRole } from '$lib/server/guard';
import { readForm } from '$lib/server/forms';
import { approvedTexts, approveText, textHash, withdrawText } from '$lib/server/public/reviews';
import { refreshProjection } from '$lib/server/public/store';
import { getRuntime } from '$lib/server/runtime';
import { freeTextOf, reviewState, type ApprovedText, type ReviewState } from '$lib/privacy/review';

/**
 * The owners' review of initiatief texts for the public pages (see server/public/reviews.ts):
 * every initiatief not marked internal, its text now and as approved, and the actions that
 * approve the text an owner read or take the initiatief off the public pages.
 */

export type { ReviewState };

export interface ReviewItem {
	id: string;
	text: ApprovedText;
	hash: string;
	state: ReviewState;
	/** The text the public pages show, when it differs from the board's. */
	approvedText: ApprovedText | null;
	approvedAt: string | null;
}

export async function loadReviews(boardId: string): Promise<ReviewItem[]> {
	const { db, sync } = getRuntime();
	const approved = await approvedTexts(db, boardId);
	const current = await sync.readDocument(boardId, (doc) =>
		listInitiatieven(doc, { includeInternal: false }).map((i) => ({
			id: i.id,
			text: freeTextOf(i)
		}))
	);
	return current.map(({ id, text }) => {
		const review = approved.get(id);
		const state = reviewState(text, review);
		return {
			id,
			text,
			hash: textHash(text),
			state,
			approvedText: state === 'changed' ? freeTextOf(review!) : null,
			approvedAt: review?.approvedAt ?? null
		};
	});
}

/**
 * After an approval or withdrawal (of a text or a theme name): the public pages anew, and the
 * board's open pages told (the initiatief form's hint, owners' count), on every process.
 */
export async function approvalsChanged(boardId: string): Promise<void> {
	const { db, sync } = getRuntime();
	await refreshProjection(db, boardId);
	await sync.registerChanged(boardId, { part: 'approvals' }).catch(() => 0);
}

type ReviewFailure = 'changed' | 'gone';

function reviewFail(status: number, reviewId: string, reviewError: ReviewFailure) {
	return fail(status, { reviewId, reviewError });
}

export async function approveInitiative(event: RequestEvent) {
	const { boardId, user } = await requireBoardRole(event, 'owner');
	const form = await readForm(event.request);
	const id = String(form.get('id') ?? '');
	const hash = String(form.get('hash') ?? '');
	const { db, sync } = getRuntime();
	const text = await sync.readDocument(boardId, (doc) => {
		const found = listInitiatieven(doc, { includeInternal: false }).find((i) => i.id === id);
		return found ? freeTextOf(found) : null;
	});
	if (!text) return reviewFail(404, id, 'gone');
	// Only the text the owner read: a colleague may have changed it since the page was loaded.
	if (textHash(text) !== hash) return reviewFail(409, id, 'changed');
	await db.transaction(async (tx) => {
		await approveText(tx, boardId, id, text, user.id);
		await recordAudit(tx, { boardId, actorId: user.id, action: 'initiative.approve', subject: id });
	});
	await approvalsChanged(boardId);
	return { reviewId: id, reviewDone: 'approved' as const };
}

export async function withdrawInitiative(event: RequestEvent) {
	const { boardId, user } = await requireBoardRole(event, 'owner');
	const form = await readForm(event.request);
	const id = String(form.get('id') ?? '');
	const { db } = getRuntime();
	const removed = await db.transaction(async (tx) => {
		const had = await withdrawText(tx, boardId, id);
		if (had)
			await recordAudit(tx, {
				boardId,
				actorId: user.id,
				action: 'initiative.withdraw',
				subject: id
			});
		return had;
	});
	if (!removed) return reviewFail(404, id, 'gone');
	await approvalsChanged(boardId);
	return { reviewId: id, reviewDone: 'withdrawn' as const };
}
