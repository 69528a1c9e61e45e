import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek } from '../../../src/lib/board';
import {
	addToGesprekList,
	gesprekkenMap,
	removeGesprek,
	updateGesprek
} from '../../../src/lib/board/gesprekken';
import { extractBoardChanges, type HistoryChange } from '../../../src/lib/server/history/extract';

/** What each transaction of `doc` changed, as the sync server records it. */
function recorder(doc: Y.Doc): HistoryChange[] {
	const seen: HistoryChange[] = [];
	doc.on('afterTransaction', (t: Y.Transaction) => seen.push(...extractBoardChanges(t)));
	return seen;
}

describe('item history: field-level changes of a transaction', () => {
	it('records a field set (old and new), list items added and removed, notes as changed only, and a deletion with its last fields', () => {
		const doc = new Y.Doc();
		const g = addGesprek(doc, {
			addressId: 'a1',
			date: '2026-11-20',
			round: 1,
			heldBy: 'Anna',
			outcome: 'gesproken',
			talents: ['koken'],
			notes: 'geheim verhaal'
		});
		const seen = recorder(doc);
		updateGesprek(doc, g.id, { heldBy: 'Bram' });
		addToGesprekList(doc, g.id, 'talents', 'tuinieren');
		(gesprekkenMap(doc).get(g.id)!.get('notes') as Y.Text).insert(0, 'meer ');
		removeGesprek(doc, g.id);
		expect(seen).toEqual([
			{
				kind: 'gesprek',
				entityId: g.id,
				field: 'heldBy',
				op: 'set',
				oldValue: 'Anna',
				newValue: 'Bram'
			},
			{
				kind: 'gesprek',
				entityId: g.id,
				field: 'talents',
				op: 'add',
				oldValue: null,
				newValue: 'tuinieren'
			},
			{
				kind: 'gesprek',
				entityId: g.id,
				field: 'notes',
				op: 'text',
				oldValue: null,
				newValue: null
			},
			expect.objectContaining({
				kind: 'gesprek',
				entityId: g.id,
				field: null,
				op: 'delete',
				newValue: null
			})
		]);
		const last = seen[3]!.oldValue as Record<string, unknown>;
		expect(last).toMatchObject({
			heldBy: 'Bram',
			talents: ['koken', 'tuinieren'],
			addressId: 'a1'
		});
		// Free text never reaches the history.
		expect(JSON.stringify(seen)).not.toContain('verhaal');
	});
});
