import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 needs 128·N·r bytes = 32 MiB of memory per hash. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

function maxmemFor(N: number, r: number): number {
	// Node refuses anything above maxmem (default 32 MiB); leave room for its own bookkeeping.
	return 128 * N * r * 2;
}

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions) {
	return new Promise<Buffer>((resolve, reject) =>
		scryptCb(password.normalize('NFKC'), salt, keylen, opts, (err, key) =>
			err ? reject(err) : resolve(key)
		)
	);
}

interface Parsed {
	N: number;
	r: number;
	p: number;
	salt: Buffer;
	hash: Buffer;
}

function parse(encoded: string): Parsed | null {
	const parts = encoded.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
	const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d{1,10}$/.test(x!) ? Number(x) : NaN)) as [
		number,
		number,
		number
	];
	// Bounds keep a corrupted row from asking for gigabytes of memory.
	if (!(N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0)) return null;
	if (!(r >= 1 && r <= 32 && p >= 1 && p <= 16)) return null;
	const salt = Buffer.from(parts[4]!, 'base64');
	const hash = Buffer.from(parts[5]!, 'base64');
	if (salt.length < 8 || hash.length < 16) return null;
	return { N, r, p, salt, hash };
}

/** Hashes a password as `scrypt$N$r$p$<salt base64>$<hash base64>`. */
export async function hashPassword(password: string): Promise<string> {
	const { N, r, p } = SCRYPT_PARAMS;
	const salt = randomBytes(SALT_BYTES);
	const hash = await scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmemFor(N, r) });
	return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Whether the password matches the stored hash; false for a malformed hash. Constant-time compare. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
	const parsed = parse(encoded);
	if (!parsed) return false;
	const { N, r, p, salt, hash } = parsed;
	const candidate = await scrypt(password, salt, hash.length, {
		N,
		r,
		p,
		maxmem: maxmemFor(N, r)
	});
	return timingSafeEqual(candidate, hash);
}

/** Whether a stored hash was made with other (older) parameters and should be replaced on sign-in. */
export function needsRehash(encoded: string): boolean {
	const parsed = parse(encoded);
	if (!parsed) return true;
	const { N, r, p } = SCRYPT_PARAMS;
	return (
		parsed.N !== N ||
		parsed.r !== r ||
		parsed.p !== p ||
		parsed.salt.length !== SALT_BYTES ||
		parsed.hash.length !== KEY_BYTES
	);
}

/**
 * A hash of a random password, to verify against when an account does not exist, so that a wrong
 * email address takes as long as a wrong password.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
	dummy ??= hashPassword(randomBytes(16).toString('base64'));
	return dummy;
}
