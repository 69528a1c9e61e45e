import type * as Y from 'yjs';
import { BoardInputError } from './common';
import { deleteNotes, gesprekNotes, insertNotes } from './gesprekken';

/**
 * The smallest single edit that turns `before` into `after`: common prefix and suffix kept. The
 * caret (after the edit) bounds the suffix, so text typed at the caret is inserted there.
 */
export function textDiff(
	before: string,
	after: string,
	caret = after.length
): { index: number; remove: number; insert: string } {
	let start = 0;
	const max = Math.min(before.length, after.length);
	while (start < max && before[start] === after[start]) start++;
	const limit = Math.min(before.length - start, after.length - start, after.length - caret);
	let suffix = 0;
	while (suffix < limit && before[before.length - 1 - suffix] === after[after.length - 1 - suffix])
		suffix++;
	return {
		index: start,
		remove: before.length - suffix - start,
		insert: after.slice(start, after.length - suffix)
	};
}

type Delta = { retain?: number; insert?: unknown; delete?: number }[];

/** Where `index` ends up after a change described by a Yjs text delta. */
export function transformIndex(delta: Delta, index: number): number {
	let old = 0;
	let result = index;
	for (const op of delta) {
		if (old >= index) break;
		if (op.retain !== undefined) old += op.retain;
		else if (op.insert !== undefined) {
			result += typeof op.insert === 'string' ? op.insert.length : 1;
		} else if (op.delete !== undefined) {
			result -= Math.min(op.delete, index - old);
			old += op.delete;
		}
	}
	return result;
}

/**
 * Binds a textarea to a gesprek's notes (a Y.Text): local input is applied as a minimal edit
 * (so someone typing elsewhere in the note keeps their text), and changes from others (or undo)
 * update the textarea with the caret moved along. Returns the unbind function.
 */
export function bindNotes(
	doc: Y.Doc,
	gesprekId: string,
	textarea: HTMLTextAreaElement,
	onerror: (error: BoardInputError | null) => void = () => {}
): () => void {
	return bindText(
		gesprekNotes(doc, gesprekId),
		{
			insert: (index, insert) => insertNotes(doc, gesprekId, index, insert),
			remove: (index, length) => deleteNotes(doc, gesprekId, index, length)
		},
		textarea,
		onerror
	);
}

/** The commands a text binding edits through (they validate and set the transaction origin). */
export interface TextEdits {
	insert(index: number, text: string): void;
	remove(index: number, length: number): void;
}

/**
 * Binds a textarea to a Y.Text edited through `edits` (see bindNotes; also used for the
 * confidential notes in an organisation's own document). Returns the unbind function.
 */
export function bindText(
	text: Y.Text,
	edits: TextEdits,
	textarea: HTMLTextAreaElement,
	onerror: (error: BoardInputError | null) => void = () => {}
): () => void {
	let shown = text.toString();
	textarea.value = shown;

	const onInput = () => {
		const value = textarea.value;
		const { index, remove, insert } = textDiff(shown, value, textarea.selectionEnd);
		try {
			if (remove > 0) edits.remove(index, remove);
			if (insert) edits.insert(index, insert);
			onerror(null);
		} catch (error) {
			if (!(error instanceof BoardInputError)) throw error;
			onerror(error);
		} finally {
			shown = text.toString();
		}
		if (textarea.value !== shown) textarea.value = shown;
	};
	const onChange = (event: Y.YTextEvent) => {
		const now = text.toString();
		if (now === textarea.value) {
			shown = now;
			return;
		}
		const delta = event.delta as Delta;
		const focused = document.activeElement === textarea;
		const start = transformIndex(delta, textarea.selectionStart);
		const end = transformIndex(delta, textarea.selectionEnd);
		textarea.value = now;
		shown = now;
		if (focused) textarea.setSelectionRange(start, end);
	};
	textarea.addEventListener('input', onInput);
	text.observe(onChange);
	return () => {
		textarea.removeEventListener('input', onInput);
		text.unobserve(onChange);
	};
}
