import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, getGesprek, patchConsent, restoreConsent } from '../../../src/lib/board';
import { BOARD_LAYOUT } from '../../../src/lib/board/layout';
import { guardWithdrawn } from '../../../src/lib/server/sync/consent-guard';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

/**
 * The server's consent rule and moves (a modified client writes `addressId` directly): a gesprek
 * at a withdrawn household's address keeps it, a gesprek with personal data does not move into a
 * withdrawn household; an update that restores the consent may move; a move on a board without
 * withdrawn households costs no copy of the document.
 */

const base = { date: '2026-11-20', heldBy: 'Anouk', outcome: 'gesproken' as const };

function board() {
	const server = new Y.Doc();
	const client = new Y.Doc();
	const older = addGesprek(server, { ...base, addressId: 'a1', talents: ['koken'] }).id;
	const marked = addGesprek(server, { ...base, addressId: 'a1', round: 2 }).id;
	const elsewhere = addGesprek(server, { ...base, addressId: 'a2', notes: 'Buren' }).id;
	const sync = () =>
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
	sync();
	let copies = 0;
	const send = (change: () => void) => {
		const sv = Y.encodeStateVector(client);
		change();
		const update = Y.encodeStateAsUpdate(client, sv);
		const facts = validateBoardUpdate(update, server, BOARD_LAYOUT);
		const part = guardWithdrawn(update, server, facts, () => (copies++, true), BOARD_LAYOUT);
		Y.applyUpdate(server, part?.update ?? update);
		sync();
		return part?.notTaken.map((p) => `${p.path.at(-1)} ${p.reason}`) ?? [];
	};
	const fields = (id: string) => client.getMap<Y.Map<unknown>>('gesprekken').get(id)!;
	const move = (id: string, to: string) => () => fields(id).set('addressId', to);
	const address = (id: string) => [
		getGesprek(server, id)!.addressId,
		getGesprek(client, id)!.addressId
	];
	const withdraw = () => {
		patchConsent(server, marked, { withdrawn: true });
		sync();
	};
	return {
		...{ server, client, older, marked, elsewhere, sync, send, move, address, fields, withdraw },
		copies: () => copies
	};
}

describe('moves and the consent rule of the sync server', () => {
	it('costs no copy for a move while no household is withdrawn', () => {
		const { send, move, older, address, copies } = board();
		expect(send(move(older, 'a3'))).toEqual([]);
		expect(address(older)).toEqual(['a3', 'a3']);
		expect(copies()).toBe(0);
	});

	it('keeps every gesprek of a withdrawn household at its address', () => {
		const { send, move, older, marked, address, withdraw, fields, server } = board();
		withdraw();
		expect(send(move(older, 'a3'))).toEqual(['addressId withdrawn']);
		expect(address(older)).toEqual(['a1', 'a1']);
		// The withdrawn gesprek itself does not take its mark elsewhere either.
		expect(send(move(marked, 'a3'))).toEqual(['addressId withdrawn']);
		expect(address(marked)).toEqual(['a1', 'a1']);
		// What else the update does is taken.
		expect(
			send(() =>
				fields(older).doc!.transact(() => {
					fields(older).set('addressId', 'a3');
					fields(older).set('outcome', 'later');
				})
			)
		).toEqual(['addressId withdrawn']);
		expect(getGesprek(server, older)).toMatchObject({ addressId: 'a1', outcome: 'later' });
	});

	it('refuses a move that withdraws the household it leaves in the same update', () => {
		const { send, older, marked, address, fields, client } = board();
		expect(
			send(() =>
				client.transact(() => {
					(fields(marked).get('consent') as Y.Map<unknown>).set('withdrawn', true);
					fields(older).set('addressId', 'a3');
				})
			)
		).toEqual(['addressId withdrawn']);
		expect(address(older)).toEqual(['a1', 'a1']);
	});

	it('keeps a gesprek with personal data out of a withdrawn household', () => {
		const { send, move, elsewhere, address, withdraw, server, sync } = board();
		withdraw();
		expect(send(move(elsewhere, 'a1'))).toEqual(['addressId withdrawn']);
		expect(address(elsewhere)).toEqual(['a2', 'a2']);
		expect(getGesprek(server, elsewhere)!.notes).toBe('Buren');
		// One without personal data may go there (a visit, as a new gesprek may).
		const empty = addGesprek(server, { ...base, addressId: 'a4' }).id;
		sync();
		expect(send(move(empty, 'a1'))).toEqual([]);
		expect(getGesprek(server, empty)!.addressId).toBe('a1');
	});

	it('moves once the consent is restored, also in the same update', () => {
		const { send, move, older, marked, address, withdraw, client, fields } = board();
		withdraw();
		expect(
			send(() =>
				client.transact(() => {
					restoreConsent(client, 'a1');
					fields(older).set('addressId', 'a3');
				})
			)
		).toEqual([]);
		expect(address(older)).toEqual(['a3', 'a3']);
		expect(send(move(marked, 'a5'))).toEqual([]);
		expect(address(marked)).toEqual(['a5', 'a5']);
	});
});
