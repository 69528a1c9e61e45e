import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { localOrigin } from './common';
import { forgetHistoryOnRemoteRemoval } from './erase';
import { listGesprekken, type Gesprek } from './gesprekken';
import { listInitiatieven, type Initiatief } from './initiatieven';
import { listNotities, type Notitie } from './notities';
import { ensureDefaultThemas, listThemas, type Thema } from './themas';
import { createUndoManager } from './undo';

/**
 * The board's content (gesprekken, thema's, initiatieven, notities) as Svelte state, plus this
 * user's undo/redo. Reading a list in a template or effect subscribes to the Y.Doc; any local or
 * remote transaction drops the cached lists and re-renders. Commands are the plain functions of
 * this folder, called with `content.doc`.
 */
export class BoardContent {
	readonly doc: Y.Doc;
	readonly #subscribe: () => void;
	#version = 0;
	/** Lists read at a document version; not state itself (the subscriber is). */
	#cache: Record<string, { version: number; value: unknown }> = {};
	readonly #undo: Y.UndoManager;
	readonly #subscribeUndo: () => void;
	readonly #stop: () => void;

	constructor(doc: Y.Doc) {
		this.doc = doc;
		const bump = () => this.#version++;
		doc.on('afterTransaction', bump);
		this.#subscribe = createSubscriber((update) => {
			doc.on('afterTransaction', update);
			return () => doc.off('afterTransaction', update);
		});
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
		this.#stop = () => {
			doc.off('afterTransaction', bump);
			stopForgetting();
			undo.destroy();
		};
	}

	#cached<T>(key: string, read: () => T): T {
		this.#subscribe();
		const hit = this.#cache[key];
		if (hit && hit.version === this.#version) return hit.value as T;
		const value = read();
		this.#cache[key] = { version: this.#version, value };
		return value;
	}

	get gesprekken(): Gesprek[] {
		return this.#cached('gesprekken', () => listGesprekken(this.doc));
	}
	/** Active themes (not archived, not merged). */
	get themas(): Thema[] {
		return this.#cached('themas', () => listThemas(this.doc));
	}
	/** Every theme, archived and merged ones too. */
	get allThemas(): Thema[] {
		return this.#cached('allThemas', () => listThemas(this.doc, { includeArchived: true }));
	}
	get initiatieven(): Initiatief[] {
		return this.#cached('initiatieven', () => listInitiatieven(this.doc));
	}
	get notities(): Notitie[] {
		return this.#cached('notities', () => listNotities(this.doc));
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
	undo(): void {
		this.#undo.undo();
	}
	redo(): void {
		this.#undo.redo();
	}
	/** Ends the current undo step, so the next change is undone separately. */
	stopCapturing(): void {
		this.#undo.stopCapturing();
	}

	/** The origin of this user's edits (for text bindings). */
	get origin(): object {
		return localOrigin(this.doc);
	}

	destroy(): void {
		this.#stop();
	}
}
