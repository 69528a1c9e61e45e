import * as Y from 'yjs';
import { z } from 'zod';
import {
	BoardInputError,
	byCreation,
	newId,
	parse,
	readEntity,
	requireEntity,
	transactLocal,
	type Fields
} from './common';
import { LIMITS, THEMA_SHAPE, TOP_LEVEL, colourSchema } from './layout';

/** A named, colour-coded topic that gesprekken and initiatieven link to. */
export interface Thema {
	id: string;
	name: string;
	colour: string;
	description: string;
	archived: boolean;
	mergedInto: string | null;
	createdAt: string;
}

/**
 * The set a new board starts with. Their ids are fixed, so two clients seeding the same new board
 * at once write the same entries instead of doubling them.
 */
export const DEFAULT_THEMAS = [
	{ id: 'contact-met-buren', name: 'contact met buren', colour: '#1f77b4' },
	{ id: 'eenzaamheid', name: 'eenzaamheid', colour: '#9467bd' },
	{ id: 'ontmoeting', name: 'ontmoeting', colour: '#ff7f0e' },
	{ id: 'groen', name: 'groen', colour: '#2ca02c' },
	{ id: 'veiligheid', name: 'veiligheid', colour: '#d62728' },
	{ id: 'vergrijzing', name: 'vergrijzing', colour: '#8c564b' },
	{ id: 'participatie', name: 'participatie', colour: '#17becf' },
	{ id: 'overlast', name: 'overlast', colour: '#7f7f7f' }
] as const;

const nameSchema = z
	.string()
	.trim()
	.min(1, 'name must not be empty')
	.max(LIMITS.name, `name must be at most ${LIMITS.name} characters`);
const newThemaSchema = z.strictObject({
	name: nameSchema,
	colour: colourSchema,
	description: z.string().trim().max(LIMITS.description).default('')
});
export type NewThema = z.input<typeof newThemaSchema>;

export function themasMap(doc: Y.Doc): Y.Map<Fields> {
	return doc.getMap<Fields>(TOP_LEVEL.themas);
}

function write(doc: Y.Doc, id: string, data: Omit<Thema, 'id'>): void {
	const fields = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(data)) fields.set(key, value);
	themasMap(doc).set(id, fields);
}

/** Adds the default themes to a board that has none yet; returns whether it did. */
export function ensureDefaultThemas(doc: Y.Doc): boolean {
	if (themasMap(doc).size > 0) return false;
	const createdAt = new Date(0).toISOString();
	transactLocal(doc, () => {
		for (const t of DEFAULT_THEMAS) {
			write(doc, t.id, {
				name: t.name,
				colour: t.colour,
				description: '',
				archived: false,
				mergedInto: null,
				createdAt
			});
		}
	});
	return true;
}

export function addThema(doc: Y.Doc, input: NewThema): Thema {
	const data = parse(newThemaSchema, input, 'thema');
	const thema: Thema = {
		id: newId(),
		...data,
		archived: false,
		mergedInto: null,
		createdAt: new Date().toISOString()
	};
	transactLocal(doc, () => {
		const { id, ...rest } = thema;
		write(doc, id, rest);
	});
	return thema;
}

export function getThema(doc: Y.Doc, id: string): Thema | null {
	return settled(doc, readEntity<Thema>(THEMA_SHAPE, id, themasMap(doc).get(id)));
}

/**
 * A theme as readers see it: one whose merges lead back to itself (two people merged two themes
 * into each other at the same time) and that resolves to itself is the one that stays, active.
 */
function settled(doc: Y.Doc, t: Thema | null): Thema | null {
	if (!t?.mergedInto || resolveThemaId(doc, t.id) !== t.id) return t;
	return { ...t, mergedInto: null, archived: false };
}

/** Themes, oldest first; archived and merged ones only when asked. */
export function listThemas(doc: Y.Doc, { includeArchived = false } = {}): Thema[] {
	const list: Thema[] = [];
	for (const [id, fields] of themasMap(doc).entries()) {
		const t = settled(doc, readEntity<Thema>(THEMA_SHAPE, id, fields));
		if (t && (includeArchived || (!t.archived && !t.mergedInto))) list.push(t);
	}
	return list.sort(byCreation);
}

function setField(doc: Y.Doc, id: string, key: string, value: unknown): Thema {
	const fields = requireEntity(themasMap(doc), id, 'thema');
	if (fields.get(key) !== value) transactLocal(doc, () => fields.set(key, value));
	return getThema(doc, id)!;
}

export function renameThema(doc: Y.Doc, id: string, name: string): Thema {
	return setField(doc, id, 'name', parse(nameSchema, name, 'thema name'));
}

export function recolourThema(doc: Y.Doc, id: string, colour: string): Thema {
	return setField(doc, id, 'colour', parse(colourSchema, colour, 'thema colour'));
}

export function describeThema(doc: Y.Doc, id: string, description: string): Thema {
	const schema = z.string().trim().max(LIMITS.description);
	return setField(doc, id, 'description', parse(schema, description, 'thema description'));
}

/** Archives (or restores) a theme: it stays linked but is no longer offered for new links. */
export function archiveThema(doc: Y.Doc, id: string, archived = true): Thema {
	return setField(doc, id, 'archived', archived);
}

/**
 * Follows merges: the theme a link to `id` counts for now. Links are re-written by mergeThema,
 * but a client that was offline during the merge may still add the old id; readers resolve it here.
 */
export function resolveThemaId(doc: Y.Doc, id: string): string {
	const map = themasMap(doc);
	const path: string[] = [];
	let current = id;
	for (;;) {
		const at = path.indexOf(current);
		// Merged into each other (two people at the same time, one offline): every theme of the
		// circle counts for the same one, the first by id, on every device.
		if (at >= 0) return path.slice(at).sort()[0]!;
		path.push(current);
		const next = map.get(current)?.get('mergedInto');
		if (typeof next !== 'string' || !map.has(next)) return current;
		current = next;
	}
}

/** Theme ids as readers should see them: merges followed, without duplicates. */
export function resolveThemaIds(doc: Y.Doc, ids: readonly string[]): string[] {
	return [...new Set(ids.map((id) => resolveThemaId(doc, id)))];
}

/**
 * Merges theme `fromId` into `intoId`: every gesprek and initiatief linked to `from` is linked to
 * `into` instead (no link is lost, none doubled), and `from` is archived with `mergedInto` set.
 */
export function mergeThema(doc: Y.Doc, fromId: string, intoId: string): Thema {
	if (fromId === intoId) throw new BoardInputError('Cannot merge a theme into itself', 'intoId');
	const from = requireEntity(themasMap(doc), fromId, 'thema');
	requireEntity(themasMap(doc), intoId, 'thema');
	if (resolveThemaId(doc, intoId) === fromId)
		throw new BoardInputError('The target theme was merged into this one', 'intoId');
	transactLocal(doc, () => {
		for (const kind of [TOP_LEVEL.gesprekken, TOP_LEVEL.initiatieven]) {
			for (const entity of doc.getMap<Fields>(kind).values()) {
				const links = entity instanceof Y.Map ? entity.get('themeIds') : undefined;
				if (!(links instanceof Y.Array)) continue;
				const ids = links.toArray() as unknown[];
				if (!ids.includes(fromId)) continue;
				for (let i = ids.length - 1; i >= 0; i--) if (ids[i] === fromId) links.delete(i, 1);
				if (!ids.includes(intoId)) links.push([intoId]);
			}
		}
		from.set('mergedInto', intoId);
		from.set('archived', true);
	});
	return getThema(doc, intoId)!;
}
