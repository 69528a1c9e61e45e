import * as Y from 'yjs';
import { z } from 'zod';
import {
	BoardInputError,
	byCreation,
	newId,
	parse,
	readEntity,
	requireEntity,
	setStringList,
	stringArray,
	transactLocal,
	type Fields
} from './common';
import {
	INITIATIEF_SHAPE,
	INITIATIEF_STATUSES,
	LIMITS,
	TOP_LEVEL,
	idSchema,
	isoDateSchema,
	placeSchema,
	type InitiatiefStatus,
	type Place
} from './layout';
import { textDiff } from './text-diff';
import { resolveThemaId, resolveThemaIds } from './themas';

/** An initiative with residents; public unless `internal`. */
export interface Initiatief {
	id: string;
	title: string;
	description: string;
	/** An address, or a free point (a front garden, a square). */
	place: Place;
	status: InitiatiefStatus;
	themeIds: string[];
	addressIds: string[];
	startDate: string | null;
	publicContact: string;
	internal: boolean;
	createdAt: string;
}

const fields = {
	title: z
		.string()
		.trim()
		.min(1, 'title must not be empty')
		.max(LIMITS.name, `title must be at most ${LIMITS.name} characters`),
	description: z.string().trim().max(LIMITS.description),
	place: placeSchema,
	status: z.enum(INITIATIEF_STATUSES),
	themeIds: z.array(idSchema).max(LIMITS.listLength),
	addressIds: z.array(idSchema).max(1000),
	startDate: isoDateSchema.nullable(),
	publicContact: z.string().trim().max(LIMITS.name),
	internal: z.boolean()
};
const newInitiatiefSchema = z.strictObject({
	...fields,
	description: fields.description.default(''),
	status: fields.status.default('idee'),
	themeIds: fields.themeIds.default([]),
	addressIds: fields.addressIds.default([]),
	startDate: fields.startDate.default(null),
	publicContact: fields.publicContact.default(''),
	internal: fields.internal.default(false)
});
const initiatiefPatchSchema = z.strictObject({
	title: fields.title.optional(),
	description: fields.description.optional(),
	place: fields.place.optional(),
	status: fields.status.optional(),
	themeIds: fields.themeIds.optional(),
	addressIds: fields.addressIds.optional(),
	startDate: fields.startDate.optional(),
	publicContact: fields.publicContact.optional(),
	internal: fields.internal.optional()
});
export type NewInitiatief = z.input<typeof newInitiatiefSchema>;
export type InitiatiefPatch = z.input<typeof initiatiefPatchSchema>;

const LISTS = ['themeIds', 'addressIds'] as const;

export function initiatievenMap(doc: Y.Doc): Y.Map<Fields> {
	return doc.getMap<Fields>(TOP_LEVEL.initiatieven);
}

/** `id`: to restore a deleted initiatief under its own id (restore.ts); new otherwise. */
export function addInitiatief(doc: Y.Doc, input: NewInitiatief, { id = newId() } = {}): Initiatief {
	const data = parse(newInitiatiefSchema, input, 'initiatief');
	parse(idSchema, id, 'id');
	transactLocal(doc, () => {
		const m = new Y.Map<unknown>();
		for (const [key, value] of Object.entries(data)) {
			m.set(
				key,
				key === 'themeIds' || key === 'addressIds'
					? stringArray(value as string[])
					: key === 'description'
						? new Y.Text(value as string)
						: value
			);
		}
		m.set('createdAt', new Date().toISOString());
		initiatievenMap(doc).set(id, m);
	});
	return getInitiatief(doc, id)!;
}

export function getInitiatief(doc: Y.Doc, id: string): Initiatief | null {
	const i = readEntity<Initiatief>(INITIATIEF_SHAPE, id, initiatievenMap(doc).get(id));
	if (i) i.themeIds = resolveThemaIds(doc, i.themeIds);
	return i;
}

/** Initiatives, oldest first; internal ones only with `includeInternal`. */
export function listInitiatieven(doc: Y.Doc, { includeInternal = true } = {}): Initiatief[] {
	const list: Initiatief[] = [];
	for (const id of initiatievenMap(doc).keys()) {
		const i = getInitiatief(doc, id);
		if (i && (includeInternal || !i.internal)) list.push(i);
	}
	return list.sort(byCreation);
}

/**
 * Changes the given fields; the place is replaced as a whole (e.g. after dragging on the map), the
 * description is edited in place (the smallest edit that gives the new text).
 */
