import { randomInt } from 'node:crypto';
import type { Db, Queryable } from '../db';
import { readPublicBoard } from './store';

/**
 * Short links of the public street pages (/s/<code>), for printed flyers: 7 characters from an
 * alphabet without look-alikes (no 0/o, 1/l/i), lower case, read case-insensitively. A code is
 * random (31^7 ≈ 2.8·10^10 of them), made the first time a street needs one and kept in
 * public.public_short_links, so it stays the same for a board and street for good. It reveals
 * nothing about the board or street, and it leads somewhere only while the street is published
 * (`resolveShortLink` checks the public projection, as the page itself does).
 */

export const SHORT_CODE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
export const SHORT_CODE_LENGTH = 7;
const CODE = new RegExp(`^[${SHORT_CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`);

export function newShortCode(): string {
	let code = '';
	for (let i = 0; i < SHORT_CODE_LENGTH; i++) {
		code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
	}
	return code;
}

/** The code as typed (any case, spaces or dashes around), or null if it cannot be one. */
export function normaliseShortCode(typed: string): string | null {
	const code = typed.trim().toLowerCase();
	return CODE.test(code) ? code : null;
}

/**
 * The short codes of these streets (slugs) of a board, made where missing. A new code that happens
 * to be taken already is drawn again (a few tries; at this size a clash is rare).
 */
export async function ensureShortLinks(
	db: Queryable,
	boardId: string,
	slugs: string[]
): Promise<Map<string, string>> {
	const wanted = [...new Set(slugs)];
	const codes = new Map<string, string>();
	for (let attempt = 0; attempt < 5; attempt++) {
		const rows = await db.query<{ slug: string; code: string }>(
			'select slug, code from public.public_short_links where board_id = $1 and slug = any($2)',
			[boardId, wanted]
		);
		for (const row of rows) codes.set(row.slug, row.code);
		const missing = wanted.filter((slug) => !codes.has(slug));
		if (missing.length === 0) return codes;
		await db.query(
			`insert into public.public_short_links (code, board_id, slug)
			 select c.code, $1, c.slug from unnest($2::text[], $3::text[]) as c(code, slug)
			 on conflict do nothing`,
			[boardId, missing.map(() => newShortCode()), missing]
		);
	}
	throw new Error('could not make short links');
}

/**
 * Where a short link leads: the path of a published street page, or null (no such code, or its
 * board or street is not published now). Codes are never reused, so the code's street is cached.
 */
export async function resolveShortLink(db: Db, typed: string): Promise<string | null> {
	const code = normaliseShortCode(typed);
	if (!code) return null;
	let target = targets.get(code);
	if (!target) {
		const [row] = await db.query<{ board_id: string; slug: string }>(
			'select board_id, slug from public.public_short_links where code = $1',
			[code]
		);
		if (!row) return null;
		target = { board: row.board_id, slug: row.slug };
		if (targets.size >= 10_000) targets.clear();
		targets.set(code, target);
	}
	const board = await readPublicBoard(db, target.board);
	if (!board?.streets.some((s) => s.slug === target.slug)) return null;
	return `/buurt/${target.board}/${target.slug}`;
}

const targets = new Map<string, { board: string; slug: string }>();
