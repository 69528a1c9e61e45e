/**
 * The marks of the public map, one set for the server-rendered SVG, its key and the interactive
 * MapLibre map (map.ts), so that the key describes both maps: a street is a circle (the current
 * street a larger one in green), a public initiative a diamond.
 */
export const MARKS = {
	current: '#1f6f5c',
	street: '#5b6b64',
	initiative: '#b45309',
	stroke: '#ffffff',
	background: '#eef2ec',
	label: '#1c1c1c'
} as const;

/** The MapLibre image id of the initiative's diamond (drawn by `diamondImage`, no sprite). */
export const DIAMOND = 'public-initiative-diamond';

/**
 * The initiative's diamond as RGBA pixels (for map.addImage): a square turned 45°, filled in the
 * initiative colour with a white edge, as the SVG draws it; `size` CSS pixels at `ratio`.
 */
export function diamondImage(
	size = 18,
	ratio = 2
): { width: number; height: number; data: Uint8Array } {
	const n = size * ratio;
	const data = new Uint8Array(n * n * 4);
	const c = n / 2;
	const outer = c - 0.5;
	const inner = outer - 2 * ratio;
	const fill = [1, 3, 5].map((i) => parseInt(MARKS.initiative.slice(i, i + 2), 16));
	for (let y = 0; y < n; y++) {
		for (let x = 0; x < n; x++) {
			// Distance from the centre along the diamond's own measure (|dx| + |dy|), smoothed edges.
			const d = Math.abs(x + 0.5 - c) + Math.abs(y + 0.5 - c);
			const alpha = Math.max(0, Math.min(1, outer - d + 0.5));
			const inside = Math.max(0, Math.min(1, inner - d + 0.5));
			const i = (y * n + x) * 4;
			// Straight (not premultiplied) RGBA: the white edge blends into the fill.
			data[i] = Math.round(255 * (1 - inside) + fill[0]! * inside);
			data[i + 1] = Math.round(255 * (1 - inside) + fill[1]! * inside);
			data[i + 2] = Math.round(255 * (1 - inside) + fill[2]! * inside);
			data[i + 3] = Math.round(255 * alpha);
		}
	}
	return { width: n, height: n, data };
}
