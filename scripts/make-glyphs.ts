/**
 * Makes the map's glyphs (static/glyphs/<fontstack>/<range>.pbf, the fontstack named without
 * spaces so that its URL needs no escaping): the SDF glyph ranges MapLibre asks
 * for to draw text, so that labels need no glyph server. Run once by hand when the fonts or ranges
 * change; the output is committed. Reproducible: the same packages give the same bytes.
 *
 *   mkdir -p /tmp/glyph-tools && cd /tmp/glyph-tools && echo '{}' > package.json \
 *     && npm install --no-save --ignore-scripts opentype.js@2.0.0 @fontsource/noto-sans@5.3.0
 *   GLYPH_TOOLS=/tmp/glyph-tools node --import tsx scripts/make-glyphs.ts
 *
 * The font is Noto Sans (SIL Open Font License 1.1, copied beside the output) as @fontsource
 * ships it: WOFF files per subset ("latin" and "latin-ext" together cover 0-511). The SDF follows
 * what fontnik (sdf-glyph-foundry) writes, which MapLibre expects: 24 px em, a 3 px buffer, a
 * distance of 8 px spread over 0-255 with the outline at 191, metrics in whole pixels, `top`
 * relative to the font's ascender. The distance is measured to the outline itself (curves
 * flattened), not to a rasterised bitmap, so the result depends on no rasteriser.
 */
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const tools = process.env.GLYPH_TOOLS;
if (!tools)
	throw new Error('Set GLYPH_TOOLS to the folder with opentype.js and @fontsource/noto-sans');
const require = createRequire(join(tools, 'package.json'));
const opentype = require('opentype.js') as typeof import('opentype.js');
const fontsource = join(tools, 'node_modules/@fontsource/noto-sans');

const OUT = join(import.meta.dirname, '../static/glyphs');
const SIZE = 24;
const BUFFER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
const RANGES = [0, 256];
const FONTS = [
	{ name: 'Noto Sans Regular', dir: 'NotoSans-Regular', weight: 400 },
	{ name: 'Noto Sans Bold', dir: 'NotoSans-Bold', weight: 700 }
];

type Point = [number, number];
type OpentypeFont = ReturnType<typeof opentype.parse>;

/** A glyph's outline as closed rings of points, in pixels at SIZE, y up. */
function rings(font: OpentypeFont, code: number): Point[][] {
	const glyph = font.charToGlyph(String.fromCodePoint(code));
	const scale = SIZE / font.unitsPerEm;
	const out: Point[][] = [];
	let ring: Point[] = [];
	const at = (x: number, y: number): Point => [x * scale, y * scale];
	const close = () => {
		if (ring.length > 1) {
			const [f, l] = [ring[0]!, ring[ring.length - 1]!];
			if (f[0] !== l[0] || f[1] !== l[1]) ring.push(f);
			out.push(ring);
		}
		ring = [];
	};
	for (const c of glyph.path.commands) {
		const last = ring[ring.length - 1];
		if (c.type === 'M') {
			close();
			ring.push(at(c.x, c.y));
		} else if (c.type === 'L') ring.push(at(c.x, c.y));
		else if (c.type === 'Q' && last) {
			const [p1, p2] = [at(c.x1, c.y1), at(c.x, c.y)];
			for (let i = 1; i <= 8; i++) {
				const t = i / 8;
				const u = 1 - t;
				ring.push([
					u * u * last[0] + 2 * u * t * p1[0] + t * t * p2[0],
					u * u * last[1] + 2 * u * t * p1[1] + t * t * p2[1]
				]);
			}
		} else if (c.type === 'C' && last) {
			const [p1, p2, p3] = [at(c.x1, c.y1), at(c.x2, c.y2), at(c.x, c.y)];
			for (let i = 1; i <= 12; i++) {
				const t = i / 12;
				const u = 1 - t;
				ring.push([
					u * u * u * last[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
					u * u * u * last[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1]
				]);
			}
		} else if (c.type === 'Z') close();
	}
	close();
	return out;
}

function segmentDistance(p: Point, a: Point, b: Point): number {
	const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
	const l2 = dx * dx + dy * dy;
	let t = l2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2;
	t = Math.max(0, Math.min(1, t));
	return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Even-odd, as fontnik does. */
function inside(rs: Point[][], p: Point): boolean {
	let c = false;
	for (const r of rs) {
		for (let i = 1; i < r.length; i++) {
			const [a, b] = [r[i - 1]!, r[i]!];
			if (
				a[1] > p[1] !== b[1] > p[1] &&
				p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]
			)
				c = !c;
		}
	}
	return c;
}

interface Glyph {
	id: number;
	bitmap: Uint8Array | null;
	width: number;
	height: number;
	left: number;
	top: number;
	advance: number;
}

function render(font: OpentypeFont, code: number, ascender: number): Glyph {
	const glyph = font.charToGlyph(String.fromCodePoint(code));
	const advance = Math.floor(((glyph.advanceWidth ?? 0) * SIZE) / font.unitsPerEm);
	const rs = rings(font, code);
	const pts = rs.flat();
	const empty = { id: code, bitmap: null, width: 0, height: 0, left: 0, top: -ascender, advance };
	if (pts.length === 0) return empty;
	const xmin = Math.round(Math.min(...pts.map((p) => p[0])));
	const xmax = Math.round(Math.max(...pts.map((p) => p[0])));
	const ymin = Math.round(Math.min(...pts.map((p) => p[1])));
	const ymax = Math.round(Math.max(...pts.map((p) => p[1])));
	const width = xmax - xmin;
	const height = ymax - ymin;
	if (width === 0 || height === 0) return empty;
	const moved = rs.map((r) => r.map(([x, y]): Point => [x - xmin + BUFFER, y - ymin + BUFFER]));
	const w = width + 2 * BUFFER;
	const h = height + 2 * BUFFER;
	const bitmap = new Uint8Array(w * h);
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) {
			const p: Point = [x + 0.5, y + 0.5];
			let d = Infinity;
			for (const r of moved) {
				for (let i = 1; i < r.length; i++) d = Math.min(d, segmentDistance(p, r[i - 1]!, r[i]!));
			}
			if (d > RADIUS) d = Infinity;
			let v = d * (256 / RADIUS);
			if (inside(moved, p)) v = -v;
			v += CUTOFF * 256;
			const n = Math.max(0, Math.min(255, Math.trunc(v)));
			bitmap[(h - y - 1) * w + x] = 255 - n;
		}
	}
	return { id: code, bitmap, width, height, left: xmin, top: ymax - ascender, advance };
}

