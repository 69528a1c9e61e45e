import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABEL_FONT, LABEL_FONT_BOLD, glyphsUrl } from '../../../src/lib/map/glyphs';

/**
 * The committed glyph ranges (static/glyphs, made by scripts/make-glyphs.ts) are what MapLibre
 * reads: protocol buffers of SDF glyphs, one stack per file, that cover Dutch street names.
 */
interface Glyph {
	id: number;
	bitmap: Uint8Array;
	width: number;
	height: number;
	left: number;
	top: number;
	advance: number;
}

/** Just enough protocol buffers to read a glyph range: varints and length-delimited fields. */
function fields(bytes: Uint8Array): [number, number | Uint8Array][] {
	const out: [number, number | Uint8Array][] = [];
	let i = 0;
	const varint = () => {
		let value = 0;
		let shift = 0;
		let b: number;
		do {
			b = bytes[i++]!;
			value += (b & 0x7f) * 2 ** shift;
			shift += 7;
		} while (b & 0x80);
		return value;
	};
	while (i < bytes.length) {
		const key = varint();
		if ((key & 7) === 0) out.push([key >>> 3, varint()]);
		else if ((key & 7) === 2) {
			const length = varint();
			out.push([key >>> 3, bytes.subarray(i, i + length)]);
			i += length;
		} else throw new Error(`unexpected wire type ${key & 7}`);
	}
	return out;
}

const zigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

function readRange(font: string, range: string): { name: string; range: string; glyphs: Glyph[] } {
	const file = readFileSync(
		join(import.meta.dirname, '../../../static/glyphs', font, `${range}.pbf`)
	);
	const stacks = fields(file);
	expect(stacks).toHaveLength(1);
	const stack = fields(stacks[0]![1] as Uint8Array);
	const text = (f: number) =>
		new TextDecoder().decode(stack.find(([n]) => n === f)![1] as Uint8Array);
	const glyphs = stack
		.filter(([n]) => n === 3)
		.map(([, body]) => {
			const g = { bitmap: new Uint8Array() } as Glyph;
			for (const [n, v] of fields(body as Uint8Array)) {
				if (n === 1) g.id = v as number;
				if (n === 2) g.bitmap = v as Uint8Array;
				if (n === 3) g.width = v as number;
				if (n === 4) g.height = v as number;
				if (n === 5) g.left = zigzag(v as number);
				if (n === 6) g.top = zigzag(v as number);
				if (n === 7) g.advance = v as number;
			}
			return g;
		});
	return { name: text(1), range: text(2), glyphs };
}

describe('map glyphs', () => {
	it('points MapLibre at the app itself', () => {
		expect(glyphsUrl('https://buurtbord.example')).toBe(
			'https://buurtbord.example/glyphs/{fontstack}/{range}.pbf'
		);
	});

	for (const font of [LABEL_FONT, LABEL_FONT_BOLD]) {
		it(`${font} covers Dutch street names, with SDF bitmaps of the stated size`, () => {
			const low = readRange(font, '0-255');
			const high = readRange(font, '256-511');
			expect(low.range).toBe('0-255');
			expect(high.range).toBe('256-511');
			expect(low.name).toMatch(/^Noto Sans (Regular|Bold)$/);
			const byId = new Map([...low.glyphs, ...high.glyphs].map((g) => [g.id, g]));
			for (const ch of "Willem Heijdtstraat 's-Hertogenbosch Ĳsselmeer Café Rüdiger Poëzie Ölands-1½") {
				const g = byId.get(ch.codePointAt(0)!);
				expect(g, ch).toBeDefined();
				expect(g!.advance, ch).toBeGreaterThan(0);
				if (ch === ' ') continue;
				// The bitmap has a 3 px border around the glyph; its outline (191) is inside.
				expect(g!.bitmap.length, ch).toBe((g!.width + 6) * (g!.height + 6));
				expect(Math.max(...g!.bitmap), ch).toBeGreaterThan(191);
				expect(g!.bitmap[0], ch).toBeLessThan(191);
			}
			// Capitals reach higher than lower case, descenders lower: `top` is from the ascender.
			const [A, x, g] = ['A', 'x', 'g'].map((c) => byId.get(c.codePointAt(0)!)!);
			expect(A!.top).toBeGreaterThan(x!.top);
			expect(g!.top - g!.height).toBeLessThan(x!.top - x!.height);
		});
	}
});
