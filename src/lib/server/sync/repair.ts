import * as Y from 'yjs';
import { LIMITS, type MapShape, type RecordShape, type Shape } from '../../board/layout';
import type { NotTaken, NotTakenReason } from '../../collab/not-taken';
import { UpdateRefusal } from './hooks';
import { validateBoardUpdate, type UpdateAuthor, type UpdateFacts } from './validate';

/**
 * A refused update's valid part: the update with the server's change that takes back what breaks
 * the layout (see takeBack), validated as a whole; null when there is none (the update is then
 * refused as before).
 */
export function takeValidPart(
	update: Uint8Array,
	doc: Y.Doc,
	layout: Readonly<Record<string, RecordShape>>,
	author?: UpdateAuthor
): { update: Uint8Array; notTaken: NotTaken[]; facts: UpdateFacts } | null {
	if (update.byteLength > LIMITS.updateBytes) return null;
	let back: ReturnType<typeof takeBack>;
	try {
		back = takeBack(doc, update, layout);
	} catch {
		return null;
	}
	if (!back) return null;
	const merged = Y.mergeUpdates([update, back.repair]);
	let facts: UpdateFacts;
	try {
		facts = validateBoardUpdate(merged, doc, layout, author);
	} catch (err) {
		if (err instanceof UpdateRefusal) return null;
		throw err;
	}
	return { update: merged, notTaken: back.notTaken, facts };
}

/**
 * The valid part of a refused update (issue 12, "never lose a client's work"). A client's update
 * cannot be cut into pieces: its structs are numbered per client, and leaving one out would leave
 * every later edit of that client waiting for it forever. So every struct is taken, and what
 * breaks the layout is taken back at once by a change of the server's own, in the same
 * transaction: an unknown field or top-level type is deleted, an invalid value or a deleted
 * required field gets its previous value back (or goes, when it had none), list and text items
 * over the limit go, a new entity without a required field goes.
 *
 * Worked out on a copy of the document; `repair` is the server's change (V1). The caller applies
 * `update` and `repair` together (Y.mergeUpdates) only after validating that merge like any
 * client update, so whatever this misses is still refused as a whole.
 */
export function takeBack(
	doc: Y.Doc,
	update: Uint8Array,
	layout: Readonly<Record<string, RecordShape>>
): { repair: Uint8Array; notTaken: NotTaken[] } | null {
	const copy = serverCopy(doc);
	let changed = new Map<Y.AbstractType<unknown>, Set<string | null>>();
	let before = new Map<number, number>();
	const onTransaction = (tr: Y.Transaction) => {
		changed = new Map(tr.changed as Map<Y.AbstractType<unknown>, Set<string | null>>);
		before = tr.beforeState;
	};
	copy.on('afterTransaction', onTransaction);
	Y.applyUpdate(copy, update);
	copy.off('afterTransaction', onTransaction);

	let repair: Uint8Array | null = null;
	const onUpdate = (u: Uint8Array) => (repair = u);
	copy.on('update', onUpdate);
	const fixer = new Fixer(doc, layout, before);
	copy.transact((tr) => fixer.run(tr, changed));
	copy.off('update', onUpdate);
	copy.destroy();
	if (!repair || fixer.notTaken.length === 0) return null;
	return { repair, notTaken: fixer.notTaken };
}

type Type = Y.AbstractType<unknown>;

class Fixer {
	readonly notTaken: NotTaken[] = [];
	private tr!: Y.Transaction;

	constructor(
		/** The live document: the previous values. */
		private readonly doc: Y.Doc,
		private readonly layout: Readonly<Record<string, RecordShape>>,
		/** State before the update: items at or beyond it are new. */
		private readonly before: Map<number, number>
	) {}

	run(tr: Y.Transaction, changed: Map<Type, Set<string | null>>): void {
		this.tr = tr;
		for (const [type, keys] of changed) {
			const path = pathOf(type);
			if (!path) continue;
			const [root, ...rest] = path;
			const rootShape = Object.hasOwn(this.layout, root!) ? this.layout[root!] : undefined;
			if (!rootShape) {
				if (this.dropAll(type)) this.report([root!], 'unknown');
				continue;
			}
			let shape: Shape | undefined = rootShape;
			for (const segment of rest) shape = shape && inner(shape, segment);
			if (!shape) continue;
			if (shape.kind === 'record' || shape.kind === 'map') this.fixMap(type, keys, shape, path);
			else if (shape.kind === 'array' || shape.kind === 'text') this.fixList(type, shape, path);
		}
	}

	/** Deletes an item (and says so, with `path`); true, for `any = this.drop(item)`. */
	private drop(item: Y.Item, path?: string[], reason?: NotTakenReason): true {
		item.delete(this.tr);
		if (path && reason) this.report(path, reason);
		return true;
	}

	private isNew(item: Y.Item): boolean {
		return item.id.clock >= (this.before.get(item.id.client) ?? 0);
	}

