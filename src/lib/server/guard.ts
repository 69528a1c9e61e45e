import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { isBoardId } from '../board/meta';
import { boardRole, hasRole, type BoardRole } from './access';
import type { SessionUser } from './auth/sessions';
import { getRuntime } from './runtime';

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	return user;
}

export interface BoardAccess {
	user: SessionUser;
	boardId: string;
	role: BoardRole;
}

/**
 * The signed-in user's access to a board with at least role `min`. Not signed in: to the sign-in
 * page. Not a member, or no such board: 404 either way (nobody learns which boards exist). A
 * member with too weak a role: 403.
 */
export async function requireBoardRole(
	event: Pick<RequestEvent, 'locals' | 'url' | 'params'>,
	min: BoardRole,
	boardId: string | undefined = (event.params as { id?: string }).id
): Promise<BoardAccess> {
	const user = requireUser(event);
	if (!boardId || !isBoardId(boardId)) error(404, 'Board not found');
	const role = await boardRole(getRuntime().db, user.id, boardId);
	if (!role) error(404, 'Board not found');
	if (!hasRole(role, min)) error(403, 'Your role on this board does not allow this');
	return { user, boardId, role };
}

/** For JSON endpoints: 401 instead of a redirect when nobody is signed in. */
export async function requireBoardRoleApi(
	event: Pick<RequestEvent, 'locals' | 'url' | 'params'>,
	min: BoardRole,
	boardId?: string
): Promise<BoardAccess> {
	if (!event.locals.user) error(401, 'Sign in first');
	return requireBoardRole(event, min, boardId);
}
