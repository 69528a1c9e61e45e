import * as Y from 'yjs';
import {
	BOARD_LAYOUT,
	GESPREK_PERSONAL_FIELDS,
	LIMITS,
	ORG_NOTES_LAYOUT,
	TOP_LEVEL,
	type RecordShape,
	type Shape
} from '../../board/layout';
import { contains, fieldValueAfter, mergeRanges } from './field-order';
import { ORG_NOTES } from '../../board/org-notes';
import { UpdateRefusal, type DecodedUpdate } from './hooks';

/**
 * Checks a client's document update against the board layout (src/lib/board/layout.ts) WITHOUT
 * applying it: the update is decoded (Y.decodeUpdate) and every struct is placed in the document
 * tree by resolving its parent by id, first among the update's own structs, then in the live
 * document's struct store. Throws UpdateRefusal when the update would break the model:
 *
 * - an update larger than LIMITS.updateBytes;
 * - a top-level type other than the layout's (pins, gesprekken, themas, initiatieven, notities);
 * - an entity field name the layout does not know, an entity id that is empty or too long;
 * - a value of the wrong type: a plain value whose schema fails (enumerations, dates, string
 *   lengths ≤ 10,000), a nested type that is not the Y.Map/Y.Array/Y.Text the layout expects,
 *   text or embeds where they do not belong, sub-documents, binary or formatting content;
 * - a list or text growing beyond its limit (a text field that was a plain string before, such as
 *   an initiatief's description, also accepts that string: TextShape.legacy);
 * - a new entity (or nested map) missing a required field;
 * - a field of an existing entity deleted without a new value (deleting whole entities is fine).
 *
 * Structs whose parent is already deleted and garbage-collected are accepted (Yjs discards them).
 * Structs that depend on ids neither in the update nor in the document are kept pending by Yjs;
 * they are checked together with the update that completes them (the pending structs of the
 * document are decoded with each new update).
 */
export function validateBoardUpdate(
	update: Uint8Array,
	doc: Y.Doc,
	/** The document's layout: the board's, or another (an organisation's notes: ORG_NOTES_LAYOUT). */
	layout: Readonly<Record<string, RecordShape>> = BOARD_LAYOUT,
	/** Who sends it; without, gesprek markers are not checked against an organisation. */
	author?: UpdateAuthor,
	/** `update` decoded (Y.decodeUpdate), when the caller has it: not decoded again. */
	decoded?: DecodedUpdate
): UpdateFacts {
	if (update.byteLength > LIMITS.updateBytes) {
		throw new UpdateRefusal(`update too large (${update.byteLength} bytes)`);
	}
	const check = new UpdateCheck(update, doc, layout, author, decoded);
	check.run();
	return check.facts;
}

/**
 * What a valid update writes into gesprekken, as far as the consent rule needs it
 * (consent-guard.ts): noted while the update is checked, so that an update that adds nothing
 * personal costs that rule nothing. Only what is not deleted by the same update counts.
 */
export interface UpdateFacts {
	/**
	 * Gesprekken (the items that hold them) into whose personal fields (GESPREK_PERSONAL_FIELDS) the
	 * update writes, with the addresses it gives a gesprek new in the update.
	 */
	personal: Map<Y.Item, { addresses: string[] }>;
	/** It sets some gesprek's `consent.withdrawn` to true. */
	withdraws: boolean;
	/** It changes the address of a gesprek that exists already. */
	moves: boolean;
	/** The gesprekken (items) whose address it changes, with the addresses it gives them. */
	moved: Map<Y.Item, string[]>;
	/**
	 * In an organisation's document (ORG_NOTES_LAYOUT): the gesprek ids whose confidential notes it
	 * writes text into (consent-guard-notes.ts).
	 */
	orgNotes: Set<string>;
	/**
	 * The gesprek ids under which it puts a new value into the board's gesprekken (a new gesprek,
	 * or one brought back: undoing a deletion writes a copy under the old id); see erased-guard.ts.
	 */
	gesprekIds: Set<string>;
}

