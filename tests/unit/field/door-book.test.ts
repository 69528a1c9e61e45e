import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getGesprek, listGesprekken } from '../../../src/lib/board';
import { ensureDefaultThemas, mergeThema } from '../../../src/lib/board/themas';
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

	it('shows a colleague’s change and a theme merge at once, reading only what changed', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		ensureDefaultThemas(a);
		sync(a, b);
		const anna = new DoorBook(a, () => 'Anna Veld');
		const bert = new DoorBook(b, () => 'Bert Welzijn');
		const [from, into] = anna.themas;
		const gesprek = anna.setOutcome('wagenaarstraat-3', 'gesproken');
		anna.toggleThema(gesprek.id, from!.id, true);
		sync(a, b);
		expect(bert.latest('wagenaarstraat-3')?.themeIds).toEqual([from!.id]);
		// Bert merges the theme; Anna's door shows the theme it went into, and no longer offers it.
		mergeThema(b, from!.id, into!.id);
		sync(a, b);
		expect(anna.latest('wagenaarstraat-3')?.themeIds).toEqual([into!.id]);
		expect(anna.themas.map((t) => t.id)).not.toContain(from!.id);
		// A colleague's gesprek elsewhere leaves this door's history as it was (the same objects).
		const history = anna.history('wagenaarstraat-3');
		bert.setOutcome('wagenaarstraat-5', 'later');
		sync(a, b);
		expect(anna.history('wagenaarstraat-3')).toBe(history);
		expect(anna.latest('wagenaarstraat-5')).toMatchObject({
			outcome: 'later',
			heldBy: 'Bert Welzijn'
		});
		anna.destroy();
		bert.destroy();
	});
});
