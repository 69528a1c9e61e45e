import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { aGesprek, sync } from '../../support/ydocs';
import {
	addInitiatief,
	getGesprek,
	getInitiatief,
	updateGesprek,
	updateInitiatief
} from '../../../src/lib/board';
import { BoardContent } from '../../../src/lib/board/content.svelte';

/**
 * Undo after a colleague overwrote one's last change: nothing to take back, so nothing happens
 * (and the page says so). Yjs's own undo went on to the step before: it deleted the gesprek one
 * had made, or turned back an unrelated initiatief.
 */
describe('undo of a step someone else overwrote', () => {
	it('undoes nothing, says so, and leaves the steps before it for the next undo', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const content = new BoardContent(a);
		const g = aGesprek(a);
		content.stopCapturing();
		const i = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		content.stopCapturing();
		updateInitiatief(a, i.id, { status: 'loopt' });
		content.stopCapturing();
		updateGesprek(a, g.id, { outcome: 'niet-thuis' });
		sync(a, b);
		updateGesprek(b, g.id, { outcome: 'geweigerd' });
		sync(a, b);

		expect(content.undo()).toBe('superseded');
		expect(getGesprek(a, g.id)?.outcome).toBe('geweigerd');
		expect(getInitiatief(a, i.id)?.status).toBe('loopt');
		// The next undo takes back the step before, as one would expect.
		expect(content.undo()).toBe('undone');
		expect(getInitiatief(a, i.id)?.status).not.toBe('loopt');
		expect(getGesprek(a, g.id)).not.toBeNull();
		content.destroy();
	});

	it('still undoes a step the colleague only changed around', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const content = new BoardContent(a);
		const g = aGesprek(a);
		content.stopCapturing();
		updateGesprek(a, g.id, { outcome: 'niet-thuis' });
		sync(a, b);
		updateGesprek(b, g.id, { heldBy: 'Bas' });
		sync(a, b);
		expect(content.undo()).toBe('undone');
		expect(getGesprek(a, g.id)).toMatchObject({ outcome: 'gesproken', heldBy: 'Bas' });
		content.destroy();
	});
});
