import * as Y from 'yjs';
import type { z } from 'zod';
import { jsonSchemaOf, type MapShape } from './layout';

/** Thrown when a command gets input it cannot store; nothing was written. */
export class BoardInputError extends Error {
	/**
	 * @param field the path of the first offending field (e.g. `followUps.0.due`), or null when
	 *   the input as a whole is wrong (e.g. an unknown id)
	 */
	constructor(
		message: string,
		readonly field: string | null = null,
		readonly issues: readonly { field: string; message: string }[] = []
	) {
		super(message);
		this.name = 'BoardInputError';
	}
}

/** Validates command input; throws BoardInputError naming every offending field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
	const result = schema.safeParse(input);
	if (!result.success) {
		const issues = result.error.issues.map((issue) => ({
			field: issue.path.map(String).join('.'),
			message: issue.message
		}));
		const text = issues
			.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message))
			.join('; ');
		throw new BoardInputError(`Invalid ${what}: ${text}`, issues[0]?.field || null, issues);
	}
	return result.data;
}

const origins = new WeakMap<Y.Doc, object>();

/**
 * The transaction origin of this browser tab's own edits on `doc`. Every command runs in
 * `doc.transact(fn, localOrigin(doc))`; the undo manager tracks only this origin, so undo never
 * reverts what others did. Remote updates arrive with the provider as origin.
 */
export function localOrigin(doc: Y.Doc): object {
	let origin = origins.get(doc);
	if (!origin) {
		origin = { localUser: doc.clientID };
		origins.set(doc, origin);
	}
	return origin;
}

const readOnlyDocs = new WeakSet<Y.Doc>();

/**
 * Marks this tab's copy of `doc` as read only, or editable again: the user's role on the board
 * changed while it is open (collab/access-changed.ts). The server drops a reader's updates, so a
 * command run meanwhile (a field's pending write as its form turns read only) would change only this
 * device's copy, as if saved. Read only, `transactLocal` writes nothing.
 */
export function setLocalReadOnly(doc: Y.Doc, readOnly: boolean): void {
	if (readOnly) readOnlyDocs.add(doc);
	else readOnlyDocs.delete(doc);
}

/** Whether this tab's copy of `doc` is read only (setLocalReadOnly). */
export function isLocalReadOnly(doc: Y.Doc): boolean {
	return readOnlyDocs.has(doc);
}

export function transactLocal(doc: Y.Doc, fn: () => void): void {
	if (readOnlyDocs.has(doc)) return;
	doc.transact(fn, localOrigin(doc));
}

export function newId(): string {
	return crypto.randomUUID();
}

export type Fields = Y.Map<unknown>;

/**
 * The parser of each shape's JSON form, built once: zod compiles a parser per schema object, so
 * building one per entity read made listing 10,000 gesprekken take seconds (issue #10).
 */
const parsers = new WeakMap<MapShape, z.ZodType>();

export function parserOf(shape: MapShape): z.ZodType {
	let parser = parsers.get(shape);
	if (!parser) {
		parser = jsonSchemaOf(shape);
		parsers.set(shape, parser);
	}
	return parser;
}

/** Reads an entity map through its shape; null when missing or not readable. */
export function readEntity<T>(shape: MapShape, id: string, fields: unknown): T | null {
	if (!(fields instanceof Y.Map)) return null;
	const result = parserOf(shape).safeParse(fields.toJSON());
	return result.success ? ({ id, ...withoutDuplicates(result.data as object) } as T) : null;
}

/**
 * Lists read once per value: two people adding the same talent at the same moment (or an undo
 * that brings back what someone else added again) leave it twice in the document, and pages key
 * their lists by value or id. Strings once each; records with an id once per id (the first).
 */
function withoutDuplicates(data: object): object {
	const out: Record<string, unknown> = { ...data };
	for (const [key, value] of Object.entries(out)) {
		if (!Array.isArray(value) || value.length < 2) continue;
		const seen = new Set<unknown>();
		const unique = value.filter((v) => {
			const k = v !== null && typeof v === 'object' && 'id' in v ? (v as { id: unknown }).id : v;
			if (seen.has(k)) return false;
			seen.add(k);
			return true;
		});
		if (unique.length !== value.length) out[key] = unique;
	}
	return out;
}

export function requireEntity(map: Y.Map<Fields>, id: string, what: string): Fields {
	const fields = map.get(id);
	if (!(fields instanceof Y.Map))
		throw new BoardInputError(`No ${what} with id ${JSON.stringify(id)}`);
	return fields;
}

/** A Y.Array of strings filled with `values`. */
export function stringArray(values: readonly string[]): Y.Array<string> {
	const arr = new Y.Array<string>();
	arr.push([...new Set(values)]);
	return arr;
}

/**
 * Makes a Y.Array of strings hold `values` by removing and appending only what differs, so a
 * value someone else added at the same time is kept.
 */
export function setStringList(arr: Y.Array<string>, values: readonly string[]): void {
	const wanted = new Set(values);
	const seen = new Set<string>();
	const items = arr.toArray();
	for (let i = items.length - 1; i >= 0; i--) {
		const item = items[i]!;
		if (!wanted.has(item) || seen.has(item)) arr.delete(i, 1);
		seen.add(item);
	}
	const present = new Set(arr.toArray());
	const add = [...wanted].filter((v) => !present.has(v));
	if (add.length) arr.push(add);
}

/** Sorts by createdAt, then id, so every client shows the same order. */
export function byCreation<T extends { id: string; createdAt: string | number }>(
	a: T,
	b: T
): number {
	const ca = String(a.createdAt);
	const cb = String(b.createdAt);
	return ca === cb ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : ca < cb ? -1 : 1;
}
