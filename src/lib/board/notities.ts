import * as Y from 'yjs';
import { z } from 'zod';
import {
	byCreation,
	newId,
	parse,
	readEntity,
	requireEntity,
	transactLocal,
	type Fields
} from './common';
import { LIMITS, NOTITIE_SHAPE, TOP_LEVEL, idSchema, latSchema, lonSchema } from './layout';

/** A kerngroep note placed on the map. */
export interface Notitie {
	id: string;
	text: string;
	lon: number;
	lat: number;
	createdAt: string;
}

const textSchema = z
	.string()
	.trim()
	.min(1, 'text must not be empty')
	.max(LIMITS.description, `text must be at most ${LIMITS.description} characters`);
const newNotitieSchema = z.strictObject({ text: textSchema, lon: lonSchema, lat: latSchema });
const notitiePatchSchema = z.strictObject({
	text: textSchema.optional(),
	lon: lonSchema.optional(),
	lat: latSchema.optional()
});
export type NewNotitie = z.input<typeof newNotitieSchema>;
export type NotitiePatch = z.input<typeof notitiePatchSchema>;

export function notitiesMap(doc: Y.Doc): Y.Map<Fields> {
	return doc.getMap<Fields>(TOP_LEVEL.notities);
}

/** `id`: to restore a deleted notitie under its own id (restore.ts); new otherwise. */
export function addNotitie(doc: Y.Doc, input: NewNotitie, { id = newId() } = {}): Notitie {
	const data = parse(newNotitieSchema, input, 'notitie');
	parse(idSchema, id, 'id');
	const notitie: Notitie = { id, ...data, createdAt: new Date().toISOString() };
	transactLocal(doc, () => {
		const m = new Y.Map<unknown>();
		m.set('text', notitie.text);
		m.set('lon', notitie.lon);
		m.set('lat', notitie.lat);
		m.set('createdAt', notitie.createdAt);
		notitiesMap(doc).set(notitie.id, m);
	});
	return notitie;
}

export function getNotitie(doc: Y.Doc, id: string): Notitie | null {
	return readEntity<Notitie>(NOTITIE_SHAPE, id, notitiesMap(doc).get(id));
}

export function listNotities(doc: Y.Doc): Notitie[] {
	const list: Notitie[] = [];
	for (const [id, fields] of notitiesMap(doc).entries()) {
		const n = readEntity<Notitie>(NOTITIE_SHAPE, id, fields);
		if (n) list.push(n);
	}
	return list.sort(byCreation);
}

export function updateNotitie(doc: Y.Doc, id: string, patch: NotitiePatch): Notitie {
	const data = parse(notitiePatchSchema, patch, 'notitie change');
	const m = requireEntity(notitiesMap(doc), id, 'notitie');
	transactLocal(doc, () => {
		for (const [key, value] of Object.entries(data)) {
			if (value !== undefined && m.get(key) !== value) m.set(key, value);
		}
	});
	return getNotitie(doc, id)!;
}

export function removeNotitie(doc: Y.Doc, id: string): boolean {
	const map = notitiesMap(doc);
	if (!map.has(id)) return false;
	transactLocal(doc, () => map.delete(id));
	return true;
}
