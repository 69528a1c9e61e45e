import { createContext } from 'svelte';
import type { SyncAccess } from '$lib/collab/access-changed';

/**
 * Whether the board page offers no edits: the page was made for a viewer (`role`), or the server
 * said since that this connection reads only (an owner made the user a viewer while the board is
 * open, see collab/access-changed.ts). Then the page is the same as a viewer's at once: the
 * server drops the connection's document updates, so a form that stayed editable would show
 * changes as saved that nobody else gets and a reload drops. Made an editor again while open
 * (`access` 'write'), a page made for an editor edits again; a viewer's page needs its reload.
 */
export function readsOnly(role: unknown, access: SyncAccess | null): boolean {
	return role === 'viewer' || access === 'read';
}

/** The board page's access, shared with its panels and forms. */
export interface BoardAccess {
	readonly readOnly: boolean;
}

const [getAccessContext, setAccessContext] = createContext<BoardAccess>();

/** Makes `access` the access of the board page's panels and forms (BoardView). */
export function setBoardAccess(access: BoardAccess): BoardAccess {
	return setAccessContext(access);
}

/** The board page's access (set by BoardView). */
export function getBoardAccess(): BoardAccess {
	return getAccessContext();
}
