import type { BoardRole } from './access';
import type { Db } from './db';

/**
 * What the board page needs to know about confidential notes ("alleen mijn organisatie"): the
 * user's own organisation (whose document the browser may open on /sync/<board>/org) and the names
 * of the organisations on the board, to say whose a confidential note is. Never any note text.
 */
export interface ConfidentialPageData {
	/** The user's organisation; null: no organisation, so no confidential notes. */
	organisationId: string | null;
	/** Organisation id → name, for the organisations of the board's members (and the user's own). */
	organisations: Record<string, string>;
	/** Viewers read their organisation's notes but change nothing. */
	canEdit: boolean;
}

export async function confidentialPageData(
	db: Db,
	boardId: string,
	user: { organisationId: string | null },
	role: BoardRole
): Promise<ConfidentialPageData> {
	const rows = await db.query<{ id: string; name: string }>(
		`select distinct o.id::text as id, o.name
		from public.organisations o
		where o.id in (
			select p.organisation_id from public.board_members m
			join public.profiles p on p.id = m.user_id
			where m.board_id = $1
		) or o.id::text = $2`,
		[boardId, user.organisationId ?? '']
	);
	return {
		organisationId: user.organisationId,
		organisations: Object.fromEntries(rows.map((r) => [r.id, r.name])),
		canEdit: role !== 'viewer'
	};
}
