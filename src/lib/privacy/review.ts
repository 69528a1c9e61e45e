/**
 * The owners' review of initiatief texts for the public pages: an initiatief's title, description
 * and public contact are free text that can name a household, so the public projection takes an
 * initiatief only with a text an owner approved (public.initiative_reviews), and then that text.
 * Shared by the projection (server), the settings page and the board page (its hint and count).
 * Theme names are reviewed the same way (public.theme_reviews), except the built-in ones.
 */

import { DEFAULT_THEMAS } from '../board/themas';

/** The board page's data that holds the approved texts (SvelteKit `depends`/`invalidate`). */
export const APPROVED_DATA = 'buurtbord:approved-texts';

/** The free text an approval covers. */
export interface ApprovedText {
	title: string;
	description: string;
	publicContact: string;
}

/** The free text of an initiatief that an approval covers. */
export function freeTextOf(i: ApprovedText): ApprovedText {
	return { title: i.title, description: i.description, publicContact: i.publicContact };
}

/** Whether two texts are the same (what an owner approved is what the board holds). */
export function sameText(a: ApprovedText, b: ApprovedText): boolean {
	return (
		a.title === b.title && a.description === b.description && a.publicContact === b.publicContact
	);
}

/**
 * Where an initiatief's text stands: not approved (not on the public pages), approved as it is,
 * or changed since its approval (the public pages keep the approved text).
 */
export type ReviewState = 'waiting' | 'approved' | 'changed';

export function reviewState(text: ApprovedText, approved: ApprovedText | undefined): ReviewState {
	if (!approved) return 'waiting';
	return sameText(approved, text) ? 'approved' : 'changed';
}

/**
 * A theme's name on the public pages: the name an owner approved (kept after a rename until an
 * owner approves the new one), or a built-in theme's own name while it still has it. A theme a
 * professional added or renamed has no public name until an owner approved it (null): the public
 * pages leave it out.
 */
export function publicThemeName(
	theme: { id: string; name: string },
	approvedNames: ReadonlyMap<string, string>
): string | null {
	const approved = approvedNames.get(theme.id);
	if (approved !== undefined) return approved;
	return BUILT_IN_NAMES.get(theme.id) === theme.name ? theme.name : null;
}

/**
 * Where a theme's name stands for the public pages: built in (needs no approval), waiting,
 * approved as it is, or changed since its approval.
 */
export type ThemeReviewState = 'built-in' | ReviewState;

export function themeReviewState(
	theme: { id: string; name: string },
	approved: string | undefined
): ThemeReviewState {
	if (approved === undefined) {
		return BUILT_IN_NAMES.get(theme.id) === theme.name ? 'built-in' : 'waiting';
	}
	return approved === theme.name ? 'approved' : 'changed';
}

const BUILT_IN_NAMES: ReadonlyMap<string, string> = new Map(
	DEFAULT_THEMAS.map((t) => [t.id, t.name])
);
