import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { getBoard } from '$lib/server/boards';
import type { Db } from '$lib/server/db';
import { requireBoardRole } from '$lib/server/guard';
import {
	boardStreets,
	getPublication,
	refreshProjection,
	setPublication
} from '$lib/server/public/store';
import { streetSlug } from '$lib/privacy/projection';
import { ensureShortLinks } from '$lib/server/public/short-links';
import { getRuntime } from '$lib/server/runtime';
import { readForm } from '$lib/server/forms';

/** The owners' publication settings of the public resident pages (see public/store.ts). */
export async function loadPublication(db: Db, boardId: string) {
	const publication = await getPublication(db, boardId);
	const streets = await boardStreets(db, boardId);
	// Every street has its flyer's short link from the start (it works once the street is published).
	const codes = await ensureShortLinks(db, boardId, streets.map(streetSlug));
	return {
		published: publication.published,
		k: publication.k,
		all: publication.streets === null,
		streets: streets.map((name) => ({
			name,
			slug: streetSlug(name),
			shortCode: codes.get(streetSlug(name)) ?? null,
			published: publication.streets === null || publication.streets.includes(name)
		}))
	};
}

const kSchema = z.coerce.number().int().min(5).max(1000);

export async function savePublication(event: RequestEvent) {
	const { boardId } = await requireBoardRole(event, 'owner');
	const form = await readForm(event.request);
	const rawK = String(form.get('k') ?? '').trim();
	const k = kSchema.safeParse(rawK === '' ? Number.NaN : rawK);
	if (!k.success) return fail(400, { publicationError: 'k' as const, publicationK: rawK });
	const { db } = getRuntime();
	if (!(await getBoard(db, boardId))) error(404, 'Not Found');
	const known = new Set(await boardStreets(db, boardId));
	const chosen = form
		.getAll('street')
		.map(String)
		.filter((s) => known.has(s));
	await setPublication(db, boardId, {
		published: form.get('published') === 'on',
		k: k.data,
		streets: form.get('allStreets') === 'on' ? null : chosen
	});
	// From the stored document; edits not stored yet follow when they are (debounced).
	await refreshProjection(db, boardId);
	return { publicationSaved: true };
}
