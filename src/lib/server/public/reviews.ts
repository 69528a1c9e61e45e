import { createHash } from 'node:crypto';
import type { Queryable } from '../db';
import type { ApprovedText } from '../../privacy/projection';

/**
 * Owners' approvals of initiatief texts for the public pages (public.initiative_reviews, migration
 * 20261202120000): the projection publishes an initiatief only with its approved text. Written by
 * the server only, after checking the text against the board document (the settings page).
 */

/**
 * The text an owner was shown, as the settings page sends it back with an approval: the approval
 * is refused when the board's text changed meanwhile.
 */
export function textHash(text: ApprovedText): string {
	return createHash('sha256')
		.update(JSON.stringify([text.title, text.description, text.publicContact]))
		.digest('base64url')
		.slice(0, 22);
}

export interface InitiativeReview extends ApprovedText {
	initiativeId: string;
	approvedAt: string;
	approvedBy: string | null;
}

/** The approved texts of a board, by initiatief id. */
export async function approvedTexts(
	db: Queryable,
	boardId: string
): Promise<Map<string, InitiativeReview>> {
	const rows = await db.query<{
		initiative_id: string;
		title: string;
		description: string;
		public_contact: string;
		approved_at: Date | string;
		approved_by: string | null;
	}>(
		`select initiative_id, title, description, public_contact, approved_at, approved_by
		 from public.initiative_reviews where board_id = $1`,
		[boardId]
	);
	return new Map(
		rows.map((r) => [
			r.initiative_id,
			{
				initiativeId: r.initiative_id,
				title: r.title,
				description: r.description,
				publicContact: r.public_contact,
				approvedAt: new Date(r.approved_at).toISOString(),
				approvedBy: r.approved_by
			}
		])
	);
}

/** Stores `text` as the approved text of an initiatief (replacing an earlier approval). */
export async function approveText(
	db: Queryable,
	boardId: string,
	initiativeId: string,
	text: ApprovedText,
	userId: string | null
): Promise<void> {
	await db.query(
		`insert into public.initiative_reviews
		   (board_id, initiative_id, title, description, public_contact, approved_by, approved_at)
		 values ($1, $2, $3, $4, $5, $6, now())
		 on conflict (board_id, initiative_id) do update
		 set title = excluded.title, description = excluded.description,
		     public_contact = excluded.public_contact, approved_by = excluded.approved_by,
		     approved_at = now()`,
		[boardId, initiativeId, text.title, text.description, text.publicContact, userId]
	);
}

/**
 * Forgets the approved texts of initiatieven that were deleted from the board, so that no copy of
 * their text outlives them here. `deleted` says which ids the document knows as deleted: an id it
 * does not know at all (a document that has not yet received a new initiatief, on another
 * process) keeps its approval.
 */
export async function forgetDeleted(
	db: Queryable,
	boardId: string,
	deleted: (initiativeId: string) => boolean
): Promise<number> {
	const ids = (await approvedTexts(db, boardId)).keys();
	const gone = [...ids].filter(deleted);
	if (gone.length === 0) return 0;
	const rows = await db.query(
		`delete from public.initiative_reviews
		 where board_id = $1 and initiative_id = any($2::text[])
		 returning 1`,
		[boardId, gone]
	);
	return rows.length;
}

/** Withdraws an approval: the initiatief leaves the public pages. Returns whether there was one. */
export async function withdrawText(
	db: Queryable,
	boardId: string,
	initiativeId: string
): Promise<boolean> {
	const rows = await db.query(
		`delete from public.initiative_reviews where board_id = $1 and initiative_id = $2
		 returning 1`,
		[boardId, initiativeId]
	);
	return rows.length > 0;
}

/**
 * The approved names of a board's added or renamed themes, by theme id (public.theme_reviews,
 * migration 20261202140000): the projection shows such a theme only under its approved name.
 */
export async function approvedThemeNames(
	db: Queryable,
	boardId: string
): Promise<Map<string, { name: string; approvedAt: string }>> {
	const rows = await db.query<{ theme_id: string; name: string; approved_at: Date | string }>(
		'select theme_id, name, approved_at from public.theme_reviews where board_id = $1',
		[boardId]
	);
	return new Map(
		rows.map((r) => [
			r.theme_id,
			{ name: r.name, approvedAt: new Date(r.approved_at).toISOString() }
		])
	);
}

/** Stores `name` as the approved name of a theme (replacing an earlier approval). */
export async function approveThemeName(
	db: Queryable,
	boardId: string,
	themeId: string,
	name: string,
	userId: string | null
): Promise<void> {
	await db.query(
		`insert into public.theme_reviews (board_id, theme_id, name, approved_by, approved_at)
		 values ($1, $2, $3, $4, now())
		 on conflict (board_id, theme_id) do update
		 set name = excluded.name, approved_by = excluded.approved_by, approved_at = now()`,
		[boardId, themeId, name, userId]
	);
}

/** Withdraws a theme name's approval: the theme leaves the public pages. Returns whether there was one. */
export async function withdrawThemeName(
	db: Queryable,
	boardId: string,
	themeId: string
): Promise<boolean> {
	const rows = await db.query(
		'delete from public.theme_reviews where board_id = $1 and theme_id = $2 returning 1',
		[boardId, themeId]
	);
	return rows.length > 0;
}
