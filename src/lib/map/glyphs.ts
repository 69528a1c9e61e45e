/**
 * The maps' text: SDF glyph ranges served by the app itself (static/glyphs, made by
 * scripts/make-glyphs.ts from Noto Sans, SIL OFL 1.1), so labels need no glyph server and no
 * network beyond the app. Ranges 0-255 and 256-511 (Latin with Dutch diacritics) exist; MapLibre
 * draws anything else with the browser's own fonts.
 */
/** Fontstack names are the folders under static/glyphs. */
export const LABEL_FONT = 'NotoSans-Regular';
export const LABEL_FONT_BOLD = 'NotoSans-Bold';

/** The style's `glyphs` URL, absolute (MapLibre wants one), on this app's own origin. */
export function glyphsUrl(origin: string = globalThis.location?.origin ?? ''): string {
	return `${origin}/glyphs/{fontstack}/{range}.pbf`;
}
