import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, patchConsent, restoreConsent } from '../../../src/lib/board';
import { ORG_NOTES_LAYOUT } from '../../../src/lib/board/layout';
import { getOrgNotes, orgNotesMap } from '../../../src/lib/board/org-notes';
import { UpdateRefusal } from '../../../src/lib/server/sync/hooks';
import { guardWithdrawnNotes } from '../../../src/lib/server/sync/consent-guard-notes';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

/**
 * The server's consent rule for an organisation's document: text written (directly, as a
 * modified client would) into the confidential notes of a gesprek whose household withdrew its
 * consent in the board's document is not taken; deleting, and other households' notes, are. A
 * notes edit while nobody withdrew costs no copy; without the board's document it is refused.
 */

const base = { date: '2026-11-20', heldBy: 'Anouk', outcome: 'gesproken' as const };

function setup() {
	const board = new Y.Doc();
	const withdrawnId = addGesprek(board, { ...base, addressId: 'a1' }).id;
	const otherId = addGesprek(board, { ...base, addressId: 'a2' }).id;
	const server = new Y.Doc();
	orgNotesMap(server).set(withdrawnId, new Y.Text('Eerder'));
	const client = new Y.Doc();
	const sync = () =>
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
	sync();
	let copies = 0;
	const send = (change: (notes: Y.Map<Y.Text>) => void, boardDoc: Y.Doc | null = board) => {
		const sv = Y.encodeStateVector(client);
		change(orgNotesMap(client));
		const update = Y.encodeStateAsUpdate(client, sv);
		const facts = validateBoardUpdate(update, server, ORG_NOTES_LAYOUT);
		const part = guardWithdrawnNotes(
			update,
			server,
			boardDoc ?? undefined,
			facts,
			() => (copies++, true),
			ORG_NOTES_LAYOUT
		);
		Y.applyUpdate(server, part?.update ?? update);
		sync();
		return part?.notTaken.map((p) => `${p.path.join('/')} ${p.reason}`) ?? [];
	};
	return { board, server, client, withdrawnId, otherId, send, copies: () => copies };
}

describe('the consent rule of the sync server for confidential notes', () => {
	it('costs no copy while no household is withdrawn', () => {
		const { send, withdrawnId, server, copies } = setup();
		expect(send((notes) => notes.get(withdrawnId)!.insert(0, 'Nu '))).toEqual([]);
		expect(getOrgNotes(server, withdrawnId)).toBe('Nu Eerder');
		expect(copies()).toBe(0);
	});

	it('takes no text for a withdrawn household, in its existing note or a new one', () => {
		const { board, send, withdrawnId, otherId, server, client } = setup();
		const later = addGesprek(board, { ...base, addressId: 'a1', round: 2 }).id;
		patchConsent(board, withdrawnId, { withdrawn: true });
		expect(
			send((notes) =>
				client.transact(() => {
					notes.get(withdrawnId)!.insert(6, ' schulden');
					notes.set(later, new Y.Text('Zorgmelding'));
					// Another household's note is taken.
					notes.set(otherId, new Y.Text('Andere buren'));
				})
			).sort()
		).toEqual([`notes/${later} withdrawn`, `notes/${withdrawnId} withdrawn`].sort());
		for (const doc of [server, client]) {
			expect(getOrgNotes(doc, withdrawnId)).toBe('Eerder');
			expect(getOrgNotes(doc, later)).toBe('');
			expect(getOrgNotes(doc, otherId)).toBe('Andere buren');
		}
		// Deleting is taken.
		expect(send((notes) => notes.get(withdrawnId)!.delete(0, 2))).toEqual([]);
		expect(getOrgNotes(server, withdrawnId)).toBe('rder');
		// After the consent is restored, writing works again.
		restoreConsent(board, 'a1');
		expect(send((notes) => notes.get(withdrawnId)!.insert(0, 'Weer '))).toEqual([]);
		expect(getOrgNotes(server, withdrawnId)).toBe('Weer rder');
	});

	it('refuses notes it cannot check without the board document', () => {
		const { send, otherId } = setup();
		expect(() => send((notes) => notes.set(otherId, new Y.Text('x')), null)).toThrow(UpdateRefusal);
	});
});
