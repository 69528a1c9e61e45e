import { error } from '@sveltejs/kit';
import { presenceColour } from '$lib/collab/presence-state';
import { getBoard } from '$lib/server/boards';
import { confidentialPageData } from '$lib/server/confidential';
import { requireBoardRole } from '$lib/server/guard';
import { retentionNotices } from '$lib/server/retention';
import { getRuntime } from '$lib/server/runtime';
import { approvedTexts, approvedThemeNames } from '$lib/server/public/reviews';
import { getPublication } from '$lib/server/public/store';
import { APPROVED_DATA, freeTextOf, type ApprovedText } from '$lib/privacy/review';
import { countWithdrawals } from '$lib/server/consent';
import { WITHDRAWALS_DATA } from '$lib/privacy/withdrawals';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { boardId, role, user } = await requireBoardRole(event, 'viewer');
	// Loaded again when an owner approves initiatief texts (BoardView, register-changed.ts).
	event.depends(APPROVED_DATA);
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	// The address register is not in the page data: the page loads it from ./adressen.json.
	// Confidential notes: the user's organisation and the names of those on the board (no text).
	const confidential = await confidentialPageData(db, board.id, user, role);
	// Owners are warned from 30 days before the board's private content is purged.
	const retention =
		role === 'owner' ? await retentionNotices(db, event.locals.user!.id, new Date(), board.id) : [];
	// Who I am on this board's presence (the server stamps the same on what others see of me).
	const presenceSelf = { id: user.id, colour: presenceColour(user.id) };
	// The initiatief texts owners approved for the public pages (public anyway), so that the
	// initiatief form says where its text stands and owners see what waits for their review.
	const approved: Record<string, ApprovedText> = {};
	for (const [id, review] of await approvedTexts(db, boardId)) approved[id] = freeTextOf(review);
	// The same for the names of added or renamed themes (privacy/review.ts).
	const approvedThemes: Record<string, string> = {};
	for (const [id, { name }] of await approvedThemeNames(db, boardId)) approvedThemes[id] = name;
	// Owners see how many households whose consent was withdrawn wait for erasure (loaded again
	// when that list changes: BoardView); everyone's forms say when the erasure comes.
	event.depends(WITHDRAWALS_DATA);
	const withdrawals = role === 'owner' ? await countWithdrawals(db, boardId) : 0;
	const consentGraceDays = getRuntime().config.consentGraceDays;
	// Owners are counted the texts that wait only while the public pages are on.
	const published = role === 'owner' && (await getPublication(db, boardId)).published;
	// userId: the board's copy on this device is kept per user (src/lib/collab/offline.ts).
	return {
		board,
		role,
		confidential,
		retention,
		presenceSelf,
		userId: user.id,
		approved,
		approvedThemes,
		published,
		withdrawals,
		consentGraceDays
	};
};