/**
 * The sender of an update, as far as the check needs it. A gesprek's marker `confidential` of an
 * existing gesprek is its organisation's: the sender's update may set it to their own organisation
 * or null, and may change or remove it only when it is not another organisation's. Another
 * organisation's member could otherwise unmark (or take over) confidential notes with a client of
 * their own: the notes' organisation no longer sees them, and its members type what follows into
 * the shared notes. A gesprek new in the update (undoing its deletion brings its marker back) and
 * one the update deletes are not checked.
 */
export interface UpdateAuthor {
	organisationId: string | null;
}

type Struct = Y.Item | Y.GC | Y.Skip;
type ID = Y.ID;

/** Where a struct sits: the type it belongs to (shape and identity) and its key there. */
interface Place {
	/** 'root:<name>' or the id of the Item holding the type. */
	container: string;
	shape: Shape;
	key: string | null;
	/** The Item that holds the container type; null for a top-level type. */
	holder: Y.Item | null;
}
/** Yjs will discard the struct (its parent was garbage-collected). */
const GONE = 'gone' as const;
/** A dependency is missing: Yjs keeps the struct pending. */
const PENDING = 'pending' as const;
type Resolved = Place | typeof GONE | typeof PENDING;

const idKey = (id: ID) => `${id.client}:${id.clock}`;

class UpdateCheck {
	private readonly structs: Map<number, Y.Item[]> = new Map();
	private readonly ds: Map<number, { clock: number; len: number }[]> = new Map();
	private readonly placed = new Map<Y.Item, Resolved>();
	/** Shapes of types by holder id, and of types created in this update. */
	private readonly growth = new Map<
		string,
		{ shape: Shape; added: number; holder: Y.Item | null }
	>();
	/** Maps created by this update. */
	private readonly newMaps = new Map<string, { shape: Shape & { kind: 'map' }; item: Y.Item }>();
	/** Per field of a map (`container|key`): its place and the update's new items for it. */
	private readonly fields = new Map<string, { place: Place; items: Y.Item[] }>();
	/** Gesprek notes (their holder items) this update writes text into; see checkConfidential. */
	private readonly notesWritten = new Set<Y.Item>();
	/** Per gesprek (container id), whether this update marks it confidential (true) or not. */
	private readonly confidentialWrites = new Map<string, boolean>();
	readonly facts: UpdateFacts = {
		personal: new Map(),
		withdraws: false,
		moves: false,
		moved: new Map(),
		orgNotes: new Set(),
		gesprekIds: new Set()
	};
	/** The addresses written into gesprekken new in this update (facts.personal gets them). */
	private readonly newAddresses = new Map<Y.Item, string[]>();
	/** Per container: the gesprek it is in, and its field there (see gesprekOf). */
	private readonly gesprekPlaces = new Map<
		string,
		{ gesprek: Y.Item; field: string | null } | null
	>();

	constructor(
		update: Uint8Array,
		private readonly doc: Y.Doc,
		private readonly layout: Readonly<Record<string, RecordShape>>,
		private readonly author?: UpdateAuthor,
		decoded?: DecodedUpdate
	) {
		// Yjs keeps the structs and deletions that wait for missing parts V2-encoded; they become
		// visible with the update that completes them, so they are checked with it.
		const sources: { data: Uint8Array; v2: boolean; decoded?: DecodedUpdate }[] = [
			{ data: update, v2: false, decoded }
		];
		const { pendingStructs, pendingDs } = doc.store;
		if (pendingStructs) sources.push({ data: pendingStructs.update, v2: true });
		if (pendingDs) sources.push({ data: pendingDs, v2: true });
		for (const source of sources) {
			const { data, v2 } = source;
			const { structs, ds } = (source.decoded ??
				(v2 ? Y.decodeUpdateV2(data) : Y.decodeUpdate(data))) as unknown as {
				structs: Struct[];
				ds: { clients: Map<number, { clock: number; len: number }[]> };
			};
			for (const struct of structs) {
				if (!(struct instanceof Y.Item)) continue;
				// Already in the document: Yjs skips it.
				if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
				let list = this.structs.get(struct.id.client);
				if (!list) this.structs.set(struct.id.client, (list = []));
				list.push(struct);
			}
			for (const [client, ranges] of ds.clients) {
				this.ds.set(client, [...(this.ds.get(client) ?? []), ...ranges]);
			}
		}
		for (const list of this.structs.values()) list.sort((a, b) => a.id.clock - b.id.clock);
		// Sorted and merged, so that `deleted` is a binary search: a delete set of many ranges (they
		// cost a few bytes each) checked against every struct of the update blocked the process.
		for (const [client, ranges] of this.ds) this.ds.set(client, mergeRanges(ranges));
	}

