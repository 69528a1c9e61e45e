import { describe, expect, it } from 'vitest';
import { safeNext } from '../../../../src/lib/server/auth/next';

describe('safeNext: where the sign-in page may send you afterwards', () => {
	it.each([
		['/boards/spoorbuurt', '/boards/spoorbuurt'],
		[
			'/boards/spoorbuurt/adressen?tab=import#rij-3',
			'/boards/spoorbuurt/adressen?tab=import#rij-3'
		],
		['/', '/'],
		// Normalised the way the browser would resolve it, still on this site.
		['/boards/../login', '/login'],
		['/boards/spoorbuurt%2F..%2Fx', '/boards/spoorbuurt%2F..%2Fx']
	])('keeps the local path %s', (next, expected) => {
		expect(safeNext(next)).toBe(expected);
	});

	it.each([
		[null],
		[undefined],
		[''],
		['boards/spoorbuurt'],
		['//evil.example/boards'],
		['///evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['/\\/evil.example'],
		['/\t/evil.example'],
		['/\n/evil.example'],
		['https://evil.example/'],
		['http:/evil.example'],
		['javascript:alert(1)'],
		[' /boards/spoorbuurt'],
		['/' + 'a'.repeat(3000)]
	])('sends %j to the home page', (next) => {
		expect(safeNext(next)).toBe('/');
	});
});
