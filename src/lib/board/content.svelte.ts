import { createContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import {
	Gesprekken,
	Initiatieven,
	Notities,
	Themas,
	rereadOnThemeResolution
} from './collections.svelte';
import { localOrigin } from './common';
import { mergeCrossedWrites, type CrossedWrites, type KeptWrites } from './crossed-writes';
import { forgetHistoryOnRemoteRemoval } from './erase';
import { ensureDefaultThemas } from './themas';
import { createUndoManager, undoOwn, type UndoneEntity, type UndoResult } from './undo';

/**
 * The board's state for the browser: one instance per open board, over its Y.Doc (the shape of
 * svelte.dev's Persisted.svelte.ts: `createSubscriber` + getters). Queries are getters that
 * subscribe (`board.gesprekken.all`, `board.gesprekken.get(id)`, `board.themas.active`), commands
 * write one field or one list item (`board.gesprekken.patch(id, { heldBy })`,
 * `board.gesprekken.addTheme(id, themeId)`), so concurrent edits of other fields and other items
 * are kept. Components read from here and never copy whole entities to write them back. Plus this
 * user's undo/redo. Shared with components through `setBoard()` / `getBoard()`.
 */
export class Board {
	readonly doc: Y.Doc;
	readonly gesprekken: Gesprekken;
	readonly initiatieven: Initiatieven;
	readonly notities: Notities;
	readonly themas: Themas;
	readonly #undo: Y.UndoManager;
	readonly #subscribeUndo: () => void;
	readonly #stop: () => void;
	readonly #crossed: CrossedWrites;

	constructor(doc: Y.Doc) {
		this.doc = doc;
		this.gesprekken = new Gesprekken(doc);
		this.initiatieven = new Initiatieven(doc);
		this.notities = new Notities(doc);
		this.themas = new Themas(doc);
		const stopRereading = rereadOnThemeResolution(doc, [this.gesprekken, this.initiatieven]);

		this.#undo = createUndoManager(doc);
		const undo = this.#undo;
		this.#subscribeUndo = createSubscriber((update) => {
			const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
			for (const e of events) undo.on(e, update);
			return () => {
				for (const e of events) undo.off(e, update);
			};
		});
		// An erased household must not live on in this tab's undo history (see erase.ts).
		const stopForgetting = forgetHistoryOnRemoteRemoval(doc, undo, localOrigin(doc));
		// Short text fields written at the same time elsewhere keep both edits (crossed-writes.ts).
		this.#crossed = mergeCrossedWrites(doc);
		const crossed = this.#crossed;
		this.#stop = () => {
			stopRereading();
			stopForgetting();
			crossed.stop();
			undo.destroy();
			for (const c of [this.gesprekken, this.initiatieven, this.notities, this.themas]) c.destroy();
		};
	}

	/**
	 * Gives a board without themes the default set. Call once the server's copy has arrived, so
	 * that a board that has themes is not seeded again; the fixed ids make a race harmless. The
	 * seeding is not something the user can undo.
	 */
	ensureDefaults(): void {
		if (ensureDefaultThemas(this.doc)) this.#undo.clear();
	}

	get canUndo(): boolean {
		this.#subscribeUndo();
		return this.#undo.canUndo();
	}
	get canRedo(): boolean {
		this.#subscribeUndo();
		return this.#undo.canRedo();
	}
	/** Undoes one's own last step (see undoOwn: 'superseded' when someone else overwrote it). */
	undo(onUndone?: (entities: UndoneEntity[]) => void): UndoResult {
		return undoOwn(this.#undo, onUndone);
	}
	redo(): void {
		this.#undo.redo();
	}
	/** Ends the current undo step, so the next change is undone separately. */
	stopCapturing(): void {
		this.#undo.stopCapturing();
	}

	/**
	 * Keeps this tab's writes of short text fields that nobody has built on yet in the device's
	 * copy of the board, and merges those kept before that crossed a write from elsewhere
	 * (crossed-writes.ts): a tab closed offline and opened again loses no words either.
	 */
	keepCrossedWrites(store: KeptWrites): Promise<void> {
		return this.#crossed.keep(store);
	}

	/** The origin of this user's edits (for text bindings). */
	get origin(): object {
		return localOrigin(this.doc);
	}

	destroy(): void {
		this.#stop();
	}
}

/** The former name of Board (same class). */
export { Board as BoardContent };

const [getBoardContext, setBoardContext] = createContext<Board>();

/** Makes `board` the board state of this component and its children (the board page). */
export function setBoard(board: Board): Board {
	return setBoardContext(board);
}

/** The board state set by the board page (throws outside it). */
export function getBoard(): Board {
	return getBoardContext();
}