	run(): void {
		for (const list of this.structs.values()) for (const item of list) this.checkItem(item);
		for (const [container, { shape, added, holder }] of this.growth) {
			if (shape.kind !== 'array' && shape.kind !== 'text') continue;
			const current = holder ? currentLength(holder) : 0;
			if (current + added > shape.maxLength) {
				throw new UpdateRefusal(
					`${shape.kind === 'text' ? 'text' : 'list'} ${container} longer than ${shape.maxLength}`
				);
			}
		}
		for (const [container, { shape, item }] of this.newMaps) {
			if (this.gone(item)) continue;
			for (const field of Object.keys(shape.fields)) {
				if (shape.optional?.includes(field)) continue;
				const items = this.fields.get(`${container}|${field}`)?.items ?? [];
				if (!this.visibleAfter([], items)) {
					throw new UpdateRefusal(`new entity without required field "${field}"`);
				}
			}
		}
		this.checkDeletes();
		this.checkConfidential();
		this.checkMarkers();
		for (const [gesprek, entry] of this.facts.personal) {
			entry.addresses = this.newAddresses.get(gesprek) ?? [];
		}
	}

	private checkItem(item: Y.Item): void {
		// Deleted by the same update: never shown, and garbage-collected as it is applied. Its
		// content is not checked (the server's own change that takes back part of a client's
		// update deletes what it does not take: repair.ts); a map entry keeps its place in the
		// order of its field's values.
		if (this.gone(item)) {
			let place: Resolved;
			try {
				place = this.place(item);
			} catch (err) {
				if (err instanceof UpdateRefusal) return;
				throw err;
			}
			if (typeof place === 'object' && place.shape.kind === 'map' && place.key !== null) {
				this.field(place).items.push(item);
			}
			return;
		}
		const place = this.place(item);
		if (place === GONE || place === PENDING) return;
		const { shape, key, container } = place;
		if (container === GESPREKKEN && key !== null) this.facts.gesprekIds.add(key);
		let child: Shape;
		if (shape.kind === 'record' || shape.kind === 'map') {
			if (key === null) throw new UpdateRefusal(`list content in the map ${describe(place)}`);
			child = childShape(place, key);
			if (shape.kind === 'map') this.field(place).items.push(item);
		} else if (shape.kind === 'array') {
			if (key !== null) throw new UpdateRefusal(`keyed content in the list ${describe(place)}`);
			child = shape.of;
		} else if (shape.kind === 'text') {
			if (key !== null) throw new UpdateRefusal(`keyed content in the text ${describe(place)}`);
			child = shape;
		} else {
			throw new UpdateRefusal(`content inside the value ${describe(place)}`);
		}
		const content = item.content;
		if (content instanceof Y.ContentDeleted) return;
		this.noteGesprekWrite(place, content);
		if (content instanceof Y.ContentAny) {
			// A text field that was a plain string on boards stored before accepts that string.
			if (child.kind === 'text' && child.legacy && shape.kind === 'map') child = child.legacy;
			if (child.kind !== 'value')
				throw new UpdateRefusal(`a plain value where ${describe(place)} needs a ${child.kind}`);
			if (key === CONFIDENTIAL && shape.kind === 'map' && !this.deleted(item.id)) {
				const marks = content.getContent().some((v) => typeof v === 'string');
				this.confidentialWrites.set(
					container,
					(this.confidentialWrites.get(container) ?? false) || marks
				);
			}
			for (const value of content.getContent()) {
				const result = child.schema.safeParse(value);
				if (!result.success) {
					throw new UpdateRefusal(
						`invalid value at ${describe(place)}: ${result.error.issues[0]?.message ?? ''}`
					);
				}
			}
			this.grow(place, content.getLength());
		} else if (content instanceof Y.ContentString) {
			if (child.kind !== 'text') throw new UpdateRefusal(`text content in ${describe(place)}`);
			if (place.holder?.parentSub === 'notes') this.notesWritten.add(place.holder);
			if (this.layout === ORG_NOTES_LAYOUT && place.holder) this.noteOrgNotesWrite(place.holder);
			this.grow(place, content.getLength());
		} else if (content instanceof Y.ContentType) {
			const expected =
				child.kind === 'map' || child.kind === 'record'
					? Y.Map
					: child.kind === 'array'
						? Y.Array
						: child.kind === 'text'
							? Y.Text
							: null;
			if (child.kind === 'text' && shape.kind === 'text') {
				throw new UpdateRefusal(`an embedded type in the text ${describe(place)}`);
			}
			if (!expected || content.type.constructor !== expected) {
				throw new UpdateRefusal(`wrong type at ${describe(place)}: expected ${child.kind}`);
			}
			this.grow(place, 1);
			if (child.kind === 'map') {
				this.newMaps.set(idKey(item.id), { shape: child, item });
			}
		} else {
			throw new UpdateRefusal(
				`unsupported content (${content.constructor.name}) at ${describe(place)}`
			);
		}
	}

