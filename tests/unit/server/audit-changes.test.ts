import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addFollowUp,
	addGesprek,
	addPin,
	insertNotes,
	removeGesprek,
	setConsent,
	updateFollowUp,
	updateGesprek
} from '../../../src/lib/board';
import { changedGesprekIds } from '../../../src/lib/server/audit';
import { insertOrgNotes, ORG_NOTES } from '../../../src/lib/board/org-notes';

/**
 * Which gesprekken a client's update changed, as the sync server sees it: the update is applied to
 * the server's copy of the document and read in afterTransaction.
 */
function serverSide() {
	const client = new Y.Doc();
	const server = new Y.Doc();
	const seen: string[][] = [];
	server.on('afterTransaction', (tr: Y.Transaction) => {
		if (tr.origin === 'client') seen.push(changedGesprekIds(tr).sort());
	});
	client.on('update', (update: Uint8Array) => Y.applyUpdate(server, update, 'client'));
	return {
		client,
		/** The gesprek ids of each update since the last call. */
		take(): string[][] {
			return seen.splice(0);
		}
	};
}

const input = (addressId: string) => ({
	addressId,
	date: '2026-11-20',
	round: 1,
	heldBy: 'Erik',
	outcome: 'gesproken' as const
});

describe('the gesprekken an update changed', () => {
	it('names a new gesprek, and each edit of its fields, lists, follow-ups, consent and notes', () => {
		const { client, take } = serverSide();
		const a = addGesprek(client, input('a1'));
		const b = addGesprek(client, input('a2'));
		expect(take()).toEqual([[a.id], [b.id]]);

		updateGesprek(client, a.id, { outcome: 'later', talents: ['koken'] });
		const followUp = addFollowUp(client, b.id, { what: 'Bellen' });
		updateFollowUp(client, b.id, followUp.id, { status: 'klaar' });
		setConsent(client, a.id, { recordedBy: 'Erik', date: '2026-11-20' });
		insertNotes(client, b.id, 0, 'Een notitie');
		expect(take()).toEqual([[a.id], [b.id], [b.id], [a.id], [b.id]]);
	});

	it('names both gesprekken changed in one transaction, and a removed one', () => {
		const { client, take } = serverSide();
		const a = addGesprek(client, input('a1'));
		const b = addGesprek(client, input('a2'));
		take();
		client.transact(() => {
			insertNotes(client, a.id, 0, 'x');
			insertNotes(client, b.id, 0, 'y');
		});
		removeGesprek(client, a.id);
		expect(take()).toEqual([[a.id, b.id].sort(), [a.id]]);
	});

	it('names nothing for changes outside the gesprekken', () => {
		const { client, take } = serverSide();
		addPin(client, { kind: 'notitie', title: 'Bankje', addressId: null, lon: 5.9, lat: 52 });
		expect(take()).toEqual([[]]);
	});
});

describe('changes to confidential notes', () => {
	it('names the gesprek whose notes changed in an organisation document', () => {
		const client = new Y.Doc();
		const server = new Y.Doc();
		const seen: string[][] = [];
		server.on('afterTransaction', (tr: Y.Transaction) => {
			if (tr.origin === 'client') seen.push(changedGesprekIds(tr, ORG_NOTES).sort());
		});
		client.on('update', (update: Uint8Array) => Y.applyUpdate(server, update, 'client'));
		insertOrgNotes(new Y.Doc(), client, 'g-vertrouwelijk', 0, 'schulden');
		insertOrgNotes(new Y.Doc(), client, 'g-vertrouwelijk', 8, ' bij de corporatie');
		expect(seen.length).toBeGreaterThanOrEqual(2);
		for (const ids of seen) expect(ids).toEqual(['g-vertrouwelijk']);
	});
});
