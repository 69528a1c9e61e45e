import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGesprek,
	createUndoManager,
	removeGesprek,
	updateGesprek
} from '../../../src/lib/board';
import { localOrigin } from '../../../src/lib/board/common';
import { markConfidential, unmarkConfidential } from '../../../src/lib/board/org-notes';
import { UpdateRefusal } from '../../../src/lib/server/sync/hooks';
import { takeValidPart } from '../../../src/lib/server/sync/repair';
import { validateBoardUpdate, type UpdateAuthor } from '../../../src/lib/server/sync/validate';
import { BOARD_LAYOUT } from '../../../src/lib/board/layout';

/**
 * A gesprek's marker `confidential` belongs to the organisation it names: a member of another
 * organisation (a client of their own, past the form that already forbids it) must not unmark it,
 * take it over or remove it, which would hide the notes from their organisation and send what its
 * members type next into the shared notes.
 */
const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';
const A: UpdateAuthor = { organisationId: ORG_A };
const B: UpdateAuthor = { organisationId: ORG_B };

function board() {
	const server = new Y.Doc();
	const orgDoc = new Y.Doc();
	const id = addGesprek(server, {
		addressId: 'adres-1',
		date: '2026-11-02',
		heldBy: 'Fatma',
		outcome: 'gesproken',
		notes: 'Vertrouwelijk: schulden'
	}).id;
	markConfidential(server, orgDoc, id, ORG_A);
	/** A client of `author` with the server's document: the update `fn` makes, checked as the server does. */
	/** The update `fn` makes on a client that has the server's document. */
	const capture = (fn: (doc: Y.Doc) => void) => {
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array) => updates.push(u));
		fn(client);
		return Y.mergeUpdates(updates);
	};
	/** A client update of `author`, checked and applied as the server does. */
	const send = (author: UpdateAuthor, fn: (doc: Y.Doc) => void) => {
		const update = capture(fn);
		validateBoardUpdate(update, server, BOARD_LAYOUT, author);
		Y.applyUpdate(server, update);
	};
	const marker = () => (server.getMap('gesprekken').get(id) as Y.Map<unknown>).get('confidential');
	return { server, id, capture, send, marker };
}

const fields = (doc: Y.Doc, id: string) => doc.getMap('gesprekken').get(id) as Y.Map<unknown>;

describe('the marker of confidential notes', () => {
	it('cannot be removed, taken over or deleted by another organisation', () => {
		const { id, send, marker } = board();
		for (const change of [
			(doc: Y.Doc) => fields(doc, id).set('confidential', null),
			(doc: Y.Doc) => fields(doc, id).set('confidential', ORG_B),
			(doc: Y.Doc) => fields(doc, id).delete('confidential'),
			(doc: Y.Doc) => unmarkConfidential(doc, new Y.Doc(), id)
		]) {
			expect(() => send(B, change)).toThrow(UpdateRefusal);
			// Nor by a member without an organisation.
			expect(() => send({ organisationId: null }, change)).toThrow(UpdateRefusal);
		}
		expect(marker()).toBe(ORG_A);
	});

	it('is not taken through the repair of an update that is refused for something else too', () => {
		const { server, id, capture, marker } = board();
		const update = capture((doc) => {
			fields(doc, id).set('confidential', null);
			fields(doc, id).set('onbekend', 'x');
		});
		// The unknown field alone would be taken back and the rest applied (repair.ts).
		expect(takeValidPart(update, server, BOARD_LAYOUT, A)).not.toBeNull();
		expect(takeValidPart(update, server, BOARD_LAYOUT, B)).toBeNull();
		expect(marker()).toBe(ORG_A);
	});

	it('cannot name another organisation on an existing gesprek', () => {
		const { id, send } = board();
		const other = board();
		send(A, (doc) => unmarkConfidential(doc, new Y.Doc(), id));
		expect(() => send(B, (doc) => fields(doc, id).set('confidential', ORG_A))).toThrow(
			UpdateRefusal
		);
		expect(() => other.send(A, (doc) => fields(doc, other.id).set('confidential', ORG_B))).toThrow(
			UpdateRefusal
		);
	});

	it('is the own organisation’s to unmark, and other members still edit and delete the gesprek', () => {
		const { server, id, send, marker } = board();
		send(B, (doc) => updateGesprek(doc, id, { outcome: 'later' }));
		expect(fields(server, id).get('outcome')).toBe('later');
		send(A, (doc) => unmarkConfidential(doc, new Y.Doc(), id));
		expect(marker()).toBeNull();
		// Unmarked, anyone may mark it for their own organisation.
		send(B, (doc) => markConfidential(doc, new Y.Doc(), id, ORG_B));
		expect(marker()).toBe(ORG_B);
		send(A, (doc) => removeGesprek(doc, id));
		expect(server.getMap('gesprekken').has(id)).toBe(false);
	});

	it('comes back when another organisation’s member undoes deleting the gesprek', () => {
		const { server, id, marker } = board();
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const undo = createUndoManager(client);
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array, origin: unknown) => {
			if (origin !== 'server') updates.push(u);
		});
		const sendAll = () => {
			const update = Y.mergeUpdates(updates.splice(0));
			validateBoardUpdate(update, server, BOARD_LAYOUT, B);
			Y.applyUpdate(server, update);
		};
		client.transact(() => removeGesprek(client, id), localOrigin(client));
		sendAll();
		expect(server.getMap('gesprekken').has(id)).toBe(false);
		undo.undo();
		sendAll();
		expect(marker()).toBe(ORG_A);
	});
});