	/** Notes a live new item inside a gesprek in `facts` (see UpdateFacts). */
	private noteGesprekWrite(place: Place, content: Y.Item['content']): void {
		const inGesprek = this.gesprekOf(place);
		if (!inGesprek) return;
		const { gesprek } = inGesprek;
		const field = inGesprek.field ?? place.key;
		const value = (v: unknown) =>
			content instanceof Y.ContentAny && content.getContent().includes(v);
		const isNew = !(gesprek.content instanceof Y.ContentType && gesprek.content.type.doc);
		if (field !== null && PERSONAL.includes(field)) {
			if (!this.facts.personal.has(gesprek)) this.facts.personal.set(gesprek, { addresses: [] });
		} else if (field === 'addressId' && inGesprek.field === null) {
			const addresses = isNew ? this.newAddresses : this.facts.moved;
			if (!isNew) this.facts.moves = true;
			const list = addresses.get(gesprek) ?? [];
			if (content instanceof Y.ContentAny) {
				for (const v of content.getContent()) if (typeof v === 'string') list.push(v);
			}
			addresses.set(gesprek, list);
		} else if (field === 'consent' && place.key === 'withdrawn' && value(true)) {
			this.facts.withdraws = true;
		}
	}

	/** Text written into an organisation's confidential notes: the gesprek id it is keyed by. */
	private noteOrgNotesWrite(holder: Y.Item): void {
		const up = this.place(holder);
		if (typeof up === 'object' && up.container === `root:${ORG_NOTES}` && up.key !== null) {
			this.facts.orgNotes.add(up.key);
		}
	}

	/**
	 * The gesprek a container is in (the item holding it) and the gesprek's field it is under; the
	 * field is null for the gesprek's own map (its key is the field). Null outside gesprekken.
	 */
	private gesprekOf(place: Place): { gesprek: Y.Item; field: string | null } | null {
		const cached = this.gesprekPlaces.get(place.container);
		if (cached !== undefined) return cached;
		let result: { gesprek: Y.Item; field: string | null } | null = null;
		if (place.holder && this.layout === BOARD_LAYOUT) {
			const up = this.place(place.holder);
			if (typeof up === 'object') {
				if (up.container === GESPREKKEN) result = { gesprek: place.holder, field: null };
				else {
					const outer = this.gesprekOf(up);
					if (outer) result = { gesprek: outer.gesprek, field: outer.field ?? up.key };
				}
			}
		}
		this.gesprekPlaces.set(place.container, result);
		return result;
	}

	private grow(place: Place, n: number): void {
		const entry = this.growth.get(place.container);
		if (entry) entry.added += n;
		else this.growth.set(place.container, { shape: place.shape, added: n, holder: place.holder });
	}