	private report(path: string[], reason: NotTakenReason): void {
		this.notTaken.push({ path, reason });
	}

	/** Deletes every live item of a type; whether there was any. */
	private dropAll(type: Type): boolean {
		let any = false;
		for (const item of type._map.values()) if (!item.deleted) any = this.drop(item);
		for (let item = type._start; item; item = item.right) {
			if (!item.deleted) any = this.drop(item);
		}
		return any;
	}

	/** New list content in a map, and changed keys of an existing map (or the root record). */
	private fixMap(
		type: Type,
		keys: Set<string | null>,
		shape: RecordShape | MapShape,
		path: string[]
	): void {
		if (keys.has(null) && this.dropNewListItems(type)) this.report(path, 'invalid');
		for (const key of keys) {
			if (key === null) continue;
			const item = type._map.get(key);
			const field = inner(shape, key);
			const at = [...path, key];
			if (!field) {
				if (item && !item.deleted) this.drop(item, at, 'unknown');
				continue;
			}
			if (!item || item.deleted) {
				// Deleted: entities may go, fields of a map only with their map or when optional. A map
				// that goes itself (its entity deleted, here or by this update) takes its fields along.
				if (
					shape.kind === 'map' &&
					!shape.optional?.includes(key) &&
					!goneWithAncestor(type) &&
					this.restore(type, key)
				) {
					this.report(at, 'required');
				}
				continue;
			}
			if (!this.isNew(item)) continue;
			if (!this.fixValue(valueOf(item), field, at)) {
				item.delete(this.tr);
				if (shape.kind === 'map') this.restore(type, key);
				// A new map whose content was fixed fails only for a missing required field.
				const map = field.kind === 'map' && valueOf(item) instanceof Y.Map;
				this.report(at, map ? 'required' : 'invalid');
			}
		}
	}

	/** Puts a field's value of the live document back (a copy); false when it had none. */
	private restore(type: Type, key: string): boolean {
		const old = this.liveType(type)?._map.get(key);
		if (!old || old.deleted) return false;
		const value = valueOf(old);
		(type as unknown as Y.Map<unknown>).set(
			key,
			value instanceof Y.AbstractType ? (value.clone() as unknown) : value
		);
		return true;
	}

	/** The same type in the live document. */
	private liveType(type: Type): Type | null {
		const holder = type._item;
		if (!holder) return null;
		const list = this.doc.store.clients.get(holder.id.client);
		if (!list || holder.id.clock >= Y.getState(this.doc.store, holder.id.client)) return null;
		const item = list[Y.findIndexSS(list, holder.id.clock)];
		return item instanceof Y.Item && item.content instanceof Y.ContentType
			? (item.content.type as Type)
			: null;
	}

	/** New items of an existing list or text: wrong ones go, then what is over the limit. */
	private fixList(type: Type, shape: Shape & { kind: 'array' | 'text' }, path: string[]): void {
		if (shape.kind === 'text' && this.confidentialNotes(type)) {
			let any = false;
			for (let item = type._start; item; item = item.right) {
				if (!item.deleted && this.isNew(item)) any = this.drop(item);
			}
			if (any) this.report(path, 'confidential');
			return;
		}
		if (this.fixItems(type, shape, path, (item) => this.isNew(item))) this.report(path, 'invalid');
		if (this.trim(type, shape.maxLength, (item) => this.isNew(item))) this.report(path, 'too-long');
	}

	/** Whether a text is the shared notes of a gesprek marked confidential. */
	private confidentialNotes(type: Type): boolean {
		const holder = type._item;
		if (holder?.parentSub !== 'notes') return false;
		const gesprek = holder.parent as Type;
		return typeof gesprek._map.get('confidential')?.content.getContent().at(-1) === 'string';
	}

	/** Deletes list items of `type` (those `which` selects) that do not fit `shape`. */
	private fixItems(
		type: Type,
		shape: Shape & { kind: 'array' | 'text' },
		path: string[],
		which: (item: Y.Item) => boolean
	): boolean {
		let any = false;
		let index = 0;
		const keep: { index: number; valid: unknown[] }[] = [];
		for (let item = type._start; item; item = item.right) {
			if (item.deleted) continue;
			if (!which(item)) {
				if (item.countable) index += item.length;
				continue;
			}
			const content = item.content;
			if (shape.kind === 'text') {
				if (!(content instanceof Y.ContentString)) any = this.drop(item);
				else index += item.length;
				continue;
			}
			const values: unknown[] =
				content instanceof Y.ContentAny || content instanceof Y.ContentType
					? content.getContent()
					: [];
			const valid = values.filter((v) => this.fixValue(v, shape.of, path));
			if (values.length > 0 && valid.length === values.length) {
				index += item.length;
				continue;
			}
			any = true;
			item.delete(this.tr);
			// Yjs keeps a client's consecutive plain values as one item: its valid values stay.
			if (content instanceof Y.ContentAny && valid.length > 0) keep.push({ index, valid });
		}
		// Put back after the walk, last first, so that the earlier indices still hold.
		for (const { index: at, valid } of keep.reverse()) {
			(type as unknown as Y.Array<unknown>).insert(at, valid);
		}
		if (type._map.size > 0 && this.dropAll(mapOnly(type))) any = true;
		return any;
	}

