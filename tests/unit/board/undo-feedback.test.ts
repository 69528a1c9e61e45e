import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { aGesprek } from '../../support/ydocs';
import { addInitiatief, getGesprek, setConsent, updateInitiatief } from '../../../src/lib/board';
import { BoardContent } from '../../../src/lib/board/content.svelte';
import type { UndoneEntity } from '../../../src/lib/board/undo';

/**
 * The board's undo covers all of one's own changes, also in an entity that is not on screen any
 * more: the page is told which one it changed, so it can say so (UndoControls).
 */
describe('what an undo changed', () => {
	it('names the entity of each undone step, also a field deep inside it', () => {
		const doc = new Y.Doc();
		const content = new BoardContent(doc);
		const g = aGesprek(doc);
		content.stopCapturing();
		setConsent(doc, g.id, { recordedBy: 'Els', date: '2026-11-30' });
		content.stopCapturing();
		const i = addInitiatief(doc, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		content.stopCapturing();
		updateInitiatief(doc, i.id, { status: 'loopt' });
		content.stopCapturing();

		const told: UndoneEntity[][] = [];
		const undo = () => content.undo((entities) => told.push(entities));
		expect(undo()).toBe('undone');
		expect(undo()).toBe('undone');
		// The next undo is in the gesprek, which is not open anywhere: named all the same.
		expect(undo()).toBe('undone');
		expect(getGesprek(doc, g.id)?.consent.recordedBy).not.toBe('Els');
		expect(told).toEqual([
			[{ kind: 'initiatieven', id: i.id }],
			[{ kind: 'initiatieven', id: i.id }],
			[{ kind: 'gesprekken', id: g.id }]
		]);
	});
});