	/**
	 * Places an item: a root type or parent id names its container directly; otherwise the
	 * container is its neighbour's (origin, else right origin). Iterative, as origin chains of
	 * typed text can be long.
	 */
	private place(item: Y.Item): Resolved {
		const chain: Y.Item[] = [];
		let current: Y.Item = item;
		let result: Resolved | undefined;
		for (;;) {
			const known = this.placed.get(current);
			if (known !== undefined) {
				result = known;
				break;
			}
			chain.push(current);
			const direct = this.direct(current);
			if (direct !== undefined) {
				result = direct;
				break;
			}
			const neighbourId = current.origin ?? current.rightOrigin;
			if (!neighbourId) throw new UpdateRefusal('an item without parent');
			const neighbour = this.find(neighbourId);
			if (neighbour === PENDING || neighbour === GONE) {
				result = neighbour;
				break;
			}
			current = neighbour;
		}
		for (let i = chain.length - 1; i >= 0; i--) {
			const it = chain[i]!;
			let r: Resolved = result;
			// Map entries inherit the key of their neighbour; explicit keys win.
			if (typeof r === 'object' && it.parentSub !== null && r.key !== it.parentSub) {
				r = { ...r, key: it.parentSub };
			}
			this.placed.set(it, r);
			result = r;
		}
		return this.placed.get(item)!;
	}

	/** The place of an item that names its parent itself; undefined when it does not. */
	private direct(item: Y.Item): Resolved | undefined {
		const parent = item.parent as unknown;
		if (typeof parent === 'string') return rootPlace(this.layout, parent, item.parentSub);
		if (parent instanceof Y.AbstractType) {
			// An item of the live document.
			const holder = parent._item;
			if (!holder) {
				return rootPlace(this.layout, Y.findRootTypeKey(parent), item.parentSub);
			}
			return this.typePlace(holder, item.parentSub);
		}
		if (parent && typeof parent === 'object' && 'client' in parent) {
			const holder = this.find(parent as ID);
			if (holder === PENDING || holder === GONE) return holder;
			return this.typePlace(holder, item.parentSub);
		}
		return undefined;
	}

	/** The place inside the type that `holder` holds. */
	private typePlace(holder: Y.Item, key: string | null): Resolved {
		if (holder.content instanceof Y.ContentDeleted || this.gone(holder)) return GONE;
		if (!(holder.content instanceof Y.ContentType)) {
			throw new UpdateRefusal('a parent that is not a type');
		}
		const outer = this.place(holder);
		if (outer === GONE || outer === PENDING) return outer;
		if (outer.key === null && outer.shape.kind !== 'array') {
			throw new UpdateRefusal(`a nested type without key in ${describe(outer)}`);
		}
		const shape =
			outer.shape.kind === 'array' ? outer.shape.of : childShape(outer, outer.key as string);
		return { container: idKey(holder.id), shape, key, holder };
	}

	/** A struct by id: from the update (or pending structs), else from the live document. */
	private find(id: ID): Y.Item | typeof GONE | typeof PENDING {
		const own = this.structs.get(id.client);
		if (own) {
			// Binary search: the list is sorted by clock and its structs do not overlap.
			let lo = 0;
			let hi = own.length - 1;
			while (lo <= hi) {
				const mid = (lo + hi) >> 1;
				const s = own[mid]!;
				if (id.clock < s.id.clock) hi = mid - 1;
				else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
				else return s;
			}
		}
		const list = this.doc.store.clients.get(id.client);
		if (!list || id.clock >= Y.getState(this.doc.store, id.client)) return PENDING;
		const struct = list[Y.findIndexSS(list, id.clock)];
		return struct instanceof Y.Item ? struct : GONE;
	}

	/** The entry of a map field (place with a key) in `fields`. */
	private field(place: Place): { place: Place; items: Y.Item[] } {
		const id = `${place.container}|${place.key}`;
		let entry = this.fields.get(id);
		if (!entry) this.fields.set(id, (entry = { place, items: [] }));
		return entry;
	}

	/** Deleted by this update: in its delete set, or sent as deleted content. */
	private gone(item: Y.Item): boolean {
		return item.content instanceof Y.ContentDeleted || this.deleted(item.id);
	}

