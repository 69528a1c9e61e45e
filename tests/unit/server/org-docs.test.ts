import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek } from '../../../src/lib/board';
import { insertOrgNotes, getOrgNotes, markConfidential } from '../../../src/lib/board/org-notes';
import { migratedDb } from '../../support/db';
import { DEMO_BOARD, ensureDemoBoard } from '../../../src/lib/server/demo';
import {
	changesConfidential,
	listOrgDocs,
	orgDocName,
	parseDocName,
	removeNotes
} from '../../../src/lib/server/sync/org-docs';
import { UpdateStore } from '../../../src/lib/server/sync/store';

const ORG = '0a0a0a0a-0000-4000-8000-00000000000a';

describe('organisation document names', () => {
	it('names a board and organisation, and parses it back', () => {
		expect(orgDocName('spoorbuurt', ORG)).toBe(`spoorbuurt/org/${ORG}`);
		expect(parseDocName(`spoorbuurt/org/${ORG}`)).toEqual({
			kind: 'org',
			name: `spoorbuurt/org/${ORG}`,
			boardId: 'spoorbuurt',
			organisationId: ORG
		});
		expect(parseDocName('spoorbuurt')).toEqual({
			kind: 'board',
			name: 'spoorbuurt',
			boardId: 'spoorbuurt'
		});
	});

	it('refuses anything else', () => {
		expect(() => orgDocName('Spoor buurt', ORG)).toThrow();
		expect(() => orgDocName('spoorbuurt', 'not-a-uuid')).toThrow();
		for (const name of [
			'spoorbuurt/org',
			`spoorbuurt/org/${ORG}/x`,
			`spoorbuurt/other/${ORG}`,
			'spoorbuurt/org/not-a-uuid',
			`../org/${ORG}`,
			`spoorbuurt/org/${ORG.toUpperCase()}`
		]) {
			expect(parseDocName(name), name).toBeNull();
			// asked again (names are remembered): still refused
			expect(parseDocName(name), name).toBeNull();
		}
	});

	it('gives the same answer when asked again, one that callers cannot change', () => {
		const first = parseDocName(`spoorbuurt/org/${ORG}`);
		const again = parseDocName(`spoorbuurt/org/${ORG}`);
		expect(again).toEqual(first);
		expect(Object.isFrozen(again)).toBe(true);
		// Many names: the remembered ones are bounded, and each still parses right.
		for (let i = 0; i < 2500; i++) {
			expect(parseDocName(`board-${i}`)).toEqual({
				kind: 'board',
				name: `board-${i}`,
				boardId: `board-${i}`
			});
		}
		expect(parseDocName(`spoorbuurt/org/${ORG}`)).toEqual(first);
	});
});

describe('removeNotes', () => {
	it('removes the notes of the given gesprekken only, and their text from the encoded state', () => {
		const doc = new Y.Doc();
		insertOrgNotes(new Y.Doc(), doc, 'g1', 0, 'geheim een');
		insertOrgNotes(new Y.Doc(), doc, 'g2', 0, 'geheim twee');
		expect(removeNotes(doc, ['g1', 'unknown'])).toBe(1);
		expect(getOrgNotes(doc, 'g1')).toBe('');
		expect(getOrgNotes(doc, 'g2')).toBe('geheim twee');
		const state = Buffer.from(Y.encodeStateAsUpdate(doc));
		expect(state.includes(Buffer.from('geheim een'))).toBe(false);
		expect(state.includes(Buffer.from('geheim twee'))).toBe(true);
	});
});

describe('changesConfidential', () => {
	it('tells a marking apart from other changes', () => {
		const doc = new Y.Doc();
		const seen: boolean[] = [];
		doc.on('afterTransaction', (t: Y.Transaction) => seen.push(changesConfidential(t)));
		const g = addGesprek(doc, {
			addressId: 'a1',
			date: '2026-11-20',
			heldBy: 'Fatma',
			outcome: 'gesproken',
			notes: 'gedeeld'
		});
		markConfidential(doc, new Y.Doc(), g.id, ORG);
		expect(seen).toEqual([false, true]);
	});
});

describe.each(['pglite', 'postgres'] as const)(
	'organisation documents in storage (%s)',
	(driver) => {
		it('stores, compacts and lists them apart from the board document', async () => {
			const db = await migratedDb(driver);
			try {
				await ensureDemoBoard(db);
				const [org] = await db.query<{ id: string }>(
					"insert into public.organisations (name) values ('Woonwaarts') returning id::text as id"
				);
				const name = orgDocName(DEMO_BOARD.id, org!.id);
				const store = new UpdateStore(db);
				const doc = new Y.Doc();
				doc.on('update', (u: Uint8Array) => void store.append(name, u));
				insertOrgNotes(new Y.Doc(), doc, 'g1', 0, 'een');
				insertOrgNotes(new Y.Doc(), doc, 'g1', 3, ' twee');
				await expect.poll(async () => (await store.storedBytes(name)).rows).toBe(3);
				expect(await listOrgDocs(db, DEMO_BOARD.id)).toEqual([org!.id]);
				expect(await listOrgDocs(db, 'elders')).toEqual([]);
				// The board's own log is untouched.
				const board = await store.storedBytes(DEMO_BOARD.id);

				expect(await store.compact(name, () => Y.encodeStateAsUpdate(doc))).toBe(3);
				const rows = await store.load(name);
				expect(rows).toHaveLength(1);
				const reloaded = new Y.Doc();
				Y.applyUpdate(reloaded, rows[0]!.data);
				expect(getOrgNotes(reloaded, 'g1')).toBe('een twee');
				expect(await store.storedBytes(DEMO_BOARD.id)).toEqual(board);
				// One row is left alone, unless forced (a merged row may hold text deleted since).
				expect(await store.compact(name, () => Y.encodeStateAsUpdate(doc))).toBe(0);
				expect(await store.compact(name, () => Y.encodeStateAsUpdate(doc), { force: true })).toBe(
					1
				);
			} finally {
				await db.close();
			}
		});
	}
);
