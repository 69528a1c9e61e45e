import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/lib/server/errors';

describe('describeError', () => {
	it('keeps where an error happened but not what it quoted', () => {
		const err = Object.assign(new TypeError('bad value "mevrouw Jansen, 3 hoog"'), {
			code: '22P02'
		});
		const text = describeError(err);
		expect(text).toContain('TypeError (22P02)');
		expect(text).toContain('errors.test.ts');
		expect(text).not.toContain('Jansen');
	});

	it('names a thrown non-error by its type only', () => {
		expect(describeError('geheim')).toBe('string');
	});
});