	private deleted(id: ID): boolean {
		const ranges = this.ds.get(id.client);
		if (!ranges) return false;
		// The last range starting at or before the clock (ranges are sorted and disjoint).
		let lo = 0;
		let hi = ranges.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (ranges[mid]!.clock <= id.clock) lo = mid + 1;
			else hi = mid - 1;
		}
		const range = ranges[hi];
		return !!range && id.clock < range.clock + range.len;
	}

	/**
	 * A required field of an existing map may only lose its value with its map. What a field shows
	 * after the update is worked out as Yjs would (fieldValueAfter): deleting a value that another
	 * client's concurrent value already replaced, or re-sending a value that lost to a concurrent
	 * one, deletes nothing (issue 12). A new value that is itself deleted (sent as deleted content,
	 * or in the delete set) and ends up as the field's value does delete the field.
	 */
	private checkDeletes(): void {
		for (const [client, ranges] of this.ds) {
			for (const { clock, len } of ranges) {
				for (const item of this.itemsIn(client, clock, len)) {
					const place = this.place(item);
					if (place === GONE || place === PENDING || place.shape.kind !== 'map') continue;
					if (place.key !== null) this.field(place);
				}
			}
		}
		for (const { place, items } of this.fields.values()) {
			const { holder, key } = place;
			if (!holder || key === null || place.shape.kind !== 'map') continue;
			if (place.shape.optional?.includes(key)) continue;
			// A map created by this update is checked for its required fields in run().
			const type = holder.content instanceof Y.ContentType ? holder.content.type : null;
			if (!type?.doc) continue;
			// A field of an entity that goes (deleted on the server already, or by this update; or a
			// nested map of such an entity: consent, a follow-up) may lose its value with it: a value
			// set concurrently with the entity's deletion is discarded, and the old value it replaced
			// is gone with the entity, not "deleted without a new value".
			if (this.goneWithAncestor(holder)) continue;
			const current = type._map.get(key);
			if (!current || current.deleted) continue;
			// The usual edit: live new values, one of them placed right after the current value
			// (the rightmost after integration is then a live new item), or the current kept.
			if (
				items.every((it) => !this.gone(it)) &&
				(!this.deleted(current.id) ||
					items.some((it) => it.rightOrigin === null && contains(current, it.origin)))
			) {
				continue;
			}
			const list: Y.Item[] = [];
			for (let it: Y.Item | null = current; it; it = it.left) list.unshift(it);
			if (!this.visibleAfter(list, items)) {
				throw new UpdateRefusal(`deletes the field ${describe(place)}`);
			}
		}
	}

	/**
	 * Whether the type `holder` holds goes, with it or with a type around it: deleted in the
	 * document (the server has the deletion already) or by this update.
	 */
	private goneWithAncestor(holder: Y.Item): boolean {
		for (let item: Y.Item | null = holder; item;) {
			if (item.deleted || this.gone(item)) return true;
			const place = this.place(item);
			if (place === GONE) return true;
			if (place === PENDING) return false;
			item = place.holder;
		}
		return false;
	}

	/**
	 * Whether a map field shows a value after the update: its items in the document (`list`, left
	 * to right; the last is its value) with the update's new items integrated as Yjs's YATA does.
	 * The value is the rightmost item; it shows when nothing deletes it.
	 */
	private visibleAfter(list: Y.Item[], items: Y.Item[]): boolean {
		// The usual case, a new field with one value: that value (no order to work out).
		const only = list.length === 0 && items.length === 1 ? items[0]! : null;
		const last = only && !only.origin && !only.rightOrigin ? only : fieldValueAfter(list, items);
		if (!last) return false;
		return !(last.deleted || this.gone(last));
	}

	/**
	 * The notes of a confidential gesprek live in its organisation's own document: no text may be
	 * written into its shared notes (say, by undoing an earlier edit on some device), unless the same
	 * update clears the marker (moving the notes back).
	 */
	private checkConfidential(): void {
		for (const holder of this.notesWritten) {
			const place = this.place(holder);
			if (place === GONE || place === PENDING) continue;
			const written = this.confidentialWrites.get(place.container);
			// The gesprek: the type held by the item that holds the notes' map entry.
			const gesprek = place.holder?.content;
			// A gesprek new in this update is not in the document yet: no marker but the update's own.
			const fields = gesprek instanceof Y.ContentType && gesprek.type.doc ? gesprek.type : null;
			const marked =
				written ?? (fields instanceof Y.Map && typeof fields.get(CONFIDENTIAL) === 'string');
			if (marked) throw new UpdateRefusal('text in the shared notes of a confidential gesprek');
		}
	}

	/** See UpdateAuthor. Runs after checkDeletes, which adds the fields the update deletes from. */
	private checkMarkers(): void {
		if (!this.author) return;
		const own = this.author.organisationId;
		for (const { place, items } of this.fields.values()) {
			if (place.key !== CONFIDENTIAL || place.shape.kind !== 'map' || !place.holder) continue;
			const type = place.holder.content instanceof Y.ContentType ? place.holder.content.type : null;
			// A gesprek new in this update (not in a document yet), or one that goes with it.
			if (!(type instanceof Y.Map) || !type.doc || this.goneWithAncestor(place.holder)) continue;
			const current: unknown = type.get(CONFIDENTIAL);
			if (typeof current === 'string' && current !== own) {
				throw new UpdateRefusal('changes the confidential marker of another organisation');
			}
			for (const item of items) {
				if (this.gone(item) || !(item.content instanceof Y.ContentAny)) continue;
				if (item.content.getContent().some((v) => typeof v === 'string' && v !== own)) {
					throw new UpdateRefusal('marks notes confidential to another organisation');
				}
			}
		}
	}

	/** The live items of the document in a deleted range (new items are in `fields`). */
	private *itemsIn(client: number, clock: number, len: number): Generator<Y.Item> {
		const end = clock + len;
		const list = this.doc.store.clients.get(client);
		if (list) {
			const state = Y.getState(this.doc.store, client);
			if (clock < state) {
				for (let i = Y.findIndexSS(list, clock); i < list.length; i++) {
					const s = list[i]!;
					if (s.id.clock >= end) break;
					// Deleting what is already deleted changes nothing.
					if (s instanceof Y.Item && !s.deleted) yield s;
				}
			}
		}
	}
}

