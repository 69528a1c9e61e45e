import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from './db';

/**
 * The key a browser encrypts its organisation's confidential notes with when the user chose
 * "dit is mijn eigen apparaat" (issue 12; "Own device: confidential notes at rest" in
 * docs/architecture.md).
 *
 * One key per user and session, derived rather than stored: HMAC-SHA256 of the server's secret
 * (`public.device_key_secret`, created on first use, shared by every process on the database) over
 * the user id and the session id (the SHA-256 of the built-in session token, or a Supabase access
 * token's `session_id`). The same session always gets the same key; a new session a new one; a
 * session that ended (signed out, expired, revoked) gets none, as GET /device-key answers only a
 * valid session. The device keeps the key in memory only.
 */
export interface DeviceKey {
	/** 256 bits, base64url. */
	key: string;
	/** Names the key without revealing it, so a device can tell a blob of another session apart. */
	keyId: string;
}

const DOMAIN = 'buurtbord/own-device-key/v1';
const secrets = new WeakMap<Db, Promise<Uint8Array>>();

async function loadSecret(db: Db): Promise<Uint8Array> {
	// Two processes starting at once: the first insert wins, both read the same row.
	await db.query(
		'insert into public.device_key_secret (id, secret) values (true, $1) on conflict (id) do nothing',
		[randomBytes(32)]
	);
	const [row] = await db.query<{ secret: Uint8Array }>(
		'select secret from public.device_key_secret where id'
	);
	if (!row) throw new Error('device key secret missing');
	return new Uint8Array(row.secret);
}

function secretOf(db: Db): Promise<Uint8Array> {
	let secret = secrets.get(db);
	if (!secret) {
		secret = loadSecret(db);
		secrets.set(db, secret);
		// A failed read (database down) is tried again on the next request.
		secret.catch(() => secrets.delete(db));
	}
	return secret;
}

/** The key of this user's session (ids as given by the auth resolver). */
export async function deviceKey(db: Db, userId: string, sessionId: string): Promise<DeviceKey> {
	const secret = await secretOf(db);
	const key = createHmac('sha256', secret).update(`${DOMAIN}\0${userId}\0${sessionId}`).digest();
	const keyId = createHmac('sha256', key).update(`${DOMAIN}/id`).digest().subarray(0, 16);
	return { key: key.toString('base64url'), keyId: keyId.toString('base64url') };
}
