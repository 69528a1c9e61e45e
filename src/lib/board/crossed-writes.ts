import * as Y from 'yjs';
import { mergeText } from '../collab/merge-text';
import { isLocalReadOnly, localOrigin } from './common';
import { BOARD_LAYOUT, FOLLOW_UP_SHAPE, GESPREK_SHAPE, TOP_LEVEL, type MapShape } from './layout';

/**
 * Short text fields that are plain strings in an entity's Y.Map (not Y.Texts): two writes of one
 * of them that cross (both sent before either arrived, or both made offline) are a concurrent set
 * of one map key, and Yjs keeps one of them on every device. Without more, the other person's
 * words silently vanished. LiveInput merges a change it sees before it writes (merge-text.ts);
 * this covers the writes that crossed.
 */
export const SHORT_TEXT_FIELDS: Readonly<Record<string, readonly string[]>> = {
	[TOP_LEVEL.gesprekken]: ['heldBy'],
	[TOP_LEVEL.initiatieven]: ['title', 'publicContact'],
	[TOP_LEVEL.notities]: ['text'],
	[TOP_LEVEL.themas]: ['name', 'description']
};

/** The same within a gesprek: a follow-up's fields, and who recorded the consent. */
const FOLLOW_UP_FIELDS = ['what', 'who'] as const;
const CONSENT_FIELDS = ['recordedBy'] as const;
const CONSENT_SHAPE = GESPREK_SHAPE.fields.consent as MapShape;

/** This tab's own writes of one field that no write from elsewhere has built on yet. */
interface Unseen {
	/** The value before the first of them, and the item that held it (null: none). */
	base: string;
	baseItem: Y.ID | null;
	/** Each write: its item's id and the value it wrote, oldest first. */
	mine: { id: Y.ID; value: string }[];
}

/** How far back the history of one field is followed (each step is one earlier write). */
const MAX_STEPS = 200;

/** Where this tab's unseen writes are kept across reloads: the board's copy on the device. */
export interface KeptWrites {
	get<T>(key: string): Promise<T | undefined>;
	set(key: string, value: unknown): Promise<void>;
}

/** The key of the unseen writes in the device's copy of the board (offline.ts). */
export const KEPT_KEY = 'crossed-writes';
/** At most this many fields' unseen writes are kept (the latest written). */
const KEPT_MAX = 500;

type KeptId = [client: number, clock: number];
/** One field's unseen writes as kept: the path to its map, the field, and the writes. */
interface Kept {
	path: string[];
	key: string;
	base: string;
	baseItem: KeptId | null;
	mine: [client: number, clock: number, value: string][];
}

export interface CrossedWrites {
	/**
	 * Keeps the unseen writes in the device's copy too, and takes over those kept by this device
	 * before (a tab closed with a write unsent, opened again): a crossing found now is merged.
	 */
	keep(store: KeptWrites): Promise<void>;
	stop(): void;
}

/**
 * Watches this tab's writes of the short text fields; when a write from elsewhere turns out to have
 * crossed one of them (it did not build on this tab's last write, yet it is the value every device
 * now keeps), this tab writes both edits merged (`mergeText` from the value both started from), so
 * the one who lost Yjs's tie-break gets their words back in, on every device. Only the side whose
 * write lost does this: the winner's value is then built on, so nobody merges twice. Edits of the
 * same characters stay as Yjs chose (no way to keep both that reads right). A merged value the
 * field's schema would refuse (too long) is not written. With `keep`, the writes not yet built on
 * are kept on the device, so a tab closed offline and opened again still merges.
 */
