import { describe, expect, it } from 'vitest';
import {
	SCRYPT_PARAMS,
	hashPassword,
	needsRehash,
	verifyPassword
} from '../../../../src/lib/server/auth/password';

describe('password hashing', () => {
	it('stores scrypt with its parameters, and accepts only the right password', async () => {
		const hash = await hashPassword('correct horse battery');
		const [kdf, N, r, p, salt, key] = hash.split('$');
		expect([kdf, Number(N), Number(r), Number(p)]).toEqual([
			'scrypt',
			SCRYPT_PARAMS.N,
			SCRYPT_PARAMS.r,
			SCRYPT_PARAMS.p
		]);
		expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
		expect(Buffer.from(key!, 'base64')).toHaveLength(32);
		expect(hash).not.toContain('correct horse battery');
		expect(await verifyPassword('correct horse battery', hash)).toBe(true);
		expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
		expect(await verifyPassword('', hash)).toBe(false);
		expect(needsRehash(hash)).toBe(false);
	});

	it('salts every hash, so the same password never hashes the same twice', async () => {
		const [a, b] = await Promise.all([
			hashPassword('same password!'),
			hashPassword('same password!')
		]);
		expect(a).not.toBe(b);
		expect(await verifyPassword('same password!', b!)).toBe(true);
	});

	it('asks for a rehash of weaker parameters and rejects malformed or absurd hashes', async () => {
		const weak = (await hashPassword('some password')).replace(/^scrypt\$\d+\$/, 'scrypt$1024$');
		expect(needsRehash(weak)).toBe(true);
		expect(needsRehash('bcrypt$whatever')).toBe(true);
		expect(await verifyPassword('some password', 'not a hash')).toBe(false);
		// A corrupted row must not make the server allocate gigabytes.
		const huge = (await hashPassword('some password')).replace(
			/^scrypt\$\d+\$/,
			'scrypt$1073741824$'
		);
		expect(await verifyPassword('some password', huge)).toBe(false);
	});
});
