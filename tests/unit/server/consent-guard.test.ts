import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	createUndoManager,
	getGesprek,
	insertNotes,
	patchConsent,
	removeGesprek
} from '../../../src/lib/board';
import { localOrigin } from '../../../src/lib/board/common';
import { BOARD_LAYOUT } from '../../../src/lib/board/layout';
import { guardWithdrawn } from '../../../src/lib/server/sync/consent-guard';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

/**
 * The server's consent rule on real Yjs documents (the server's and a client's), without the
 * socket: what an update that adds personal data to a withdrawn household becomes, and that an
 * ordinary edit costs no copy of the document.
 */

const base = { date: '2026-11-20', heldBy: 'Anouk', outcome: 'gesproken' as const };

/** A server document and a client in sync with it; `send` checks the client's next change. */
function board() {
	const server = new Y.Doc();
	const client = new Y.Doc();
	const id = addGesprek(server, {
		...base,
		addressId: 'a1',
		followUps: [{ what: 'Bellen' }],
		notes: 'Eerder'
	}).id;
	const sync = () =>
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
	sync();
	let copies = 0;
	/** Applies the client's change to the server as the sync server does; the parts not taken. */
	const send = (change: () => void) => {
		const sv = Y.encodeStateVector(client);
		change();
		const update = Y.encodeStateAsUpdate(client, sv);
		const facts = validateBoardUpdate(update, server, BOARD_LAYOUT);
		const part = guardWithdrawn(update, server, facts, () => (copies++, true), BOARD_LAYOUT);
		Y.applyUpdate(server, part?.update ?? update);
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		return part?.notTaken.map((p) => `${p.path.at(-1)} ${p.reason}`) ?? [];
	};
	return { server, client, id, send, copies: () => copies };
}

describe('the consent rule of the sync server', () => {
	it('costs no copy of the document for edits of households that did not withdraw', () => {
		const { client, id, send, copies } = board();
		expect(send(() => insertNotes(client, id, 0, 'Nieuw '))).toEqual([]);
		expect(send(() => patchConsent(client, id, { date: '2026-11-21' }))).toEqual([]);
		expect(copies()).toBe(0);
	});

	it("puts an existing follow-up's field back and drops a new one", () => {
		const { server, client, id, send } = board();
		patchConsent(server, id, { withdrawn: true });
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		const followUps = client.getMap<Y.Map<unknown>>('gesprekken').get(id)!.get('followUps');
		const list = followUps as Y.Array<Y.Map<unknown>>;
		const told = send(() =>
			client.transact(() => {
				list.get(0).set('what', 'Schuldhulp');
				list.get(0).set('status', 'klaar');
			})
		);
		expect(told).toEqual(['followUps withdrawn']);
		for (const doc of [server, client]) {
			expect(getGesprek(doc, id)!.followUps).toMatchObject([{ what: 'Bellen', status: 'open' }]);
		}
	});

	it('takes no personal data back in with an undo of the gesprek deletion', () => {
		const { server, client, id, send } = board();
		const undo = createUndoManager(client);
		send(() => removeGesprek(client, id));
		// Another gesprek of the household carries the withdrawal.
		addGesprek(server, {
			...base,
			addressId: 'a1',
			consent: { recordedBy: 'A', date: '2026-11-20', withdrawn: true }
		});
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		const told = send(() => undo.undo());
		expect(told.sort()).toEqual(['followUps withdrawn', 'notes withdrawn']);
		expect(JSON.stringify(server.getMap('gesprekken').toJSON())).not.toMatch(/Eerder|Bellen/);
	});

	it('lets an update that restores the consent add data', () => {
		const { server, client, id, send } = board();
		patchConsent(server, id, { withdrawn: true });
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		const told = send(() =>
			client.transact(() => {
				patchConsent(client, id, { withdrawn: false });
				(client.getMap<Y.Map<unknown>>('gesprekken').get(id)!.get('notes') as Y.Text).insert(
					0,
					'Weer '
				);
			}, localOrigin(client))
		);
		expect(told).toEqual([]);
		expect(getGesprek(server, id)!.notes).toBe('Weer Eerder');
	});
});
