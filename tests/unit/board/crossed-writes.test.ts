import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { aGesprek, link, sync } from '../../support/ydocs';
import {
	addFollowUp,
	addInitiatief,
	getGesprek,
	patchConsent,
	updateFollowUp,
	getInitiatief,
	updateGesprek,
	updateInitiatief
} from '../../../src/lib/board';
import { setLocalReadOnly } from '../../../src/lib/board/common';
import { mergeCrossedWrites, type KeptWrites } from '../../../src/lib/board/crossed-writes';

/**
 * Writes of one short text field that cross (both made before either arrived: in flight, or
 * offline on two devices) are a concurrent set of one Y.Map key; Yjs keeps one. The device whose
 * write lost merges both edits and writes that, so nobody's words silently vanish.
 */
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function devices(n: number): Y.Doc[] {
	return Array.from({ length: n }, () => {
		const doc = new Y.Doc();
		stops.push(mergeCrossedWrites(doc).stop);
		return doc;
	});
}

/** Lets the merge (written after the transaction that revealed the crossing) happen. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Syncs every pair until nothing changes any more (merges are written in between). */
async function converge(docs: Y.Doc[]): Promise<void> {
	for (let round = 0; round < 5; round++) {
		for (const a of docs) for (const b of docs) if (a !== b) sync(a, b);
		await settle();
	}
}

const titles = (docs: Y.Doc[], id: string) => docs.map((d) => getInitiatief(d, id)!.title);

describe('crossed writes of a short text field', () => {
	it('keeps both additions to the end of a title, on both devices', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const { id } = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, id, { title: 'Moestuin achter de school' });
		updateInitiatief(b, id, { title: 'Moestuin 2027' });
		await converge([a, b]);
		const [ta, tb] = titles([a, b], id);
		expect(ta).toBe(tb);
		expect(ta).toContain(' achter de school');
		expect(ta).toContain(' 2027');
		expect(ta!.startsWith('Moestuin ')).toBe(true);
	});

	it('keeps edits at both ends of "Gevoerd door"', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const g = aGesprek(a);
		sync(a, b);
		updateGesprek(a, g.id, { heldBy: 'Ana (Woonwaarts)' });
		updateGesprek(b, g.id, { heldBy: 'Piet en Ana' });
		await converge([a, b]);
		expect(getGesprek(a, g.id)!.heldBy).toBe('Piet en Ana (Woonwaarts)');
		expect(getGesprek(b, g.id)!.heldBy).toBe('Piet en Ana (Woonwaarts)');
	});

	it('merges three devices that were offline together, whichever wins the tie-break', async () => {
		// Random client ids decide whose write Yjs keeps: many rounds, so every order comes up.
		for (let round = 0; round < 30; round++) {
			const docs = devices(3);
			const [a, b, c] = docs as [Y.Doc, Y.Doc, Y.Doc];
			const { id } = addInitiatief(a, { title: 'Buurtfeest', place: { lon: 5.87, lat: 51.83 } });
			await converge(docs);
			updateInitiatief(a, id, { title: 'Groot Buurtfeest' });
			updateInitiatief(b, id, { title: 'Buurtfeest in juni' });
			updateInitiatief(c, id, { title: 'Buurtfeest!' });
			await converge(docs);
			const all = titles(docs, id);
			expect(new Set(all).size).toBe(1);
			expect(all[0]).toMatch(/^Groot Buurtfeest/);
			expect(all[0]).toContain(' in juni');
			expect(all[0]).toContain('!');
		}
	});

	it('leaves a later edit built on mine alone (no crossing)', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const { id } = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, id, { title: 'Moestuin achter de school' });
		sync(a, b);
		updateInitiatief(b, id, { title: 'Moestuin' }); // B takes A's words out again, on purpose.
		await converge([a, b]);
		expect(titles([a, b], id)).toEqual(['Moestuin', 'Moestuin']);
	});

	it('keeps a single value when both changed the same words', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const { id } = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, id, { title: 'Pluktuin' });
		updateInitiatief(b, id, { title: 'Kruidentuin' });
		await converge([a, b]);
		const [ta, tb] = titles([a, b], id);
		expect(ta).toBe(tb);
		expect(['Pluktuin', 'Kruidentuin']).toContain(ta);
	});

	it('merges writes that cross in flight on a live link', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const { id } = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, id, { title: 'De Moestuin' });
		updateInitiatief(b, id, { title: 'Moestuin 2027' });
		stops.push(link(a, b));
		sync(a, b);
		await settle();
		await settle();
		expect(titles([a, b], id)).toEqual(['De Moestuin 2027', 'De Moestuin 2027']);
	});

	it('writes no merge the schema refuses, and none on a read-only copy', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const { id } = addInitiatief(a, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, id, { title: 'Moestuin ' + 'a'.repeat(150) });
		updateInitiatief(b, id, { title: 'Moestuin ' + 'b'.repeat(150) });
		await converge([a, b]);
		const [ta, tb] = titles([a, b], id);
		expect(ta).toBe(tb);
		expect(ta!.length).toBeLessThanOrEqual(200);

		const { id: other } = addInitiatief(a, { title: 'Tuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, other, { title: 'De Tuin' });
		updateInitiatief(b, other, { title: 'Tuin 2027' });
		setLocalReadOnly(a, true);
		setLocalReadOnly(b, true);
		await converge([a, b]);
		const [oa, ob] = titles([a, b], other);
		expect(oa).toBe(ob);
		expect(['De Tuin', 'Tuin 2027']).toContain(oa);
	});
});

