import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addFollowUp,
	addGesprek,
	addPin,
	patchConsent,
	removeGesprek,
	setConsent,
	updateFollowUp,
	updateGesprek
} from '../../../src/lib/board';
import { BOARD_LAYOUT } from '../../../src/lib/board/layout';
import { takeValidPart } from '../../../src/lib/server/sync/repair';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

/**
 * A gesprek deleted by one user while another edits a field of it (QA session "kerngroep"): the
 * edit reaches the server after the deletion, before its sender has received it. A Y.Map.set that
 * replaces a value deletes the old value's item; the new value goes with the deleted gesprek, and
 * the old value's deletion is part of the entity's deletion, not "a field deleted without a new
 * value". The sender must not be told "Niet alles is opgeslagen … veld 'heldBy': mag niet leeg zijn".
 */

const sync = (from: Y.Doc, to: Y.Doc) =>
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

/** Everything `doc` writes from now on, as one update (what its socket sends). */
function recorder(doc: Y.Doc): () => Uint8Array {
	const before = Y.encodeStateVector(doc);
	return () => Y.encodeStateAsUpdate(doc, before);
}

/**
 * A server document and two clients with the same gesprek (with consent and a follow-up): A (the
 * owner) deletes it, B edits it concurrently with `edit`. The server gets A's deletion first, then
 * B's update, which must pass the check as it comes (no refusal, nothing taken back).
 */
function race(
	ids: [number, number],
	edit: (b: Y.Doc, gesprekId: string, followUpId: string) => void
) {
	const server = new Y.Doc();
	const a = new Y.Doc();
	const b = new Y.Doc();
	[a.clientID, b.clientID] = ids;
	const g = addGesprek(a, {
		addressId: 'adres-1',
		date: '2026-03-01',
		round: 1,
		heldBy: 'Olga',
		outcome: 'gesproken'
	});
	setConsent(a, g.id, { recordedBy: 'Olga', date: '2026-03-01', withdrawn: false });
	const followUp = addFollowUp(a, g.id, { what: 'Bellen', status: 'open' });
	sync(a, server);
	sync(server, b);

	const fromB = recorder(b);
	edit(b, g.id, followUp.id);
	removeGesprek(a, g.id);

	const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(server));
	validateBoardUpdate(fromA, server);
	Y.applyUpdate(server, fromA);
	const update = fromB();
	return { server, a, b, update, gesprekId: g.id };
}

const orders: [number, number][] = [
	[1, 2],
	[2, 1]
];

describe('a field edited while another user deletes its gesprek', () => {
	it.each(orders)('heldBy set once: accepted (client ids %i, %i)', (...ids) => {
		const { server, a, b, update } = race(ids, (b, id) => updateGesprek(b, id, { heldBy: 'Els' }));
		expect(() => validateBoardUpdate(update, server)).not.toThrow();
		Y.applyUpdate(server, update);
		sync(server, a);
		sync(server, b);
		// The gesprek stays deleted everywhere; nothing came back.
		for (const doc of [server, a, b]) expect(doc.getMap('gesprekken').size).toBe(0);
	});

	it.each(orders)('heldBy typed on (several writes): accepted (client ids %i, %i)', (...ids) => {
		const { server, update } = race(ids, (b, id) => {
			updateGesprek(b, id, { heldBy: 'Olga en' });
			updateGesprek(b, id, { heldBy: 'Olga en Els' });
			updateGesprek(b, id, { heldBy: 'Olga en Elsje' });
		});
		expect(() => validateBoardUpdate(update, server)).not.toThrow();
	});

	it.each(orders)(
		'a field of its consent or of a follow-up: accepted (client ids %i, %i)',
		(...ids) => {
			const { server, update } = race(ids, (b, id, followUpId) => {
				patchConsent(b, id, { recordedBy: 'Els', date: '2026-03-02' });
				updateFollowUp(b, id, followUpId, { what: 'Langsgaan', who: 'Els' });
				updateGesprek(b, id, { round: 2, outcome: 'later' });
			});
			expect(() => validateBoardUpdate(update, server)).not.toThrow();
		}
	);

	it.each(orders)(
		'sent again together with the deletion it has received since: accepted (client ids %i, %i)',
		(...ids) => {
			const { server, b } = race(ids, (b, id) => updateGesprek(b, id, { heldBy: 'Els' }));
			// B's socket dropped before it sent; it gets the deletion, then sends all it has.
			const answer = Y.encodeStateVector(server);
			sync(server, b);
			expect(b.getMap('gesprekken').size).toBe(0);
			const resent = Y.encodeStateAsUpdate(b, answer);
			expect(() => validateBoardUpdate(resent, server)).not.toThrow();
		}
	);

	it('an update the server must repair for another reason names only that part', () => {
		const { server, b, update } = race([1, 2], (b, id) => updateGesprek(b, id, { heldBy: 'Els' }));
		// The same update also writes a field the layout does not know (an outdated tab, say).
		const more = recorder(b);
		const pinId = addPin(b, { kind: 'notitie', title: 'Bankje', lon: 5.87, lat: 51.83 }).id;
		b.transact(() => b.getMap<Y.Map<unknown>>('pins').get(pinId)!.set('bsn', '123'));
		const merged = Y.mergeUpdates([update, more()]);
		expect(() => validateBoardUpdate(merged, server)).toThrow(/unknown field "bsn"/);
		const part = takeValidPart(merged, server, BOARD_LAYOUT);
		expect(part?.notTaken).toEqual([{ path: ['pins', pinId, 'bsn'], reason: 'unknown' }]);
	});

	it('still refuses deleting a required field of a gesprek that stays', () => {
		const server = new Y.Doc();
		const b = new Y.Doc();
		const g = addGesprek(b, {
			addressId: 'adres-1',
			date: '2026-03-01',
			heldBy: 'Olga',
			outcome: 'gesproken'
		});
		sync(b, server);
		const fromB = recorder(b);
		b.transact(() => b.getMap<Y.Map<unknown>>('gesprekken').get(g.id)!.delete('heldBy'));
		expect(() => validateBoardUpdate(fromB(), server)).toThrow(/deletes the field .*heldBy/);
	});
});