	/** Deletes the last of the selected items while the list or text is longer than `max`. */
	private trim(type: Type, max: number, which: (item: Y.Item) => boolean): boolean {
		const length = (type as unknown as { length: number }).length;
		if (length <= max) return false;
		let over = length - max;
		const items: Y.Item[] = [];
		for (let item = type._start; item; item = item.right) {
			if (!item.deleted && item.countable && which(item)) items.push(item);
		}
		for (let i = items.length - 1; i >= 0 && over > 0; i--) {
			over -= items[i]!.length;
			items[i]!.delete(this.tr);
		}
		return true;
	}

	/**
	 * Whether a new value fits `shape`; new nested types are fixed inside (unknown or invalid fields
	 * go, lists are trimmed). A new map without a required field does not fit.
	 */
	private fixValue(value: unknown, shape: Shape, path: string[]): boolean {
		if (shape.kind === 'value') {
			return !(value instanceof Y.AbstractType) && shape.schema.safeParse(value).success;
		}
		if (shape.kind === 'map') {
			if (!(value instanceof Y.Map)) return false;
			const type = value as unknown as Type;
			for (const [key, item] of type._map) {
				if (item.deleted) continue;
				const field = inner(shape, key);
				if (!field) this.drop(item, [...path, key], 'unknown');
				else if (!this.fixValue(valueOf(item), field, [...path, key])) {
					item.delete(this.tr);
					this.report([...path, key], 'invalid');
				}
			}
			if (type._start && this.dropNewListItems(type, () => true)) this.report(path, 'invalid');
			return Object.keys(shape.fields).every(
				(key) =>
					shape.optional?.includes(key) || (type._map.get(key) && !type._map.get(key)!.deleted)
			);
		}
		if (shape.kind === 'array' || shape.kind === 'text') {
			const expected = shape.kind === 'array' ? Y.Array : Y.Text;
			if (!(value instanceof expected)) return false;
			const type = value as unknown as Type;
			if (this.fixItems(type, shape, path, () => true)) this.report(path, 'invalid');
			if (this.trim(type, shape.maxLength, () => true)) this.report(path, 'too-long');
			return true;
		}
		return false;
	}

	/** Deletes list content (items without a key) of a map; whether there was any. */
	private dropNewListItems(type: Type, which = (item: Y.Item) => this.isNew(item)): boolean {
		let any = false;
		for (let item = type._start; item; item = item.right) {
			if (!item.deleted && which(item)) any = this.drop(item);
		}
		return any;
	}
}

/** Keyed entries of a list type (which has none in the layout): a view for dropAll. */
function mapOnly(type: Type): Type {
	return { _map: type._map, _start: null } as unknown as Type;
}

/** The value an item holds (the last, for an item with several). */
function valueOf(item: Y.Item): unknown {
	if (item.content instanceof Y.ContentType) return item.content.type;
	return item.content.getContent().at(-1);
}

/** The shape inside a map-like or list shape under `segment`. */
function inner(shape: Shape, segment: string): Shape | undefined {
	if (shape.kind === 'record') {
		return segment.length > 0 && segment.length <= LIMITS.id ? shape.of : undefined;
	}
	if (shape.kind === 'map') {
		return Object.hasOwn(shape.fields, segment) ? shape.fields[segment] : undefined;
	}
	if (shape.kind === 'array') return shape.of;
	return undefined;
}

/**
 * A type's path from its root: the root's name, then each key (a list element by its list's
 * path, as "[]"); null for a type in a deleted or garbage-collected part.
 */
function pathOf(type: Type): string[] | null {
	const path: string[] = [];
	let current: Type = type;
	while (current._item) {
		const item: Y.Item = current._item;
		if (item.deleted) return null;
		path.unshift(item.parentSub ?? '[]');
		current = item.parent as Type;
		if (!(current instanceof Y.AbstractType)) return null;
	}
	const root = Y.findRootTypeKey(current);
	path.unshift(root);
	return path;
}

/** Whether a type is deleted, or held (at any depth) by a deleted one: it goes with its entity. */
function goneWithAncestor(type: Type): boolean {
	for (let item = type._item; item; item = (item.parent as Type | null)?._item ?? null) {
		if (item.deleted) return true;
	}
	return false;
}

/**
 * A copy of a live document in which the server makes a change of its own (what it takes back of a
 * client's update). The server's values get a low client id: Yjs orders concurrent values of a
 * field by client id and shows the rightmost, so a value the client set after the refused one (sent
 * later, or waiting for it) still wins over the value the server puts back. Random, so that two
 * repairs (say, one lost in a crash) never reuse one id.
 */
export function serverCopy(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	copy.clientID = 1 + Math.floor(Math.random() * 0xffff);
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}