describe('crossed writes inside a gesprek', () => {
	it('keeps both edits of a follow-up and of who recorded the consent', async () => {
		const [a, b] = devices(2) as [Y.Doc, Y.Doc];
		const g = aGesprek(a);
		const f = addFollowUp(a, g.id, { what: 'Bellen', who: 'Ana' });
		patchConsent(a, g.id, { recordedBy: 'Ana' });
		sync(a, b);
		updateFollowUp(a, g.id, f.id, { what: 'Bellen over de tuin' });
		updateFollowUp(b, g.id, f.id, { what: 'Morgen bellen' });
		updateFollowUp(a, g.id, f.id, { who: 'Ana en Piet' });
		updateFollowUp(b, g.id, f.id, { who: 'Ana (Woonwaarts)' });
		patchConsent(a, g.id, { recordedBy: 'Ana de Vries' });
		patchConsent(b, g.id, { recordedBy: 'Ana (opbouwwerk)' });
		await converge([a, b]);
		for (const doc of [a, b]) {
			const read = getGesprek(doc, g.id)!;
			expect(read.followUps[0]!.what).toBe('Morgen bellen over de tuin');
			expect(read.followUps[0]!.who).toMatch(
				/^Ana( en Piet \(Woonwaarts\)| \(Woonwaarts\) en Piet)$/
			);
			expect(read.consent.recordedBy).toMatch(
				/^Ana (de Vries \(opbouwwerk\)|\(opbouwwerk\) de Vries)$/
			);
		}
	});
});

describe('crossed writes kept on the device', () => {
	/** The device's copy (OfflineCopy's get/set), as plain storage that outlives the tab. */
	function deviceStore(): KeptWrites & { data: Map<string, unknown> } {
		const data = new Map<string, unknown>();
		return {
			data,
			get: async <T>(key: string) => structuredClone(data.get(key)) as T | undefined,
			set: async (key: string, value: unknown) => void data.set(key, structuredClone(value))
		};
	}

	it('merges after the tab that wrote offline was closed and opened again', async () => {
		const a = new Y.Doc();
		a.clientID = 1; // Lower than B's: Yjs keeps B's write, so A's side must merge.
		const guard = mergeCrossedWrites(a);
		const store = deviceStore();
		await guard.keep(store);
		const b = devices(1)[0]!;
		b.clientID = 2;
		const { id } = addInitiatief(b, { title: 'Moestuin', place: { lon: 5.87, lat: 51.83 } });
		sync(a, b);
		updateInitiatief(a, id, { title: 'De Moestuin' });
		await settle();
		// A's tab closes (what it had is in the device's copy), B writes meanwhile.
		const kept = Y.encodeStateAsUpdate(a);
		guard.stop();
		updateInitiatief(b, id, { title: 'Moestuin 2027' });

		// A's tab opens again: the copy, then the kept writes, then the server's changes.
		const again = new Y.Doc();
		Y.applyUpdate(again, kept, 'indexeddb');
		const reopened = mergeCrossedWrites(again);
		stops.push(reopened.stop);
		await reopened.keep(store);
		await converge([again, b]);
		expect(titles([again, b], id)).toEqual(['De Moestuin 2027', 'De Moestuin 2027']);
		expect(store.data.get('crossed-writes')).toBeDefined();
	});
});