/** The gesprek field that marks its notes as confidential to one organisation. */
const CONFIDENTIAL = 'confidential';
const GESPREKKEN = `root:${TOP_LEVEL.gesprekken}`;
const PERSONAL: readonly string[] = GESPREK_PERSONAL_FIELDS;

function rootPlace(
	layout: Readonly<Record<string, RecordShape>>,
	name: string,
	key: string | null
): Place {
	const shape = Object.hasOwn(layout, name) ? layout[name] : undefined;
	if (!shape) throw new UpdateRefusal(`unknown top-level type "${name.slice(0, 40)}"`);
	return { container: `root:${name}`, shape, key, holder: null };
}

/** The shape of what is stored under `key` in a map-like container. */
function childShape(place: Place, key: string): Shape {
	const { shape } = place;
	if (shape.kind === 'record') {
		if (key.length === 0 || key.length > LIMITS.id) throw new UpdateRefusal('an invalid entity id');
		return shape.of;
	}
	if (shape.kind === 'map') {
		const field = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
		if (!field)
			throw new UpdateRefusal(`unknown field "${key.slice(0, 40)}" in ${place.container}`);
		return field;
	}
	throw new UpdateRefusal(`keyed content in ${place.container}`);
}

function describe(place: Place): string {
	const where = place.container.startsWith('root:')
		? place.container.slice(5)
		: `type ${place.container}`;
	return place.key === null ? where : `${where}.${place.key.slice(0, 40)}`;
}

function currentLength(holder: Y.Item): number {
	if (!(holder.content instanceof Y.ContentType)) return 0;
	const type = holder.content.type;
	// A type created by this update is not in a document yet: it starts empty.
	if (!type.doc) return 0;
	return type instanceof Y.Array || type instanceof Y.Text ? type.length : 0;
}
