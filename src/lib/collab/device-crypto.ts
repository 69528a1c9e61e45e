/**
 * Encryption at rest of what "dit is mijn eigen apparaat" keeps on the device (own-device.ts):
 * AES-256-GCM with WebCrypto. A sealed blob is the 12-byte random IV followed by the ciphertext and
 * its 16-byte tag; the associated data (the store's name) binds a blob to the store it was written
 * in, so a blob copied into another board's or user's store does not open. Opening fails on a
 * wrong key or any changed byte.
 */
const IV_BYTES = 12;
const encoder = new TextEncoder();

/** A non-extractable AES-GCM key from 32 raw bytes: the page can use it but never read it back. */
export function importDeviceKey(raw: Uint8Array): Promise<CryptoKey> {
	if (raw.length !== 32) throw new Error('a device key has 32 bytes');
	return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
		'encrypt',
		'decrypt'
	]);
}

export async function seal(
	key: CryptoKey,
	plain: Uint8Array,
	context: string
): Promise<Uint8Array> {
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const cipher = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
		key,
		plain as Uint8Array<ArrayBuffer>
	);
	const out = new Uint8Array(IV_BYTES + cipher.byteLength);
	out.set(iv);
	out.set(new Uint8Array(cipher), IV_BYTES);
	return out;
}

/** The plain bytes; throws when the key is not the one it was sealed with or the blob was changed. */
export async function open(
	key: CryptoKey,
	sealed: Uint8Array,
	context: string
): Promise<Uint8Array> {
	if (sealed.length < IV_BYTES + 16) throw new Error('sealed blob too short');
	const plain = await crypto.subtle.decrypt(
		{
			name: 'AES-GCM',
			iv: sealed.subarray(0, IV_BYTES) as Uint8Array<ArrayBuffer>,
			additionalData: encoder.encode(context)
		},
		key,
		sealed.subarray(IV_BYTES) as Uint8Array<ArrayBuffer>
	);
	return new Uint8Array(plain);
}

/** base64url (as the server sends the key) to bytes. */
export function fromBase64Url(text: string): Uint8Array {
	const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
	const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
	return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