/** Protocol buffers, just what the glyphs format needs. */
function varint(n: number): number[] {
	const out: number[] = [];
	let v = n >>> 0;
	while (v > 0x7f) {
		out.push((v & 0x7f) | 0x80);
		v >>>= 7;
	}
	out.push(v);
	return out;
}
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const uint = (field: number, n: number) => [...tag(field, 0), ...varint(n)];
const sint = (field: number, n: number) => uint(field, (n << 1) ^ (n >> 31));
const bytes = (field: number, b: ArrayLike<number>) => [
	...tag(field, 2),
	...varint(b.length),
	...Array.from(b)
];
const text = (field: number, s: string) => bytes(field, new TextEncoder().encode(s));

function encode(name: string, range: string, glyphs: Glyph[]): Uint8Array {
	const stack: number[] = [...text(1, name), ...text(2, range)];
	for (const g of glyphs) {
		const body = [
			...uint(1, g.id),
			...(g.bitmap ? bytes(2, g.bitmap) : []),
			...uint(3, g.width),
			...uint(4, g.height),
			...sint(5, g.left),
			...sint(6, g.top),
			...uint(7, g.advance)
		];
		stack.push(...bytes(3, body));
	}
	return Uint8Array.from(bytes(1, stack));
}

for (const { name, dir: folder, weight } of FONTS) {
	const subsets = ['latin', 'latin-ext'].map((subset) => {
		const file = readFileSync(join(fontsource, `files/noto-sans-${subset}-${weight}-normal.woff`));
		return opentype.parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
	});
	const dir = join(OUT, folder);
	mkdirSync(dir, { recursive: true });
	for (const start of RANGES) {
		const glyphs: Glyph[] = [];
		for (let code = start; code < start + 256; code++) {
			// The first subset that has the character (latin before latin-ext, as a browser would).
			const font = subsets.find((f) => f.charToGlyphIndex(String.fromCodePoint(code)) > 0);
			if (!font) continue;
			const ascender = Math.ceil((font.ascender * SIZE) / font.unitsPerEm);
			glyphs.push(render(font, code, ascender));
		}
		const range = `${start}-${start + 255}`;
		writeFileSync(join(dir, `${range}.pbf`), encode(name, range, glyphs));
		console.log(`${folder}/${range}.pbf: ${glyphs.length} glyphs`);
	}
}
copyFileSync(join(fontsource, 'LICENSE'), join(OUT, 'OFL.txt'));
