import { error, redirect } from '@sveltejs/kit';
import { getRuntime } from '../runtime';
import { readPublicBoard, type PublicBoard } from './store';

/**
 * What the public routes share: finding a published board by the id in the URL (any case) and
 * answering "not found" in residents' words, with a way back to the board's overview when the
 * board's pages exist (see src/routes/+error.svelte).
 */

/** The published board the URL names, also typed with capitals, or null. */
export async function publishedBoard(typed: string): Promise<PublicBoard | null> {
	const db = getRuntime().db;
	const board = await readPublicBoard(db, typed);
	if (board || typed.toLowerCase() === typed) return board;
	return readPublicBoard(db, typed.toLowerCase());
}

/** 404 for residents: nothing here, with a link to the board's overview when there is one. */
export function publicNotFound(board: Pick<PublicBoard, 'id' | 'name'> | null): never {
	error(404, {
		message: 'Not Found',
		publicBoard: board ? { id: board.id, name: board.name } : undefined
	});
}

/**
 * A public page asked for with capitals (typed from a flyer, "/buurt/spoorbuurt/Sweelinckstraat"):
 * a permanent redirect to the one lower-case address, keeping `?lang=en`.
 */
export function toCanonical(url: URL, path: string): void {
	if (url.pathname.replace(/\/$/, '') !== path) redirect(301, `${path}${url.search}`);
}