export function updateInitiatief(doc: Y.Doc, id: string, patch: InitiatiefPatch): Initiatief {
	const data = parse(initiatiefPatchSchema, patch, 'initiatief change');
	const m = requireEntity(initiatievenMap(doc), id, 'initiatief');
	transactLocal(doc, () => {
		for (const [key, value] of Object.entries(data)) {
			if (value === undefined) continue;
			if (key === 'description') {
				setDescription(doc, id, value as string);
			} else if ((LISTS as readonly string[]).includes(key)) {
				const arr = m.get(key);
				if (arr instanceof Y.Array) setStringList(arr as Y.Array<string>, value as string[]);
				else m.set(key, stringArray(value as string[]));
			} else if (JSON.stringify(m.get(key)) !== JSON.stringify(value)) {
				m.set(key, value);
			}
		}
	});
	return getInitiatief(doc, id)!;
}

export function removeInitiatief(doc: Y.Doc, id: string): boolean {
	const map = initiatievenMap(doc);
	if (!map.has(id)) return false;
	transactLocal(doc, () => map.delete(id));
	return true;
}

export type InitiatiefListField = (typeof LISTS)[number];

function initiatiefList(doc: Y.Doc, id: string, field: InitiatiefListField): Y.Array<string> {
	const arr = requireEntity(initiatievenMap(doc), id, 'initiatief').get(field);
	if (!(arr instanceof Y.Array))
		throw new BoardInputError(`The initiatief has no list ${field}`, field);
	return arr as Y.Array<string>;
}

/** Adds one theme or involved address (no-op when it is there already); others' adds are kept. */
export function addToInitiatiefList(
	doc: Y.Doc,
	id: string,
	field: InitiatiefListField,
	item: string
): Initiatief {
	const value = parse(idSchema, item, field);
	const arr = initiatiefList(doc, id, field);
	const same =
		field === 'themeIds'
			? (t: string) => resolveThemaId(doc, t) === resolveThemaId(doc, value)
			: (t: string) => t === value;
	if (!arr.toArray().some(same)) {
		const max = field === 'addressIds' ? 1000 : LIMITS.listLength;
		if (arr.length >= max) throw new BoardInputError(`${field}: at most ${max} items`, field);
		transactLocal(doc, () => arr.push([value]));
	}
	return getInitiatief(doc, id)!;
}

/** Removes one theme or involved address. */
export function removeFromInitiatiefList(
	doc: Y.Doc,
	id: string,
	field: InitiatiefListField,
	item: string
): Initiatief {
	const arr = initiatiefList(doc, id, field);
	const same =
		field === 'themeIds'
			? (t: string) => resolveThemaId(doc, t) === resolveThemaId(doc, item)
			: (t: string) => t === item;
	const items = arr.toArray();
	if (items.some(same)) {
		transactLocal(doc, () => {
			for (let i = items.length - 1; i >= 0; i--) if (same(items[i]!)) arr.delete(i, 1);
		});
	}
	return getInitiatief(doc, id)!;
}

/**
 * The description as a Y.Text, for binding an editor. A description stored before it became a
 * Y.Text (a plain string) is upgraded to one, holding the same text, in one transaction: call it
 * when the text is edited, not to read it (getInitiatief reads either form).
 */
export function initiatiefDescription(doc: Y.Doc, id: string): Y.Text {
	const m = requireEntity(initiatievenMap(doc), id, 'initiatief');
	const current = m.get('description');
	if (current instanceof Y.Text) return current;
	const text = new Y.Text(typeof current === 'string' ? current : '');
	transactLocal(doc, () => m.set('description', text));
	return text;
}

/** Inserts text into the description at `index` (clamped); others typing meanwhile keep theirs. */
export function insertDescription(doc: Y.Doc, id: string, index: number, text: string): void {
	const current = getInitiatief(doc, id)?.description ?? '';
	if (current.length + text.length > LIMITS.description)
		throw new BoardInputError(
			`description: at most ${LIMITS.description} characters`,
			'description'
		);
	transactLocal(doc, () => {
		const description = initiatiefDescription(doc, id);
		const at = Math.max(0, Math.min(Math.trunc(index), description.length));
		description.insert(at, text);
	});
}

/** Removes `length` characters of the description from `index` (clamped). */
export function deleteDescription(doc: Y.Doc, id: string, index: number, length: number): void {
	requireEntity(initiatievenMap(doc), id, 'initiatief');
	transactLocal(doc, () => {
		const description = initiatiefDescription(doc, id);
		const at = Math.max(0, Math.min(Math.trunc(index), description.length));
		const len = Math.max(0, Math.min(Math.trunc(length), description.length - at));
		if (len > 0) description.delete(at, len);
	});
}

/** Makes the description read `value` by the smallest edit (inside a transaction). */
function setDescription(doc: Y.Doc, id: string, value: string): void {
	const m = requireEntity(initiatievenMap(doc), id, 'initiatief');
	const current = m.get('description');
	if (current === value || (current instanceof Y.Text && current.toString() === value)) return;
	const text = initiatiefDescription(doc, id);
	// No caret: keep the longest common prefix and suffix, so text typed around them stays.
	const { index, remove, insert } = textDiff(text.toString(), value, 0);
	if (remove > 0) text.delete(index, remove);
	if (insert) text.insert(index, insert);
}
