import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64Url, importDeviceKey, open, seal } from '../../../src/lib/collab/device-crypto';

/** What "dit is mijn eigen apparaat" keeps on the device is sealed with AES-GCM (WebCrypto, as in the browser). */
const STORE = 'buurtbord:user-1:spoorbuurt:org-notes';
const randomKey = () => importDeviceKey(crypto.getRandomValues(new Uint8Array(32)));

function notesUpdate(text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap<Y.Text>('notes').set('g1', new Y.Text(text));
	return Y.encodeStateAsUpdate(doc);
}

describe('sealing confidential notes for the device', () => {
	it('opens again with the same key, and the sealed bytes do not hold the text', async () => {
		const key = await randomKey();
		const plain = notesUpdate('Zorgen over de schulden van de bewoner');
		const sealed = await seal(key, plain, STORE);
		expect(Buffer.from(sealed).includes('schulden')).toBe(false);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await open(key, sealed, STORE));
		expect(doc.getMap<Y.Text>('notes').get('g1')?.toString()).toBe(
			'Zorgen over de schulden van de bewoner'
		);
	});

	it('seals the same notes differently each time (a fresh IV)', async () => {
		const key = await randomKey();
		const plain = notesUpdate('x');
		const [a, b] = await Promise.all([seal(key, plain, STORE), seal(key, plain, STORE)]);
		expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
	});

	it('does not open with another key (another session)', async () => {
		const sealed = await seal(await randomKey(), notesUpdate('geheim'), STORE);
		await expect(open(await randomKey(), sealed, STORE)).rejects.toThrow();
	});

	it('does not open when any byte was changed, or in another store', async () => {
		const key = await randomKey();
		const sealed = await seal(key, notesUpdate('geheim'), STORE);
		for (const at of [0, 12, sealed.length - 1]) {
			const tampered = sealed.slice();
			tampered[at]! ^= 1;
			await expect(open(key, tampered, STORE)).rejects.toThrow();
		}
		await expect(open(key, sealed.subarray(0, 20), STORE)).rejects.toThrow();
		await expect(open(key, sealed, 'buurtbord:user-2:spoorbuurt:org-notes')).rejects.toThrow();
	});

	it('takes the key as the server sends it (32 bytes, base64url) and nothing shorter', async () => {
		const raw = crypto.getRandomValues(new Uint8Array(32));
		expect(fromBase64Url(Buffer.from(raw).toString('base64url'))).toEqual(raw);
		expect(() => importDeviceKey(new Uint8Array(16))).toThrow();
	});
});
