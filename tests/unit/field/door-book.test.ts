import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getGesprek, listGesprekken } from '../../../src/lib/board';
import { DoorBook } from '../../../src/routes/boards/[id]/deur/door.svelte';
import { sync } from '../../support/ydocs';

/**
 * Two professionals at the same door on the same day (one offline): each one's taps record and
 * change their own gesprek. Before, door mode took the newest gesprek of the day at the door,
 * whoever held it, and a tap changed a colleague's record.
 */
describe('door mode at a door a colleague visited today', () => {
	it('records and changes one’s own gesprek, never the colleague’s', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const anna = new DoorBook(a, () => 'Anna Veld');
		const bert = new DoorBook(b, () => 'Bert Welzijn');
		const door = 'wagenaarstraat-1';
		const annas = anna.setOutcome(door, 'gesproken');
		const berts = bert.setOutcome(door, 'niet-thuis');
		sync(a, b);
		expect(anna.current(door)?.id).toBe(annas.id);
		expect(bert.current(door)?.id).toBe(berts.id);
		// Anna taps again: her record changes, Bert's stays.
		anna.setOutcome(door, 'later');
		sync(a, b);
		expect(getGesprek(b, berts.id)).toMatchObject({
			outcome: 'niet-thuis',
			heldBy: 'Bert Welzijn'
		});
		expect(getGesprek(b, annas.id)).toMatchObject({ outcome: 'later', heldBy: 'Anna Veld' });
		expect(listGesprekken(b, { addressId: door })).toHaveLength(2);
		anna.destroy();
		bert.destroy();
	});
});
