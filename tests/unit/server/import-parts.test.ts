import { describe, expect, it } from 'vitest';
import { parseImportPayload } from '../../../src/lib/server/addresses';
import {
	IMPORT_PART_ROWS,
	addImportPart,
	parsePartHeader
} from '../../../src/lib/server/import-parts';
import type { ImportRow } from '../../../src/lib/server/addresses';

function row(line: number, over: Record<string, unknown> = {}): unknown {
	return {
		line,
		street: 'Sweelinckstraat',
		houseNumber: line,
		houseLetter: null,
		addition: null,
		postcode: '6521CA',
		city: 'Nijmegen',
		lon: 5.867,
		lat: 51.83,
		bagId: null,
		complexNumber: null,
		...over
	};
}

describe('an import row with a control character', () => {
	it('is refused as invalid in that field (Postgres would fail on NUL)', () => {
		const parsed = parseImportPayload({
			rows: [row(1), row(2, { street: 'Sweelinck\u0000straat' }), row(3, { city: 'Nij\u0000' })]
		});
		expect(parsed).toEqual({
			ok: false,
			reason: 'rows',
			count: 2,
			issues: [
				{ line: 2, field: 'street' },
				{ line: 3, field: 'city' }
			]
		});
	});
});

describe('an import in parts', () => {
	const rows = (n: number, from = 1) =>
		Array.from({ length: n }, (_, i) => ({ line: from + i }) as unknown as ImportRow);
	const key = (importId: string) => ({ userId: 'u1', boardId: 'b', importId });

	it('parses part headers and refuses malformed ones', () => {
		expect(parsePartHeader('0/3')).toEqual({ index: 0, total: 3 });
		expect(parsePartHeader('3/3')).toBeNull();
		expect(parsePartHeader('0/0')).toBeNull();
		expect(parsePartHeader('x')).toBeNull();
		expect(parsePartHeader('0/999')).toBeNull();
	});

	it('gives all rows once the last part arrives in order', () => {
		expect(addImportPart(key('a'), { index: 0, total: 3 }, rows(IMPORT_PART_ROWS))).toEqual({
			done: false,
			received: IMPORT_PART_ROWS
		});
		addImportPart(key('a'), { index: 1, total: 3 }, rows(IMPORT_PART_ROWS));
		const last = addImportPart(key('a'), { index: 2, total: 3 }, rows(5));
		expect(last).toMatchObject({ done: true });
		expect('rows' in last && last.rows).toHaveLength(2 * IMPORT_PART_ROWS + 5);
	});

	it('drops an import whose parts come out of order', () => {
		addImportPart(key('b'), { index: 0, total: 3 }, rows(1));
		expect(addImportPart(key('b'), { index: 2, total: 3 }, rows(1))).toEqual({ error: 'part' });
		expect(addImportPart(key('b'), { index: 1, total: 3 }, rows(1))).toEqual({ error: 'part' });
	});

	it('refuses more than the row limit across parts', () => {
		const total = 26;
		let last: unknown;
		for (let i = 0; i < total; i++) {
			last = addImportPart(key('c'), { index: i, total }, rows(IMPORT_PART_ROWS));
			if (typeof last === 'object' && last && 'error' in last) break;
		}
		// 25 parts of 2,000 are the 50,000 allowed; the 26th part goes over.
		expect(last).toEqual({ error: 'too-many' });
	});
});