export function mergeCrossedWrites(doc: Y.Doc): CrossedWrites {
	const origin = localOrigin(doc);
	const unseen = new Map<Y.Map<unknown>, Map<string, Unseen>>();
	const stops: (() => void)[] = [];
	const tops = Object.keys(SHORT_TEXT_FIELDS).map((c) => [c, doc.getMap<unknown>(c)] as const);
	let store: KeptWrites | null = null;
	let saving = false;

	/** The short text fields of a map in the board, their shape, and the path to the map. */
	function watched(target: Y.Map<unknown>) {
		const parent = target.parent;
		for (const [collection, top] of tops) {
			const entityKey = (m: { _item: Y.Item | null } | null) => m?._item?.parentSub ?? '';
			if (parent === top) {
				const shape = BOARD_LAYOUT[collection]!.of as MapShape;
				return {
					keys: SHORT_TEXT_FIELDS[collection]!,
					shape,
					path: [collection, entityKey(target)]
				};
			}
			if (collection !== TOP_LEVEL.gesprekken) continue;
			if (parent instanceof Y.Array && parent.parent?.parent === top) {
				const id = String(target.get('id') ?? '');
				const path = [collection, entityKey(parent.parent), 'followUps', id];
				return { keys: FOLLOW_UP_FIELDS, shape: FOLLOW_UP_SHAPE, path };
			}
			if (parent instanceof Y.Map && parent.parent === top && parent.get('consent') === target) {
				const path = [collection, entityKey(parent), 'consent'];
				return { keys: CONSENT_FIELDS, shape: CONSENT_SHAPE, path };
			}
		}
		return null;
	}

	/** The map a kept path leads to, if it is still there. */
	function mapAt(path: string[]): Y.Map<unknown> | null {
		const [collection, id, part, followUpId] = path;
		const entity = doc.getMap<unknown>(collection ?? '').get(id ?? '');
		if (!(entity instanceof Y.Map) || !collection || !(collection in SHORT_TEXT_FIELDS))
			return null;
		if (part === undefined) return entity;
		const inner = entity.get(part);
		if (part === 'consent' && inner instanceof Y.Map) return inner;
		if (part === 'followUps' && inner instanceof Y.Array) {
			const found = inner.toArray().find((f) => f instanceof Y.Map && f.get('id') === followUpId);
			return found instanceof Y.Map ? found : null;
		}
		return null;
	}

	for (const [, top] of tops) {
		const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
			for (const event of events) {
				if (!(event instanceof Y.YMapEvent)) continue;
				const map = event.target as Y.Map<unknown>;
				const found = watched(map);
				if (!found) continue;
				for (const key of found.keys) {
					if (!event.keysChanged.has(key)) continue;
					if (tx.local) noteOwnWrite(map, key, event.changes.keys.get(key)?.oldValue);
					else checkCrossed(map, key);
				}
			}
		};
		top.observeDeep(observer);
		stops.push(() => top.unobserveDeep(observer));
	}

	function noteOwnWrite(entity: Y.Map<unknown>, key: string, oldValue: unknown): void {
		const item = entity._map.get(key);
		if (!item || item.deleted) {
			unseen.get(entity)?.delete(key);
			save();
			return;
		}
		const value = item.content.getContent()[0];
		if (typeof value !== 'string' || typeof oldValue !== 'string') return;
		let fields = unseen.get(entity);
		if (!fields) unseen.set(entity, (fields = new Map()));
		const own = fields.get(key) ?? { base: oldValue, baseItem: item.origin, mine: [] };
		own.mine.push({ id: item.id, value });
		// Latest written last (the oldest go first when there are too many to keep).
		fields.delete(key);
		fields.set(key, own);
		unseen.delete(entity);
		unseen.set(entity, fields);
		save();
	}

	/** Fields to look at once the transaction that changed them is done (not inside it). */
	const due = new Map<Y.Map<unknown>, Set<string>>();
	function checkCrossed(entity: Y.Map<unknown>, key: string): void {
		if (!unseen.get(entity)?.has(key)) return;
		if (due.size === 0) queueMicrotask(resolveDue);
		let keys = due.get(entity);
		if (!keys) due.set(entity, (keys = new Set()));
		keys.add(key);
	}
	function resolveDue(): void {
		const all = [...due];
		due.clear();
		for (const [entity, keys] of all) for (const key of keys) resolve(entity, key);
		save();
	}

	/** Looks at one field as it is now: merges when a write from elsewhere crossed mine. */
	function resolve(entity: Y.Map<unknown>, key: string): void {
		const own = unseen.get(entity)?.get(key);
		const latest = own?.mine[own.mine.length - 1];
		if (!own || !latest) return;
		const current = entity._map.get(key);
		if (current && Y.compareIDs(current.id, latest.id)) return; // Mine is kept: theirs crossed and lost.
		unseen.get(entity)!.delete(key);
		if (!current || current.deleted || entity._item?.deleted) return;
		const theirs = current.content.getContent()[0];
		if (typeof theirs !== 'string') return;
		const base = ancestorValue(current.origin, own);
		if (base === null) return; // Built on my last write (or on history unknown here).
		const merged = mergeText(base, latest.value, theirs);
		// Both changed the same characters: Yjs's choice stands (mergeText would put mine back).
		if (merged === theirs || (merged === latest.value && latest.value !== base)) return;
		const field = watched(entity)?.shape.fields[key];
		if (!field || field.kind !== 'value' || !field.schema.safeParse(merged).success) return;
		if (isLocalReadOnly(doc)) return;
		// The merge is mine now, built on theirs: a write crossing it is merged from there.
		unseen.get(entity)!.set(key, { base: theirs, baseItem: current.id, mine: [] });
		doc.transact(() => entity.set(key, merged), origin);
	}

	/**
	 * The value the other write started from: the first of this tab's unseen writes (or their base)
	 * found going back through the field's history from what the other write replaced. Null when
	 * that is this tab's last write (theirs came after mine, no crossing) or the history does not
	 * lead to any of them.
	 */
	function ancestorValue(from: Y.ID | null, own: Unseen): string | null {
		let id = from;
		for (let step = 0; id && step < MAX_STEPS; step++) {
			const at = id;
			const index = own.mine.findIndex((m) => Y.compareIDs(m.id, at));
			if (index === own.mine.length - 1) return null;
			if (index >= 0) return own.mine[index]!.value;
			if (own.baseItem && Y.compareIDs(own.baseItem, at)) return own.base;
			const structs = doc.store.clients.get(at.client);
			if (!structs || at.clock >= Y.getState(doc.store, at.client)) return null;
			const struct = Y.getItem(doc.store, at) as Y.Item | Y.AbstractStruct;
			if (!(struct instanceof Y.Item)) return null;
			id = struct.origin;
		}
		return null;
	}

	/** What is kept on the device: the latest KEPT_MAX fields' unseen writes. */
	function snapshot(): Kept[] {
		const out: Kept[] = [];
		for (const [map, fields] of unseen) {
			const path = watched(map)?.path;
			if (!path || map._item?.deleted) continue;
			for (const [key, own] of fields) {
				if (own.mine.length === 0) continue;
				out.push({
					path,
					key,
					base: own.base,
					baseItem: own.baseItem ? [own.baseItem.client, own.baseItem.clock] : null,
					mine: own.mine.map((m) => [m.id.client, m.id.clock, m.value])
				});
			}
		}
		return out.slice(-KEPT_MAX);
	}

	/** Writes the kept copy once the current task is done (one write for many changes). */
	function save(): void {
		if (!store || saving) return;
		saving = true;
		queueMicrotask(() => {
			saving = false;
			void store?.set(KEPT_KEY, snapshot());
		});
	}

	return {
		async keep(kept: KeptWrites): Promise<void> {
			const before = (await kept.get<Kept[]>(KEPT_KEY)) ?? [];
			store = kept;
			for (const k of Array.isArray(before) ? before : []) {
				const map = mapAt(k.path);
				if (!map || !Array.isArray(k.mine) || typeof k.base !== 'string') continue;
				let fields = unseen.get(map);
				if (!fields) unseen.set(map, (fields = new Map()));
				const now = fields.get(k.key);
				fields.set(k.key, {
					base: k.base,
					baseItem: k.baseItem ? Y.createID(k.baseItem[0], k.baseItem[1]) : null,
					mine: [
						...k.mine.map(([client, clock, value]) => ({ id: Y.createID(client, clock), value })),
						...(now?.mine ?? [])
					]
				});
				// What arrived while this tab was closed, or since it opened, may have crossed them.
				checkCrossed(map, k.key);
			}
			save();
		},
		stop() {
			for (const stop of stops) stop();
			unseen.clear();
			store = null;
		}
	};
}
