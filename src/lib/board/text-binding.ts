import * as Y from 'yjs';
import { BoardInputError } from './common';
import { deleteNotes, gesprekNotes, insertNotes } from './gesprekken';
import { deleteDescription, initiatievenMap, insertDescription } from './initiatieven';
import { textDiff } from './text-diff';

export { textDiff };

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
	return bindSource(
		() => text.toString(),
		(changed) => {
			const onText = (event: Y.YTextEvent) => changed(event.delta as Delta);
			text.observe(onText);
			return () => text.unobserve(onText);
		},
		edits,
		textarea,
		onerror
	);
}

/**
 * Binds a textarea to an initiatief's description: its Y.Text, or the plain string of a board
 * stored before, which the first edit upgrades to a Y.Text (here or in another browser; the
 * binding follows). Returns the unbind function.
 */
export function bindDescription(
	doc: Y.Doc,
	initiatiefId: string,
	textarea: HTMLTextAreaElement,
	onerror: (error: BoardInputError | null) => void = () => {}
): () => void {
	const fields = initiatievenMap(doc).get(initiatiefId);
	if (!(fields instanceof Y.Map)) return () => {};
	return bindTextField(
		fields,
		'description',
		{
			insert: (index, text) => insertDescription(doc, initiatiefId, index, text),
			remove: (index, length) => deleteDescription(doc, initiatiefId, index, length)
		},
		textarea,
		onerror
	);
}

/** Binds a textarea to the text field `key` of `fields`: a Y.Text, or a plain string (legacy). */
function bindTextField(
	fields: Y.Map<unknown>,
	key: string,
	edits: TextEdits,
	textarea: HTMLTextAreaElement,
	onerror: (error: BoardInputError | null) => void
): () => void {
	const read = () => {
		const value = fields.get(key);
		return value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : '';
	};
	return bindSource(
		read,
		(changed) => {
			let observed: Y.Text | null = null;
			const onText = (event: Y.YTextEvent) => changed(event.delta as Delta);
			const attach = () => {
				const value = fields.get(key);
				const text = value instanceof Y.Text ? value : null;
				if (text === observed) return;
				observed?.unobserve(onText);
				observed = text;
				observed?.observe(onText);
			};
			// The field itself replaced (upgraded to a Y.Text, or set anew): follow it.
			const onFields = (event: Y.YMapEvent<unknown>) => {
				if (!event.keysChanged.has(key)) return;
				attach();
				changed(null);
			};
			attach();
			fields.observe(onFields);
			return () => {
				fields.unobserve(onFields);
				observed?.unobserve(onText);
			};
		},
		edits,
		textarea,
		onerror
	);
}

/**
 * The binding itself: `read` gives the stored text, `subscribe` reports its changes (with the
 * delta when known, to move the caret along; null when the text was replaced as a whole).
 */
function bindSource(
	read: () => string,
	subscribe: (changed: (delta: Delta | null) => void) => () => void,
	edits: TextEdits,
	textarea: HTMLTextAreaElement,
	onerror: (error: BoardInputError | null) => void
): () => void {
	let shown = read();
	textarea.value = shown;
	/** True while our own edit is written: its removal and insertion are two transactions. */
	let applying = false;

	const onInput = () => {
		const value = textarea.value;
		const { index, remove, insert } = textDiff(shown, value, textarea.selectionEnd);
		applying = true;
		try {
			if (remove > 0) edits.remove(index, remove);
			if (insert) edits.insert(index, insert);
			onerror(null);
		} catch (error) {
			if (!(error instanceof BoardInputError)) throw error;
			onerror(error);
		} finally {
			applying = false;
			shown = read();
		}
		if (textarea.value !== shown) textarea.value = shown;
	};
	const onChange = (delta: Delta | null) => {
		// Our own edit, half written (typing over a selection removes, then inserts): the textarea
		// already shows the result. Rewriting it in between lost the caret and scrambled the text.
		if (applying) return;
		const now = read();
		if (now === textarea.value) {
			shown = now;
			return;
		}
		const focused = document.activeElement === textarea;
		const start = delta ? transformIndex(delta, textarea.selectionStart) : textarea.selectionStart;
		const end = delta ? transformIndex(delta, textarea.selectionEnd) : textarea.selectionEnd;
		textarea.value = now;
		shown = now;
		if (focused) textarea.setSelectionRange(start, end);
	};
	textarea.addEventListener('input', onInput);
	const unsubscribe = subscribe(onChange);
	return () => {
		textarea.removeEventListener('input', onInput);
		unsubscribe();
	};
}
