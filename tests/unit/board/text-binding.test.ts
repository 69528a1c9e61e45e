import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, gesprekNotes } from '$lib/board/gesprekken';
import { textDiff, transformIndex } from '$lib/board/text-binding';
import { BoardContent } from '$lib/board/content.svelte';

describe('textDiff', () => {
	it('finds an insert, a delete and a replacement', () => {
		expect(textDiff('hello', 'hel!lo', 4)).toEqual({ index: 3, remove: 0, insert: '!' });
		expect(textDiff('hello', 'helo', 3)).toEqual({ index: 3, remove: 1, insert: '' });
		expect(textDiff('hello world', 'hello there', 11)).toEqual({
			index: 6,
			remove: 5,
			insert: 'there'
		});
		expect(textDiff('', 'abc')).toEqual({ index: 0, remove: 0, insert: 'abc' });
	});
	it('applied to a Y.Text keeps text typed elsewhere at the same time', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const ta = a.getText('t');
		const tb = b.getText('t');
		ta.insert(0, 'start end');
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const da = textDiff('start end', 'start A end', 8);
		ta.insert(da.index, da.insert);
		const db = textDiff('start end', 'start endB', 10);
		tb.insert(db.index, db.insert);
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(ta.toString()).toBe('start A endB');
		expect(tb.toString()).toBe('start A endB');
	});
});

describe('transformIndex', () => {
	it('moves a caret after inserts and deletes before it, not after', () => {
		expect(transformIndex([{ insert: 'ab' }], 3)).toBe(5);
		expect(transformIndex([{ retain: 5 }, { insert: 'ab' }], 3)).toBe(3);
		expect(transformIndex([{ retain: 1 }, { delete: 1 }], 3)).toBe(2);
		expect(transformIndex([{ retain: 1 }, { delete: 5 }], 3)).toBe(1);
	});
});

describe('BoardContent', () => {
	it('seeds the default themes once and undoes only its own changes', () => {
		const doc = new Y.Doc();
		const content = new BoardContent(doc);
		content.ensureDefaults();
		expect(content.themas.active.length).toBe(8);
		content.ensureDefaults();
		expect(content.themas.active.length).toBe(8);
		expect(content.canUndo).toBe(false);

		const g = addGesprek(doc, {
			addressId: 'a1',
			date: '2024-03-01',
			heldBy: 'Anna',
			outcome: 'gesproken'
		});
		expect(content.gesprekken.all.map((x) => x.id)).toEqual([g.id]);
		// Someone else's change arrives.
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		gesprekNotes(other, g.id).insert(0, 'van Bob');
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		content.undo();
		expect(content.gesprekken.all).toEqual([]);
		content.redo();
		expect(content.gesprekken.all[0]?.notes).toBe('van Bob');
		content.destroy();
	});
});
