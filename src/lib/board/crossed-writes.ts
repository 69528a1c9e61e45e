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

/**
 * Watches this tab's writes of the short text fields; when a write from elsewhere turns out to have
 * crossed one of them (it did not build on this tab's last write, yet it is the value every device
 * now keeps), this tab writes both edits merged (`mergeText` from the value both started from), so
 * the one who lost Yjs's tie-break gets their words back in, on every device. Only the side whose
 * write lost does this: the winner's value is then built on, so nobody merges twice. Edits of the
 * same characters stay as Yjs chose (no way to keep both that reads right). A merged value the
 * field's schema would refuse (too long) is not written. Returns a function that stops watching.
 *
 * Known limit: the value both started from is kept in memory, so a tab closed while its write was
 * unsent cannot merge after it is opened again; the other device then merges if its tab is open.
 */
export function mergeCrossedWrites(doc: Y.Doc): () => void {
	const origin = localOrigin(doc);
	const unseen = new Map<Y.Map<unknown>, Map<string, Unseen>>();
	const stops: (() => void)[] = [];

	for (const [collection, fields] of Object.entries(SHORT_TEXT_FIELDS)) {
		const shape = BOARD_LAYOUT[collection]!.of as MapShape;
		const top = doc.getMap<unknown>(collection);
		/** The short text fields of a changed map in this collection, and their shape. */
		const watched = (target: Y.AbstractType<unknown>) => {
			const parent = target.parent;
			if (parent === top) return { keys: fields, shape };
			if (collection !== TOP_LEVEL.gesprekken) return null;
			if (parent instanceof Y.Array && parent.parent?.parent === top) {
				return { keys: FOLLOW_UP_FIELDS, shape: FOLLOW_UP_SHAPE };
			}
			if (parent instanceof Y.Map && parent.parent === top && parent.get('consent') === target) {
				return { keys: CONSENT_FIELDS, shape: CONSENT_SHAPE };
			}
			return null;
		};
		const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
			for (const event of events) {
				if (!(event instanceof Y.YMapEvent)) continue;
				const found = watched(event.target);
				if (!found) continue;
				const map = event.target as Y.Map<unknown>;
				for (const key of found.keys) {
					if (!event.keysChanged.has(key)) continue;
					if (tx.local) noteOwnWrite(map, key, event.changes.keys.get(key)?.oldValue);
					else checkCrossed(map, key, found.shape);
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
			return;
		}
		const value = item.content.getContent()[0];
		if (typeof value !== 'string' || typeof oldValue !== 'string') return;
		let fields = unseen.get(entity);
		if (!fields) unseen.set(entity, (fields = new Map()));
		const own = fields.get(key) ?? { base: oldValue, baseItem: item.origin, mine: [] };
		own.mine.push({ id: item.id, value });
		fields.set(key, own);
	}

	/** Fields to look at once the transaction that changed them is done (not inside it). */
	const due = new Map<Y.Map<unknown>, Map<string, MapShape>>();
	function checkCrossed(entity: Y.Map<unknown>, key: string, shape: MapShape): void {
		if (!unseen.get(entity)?.has(key)) return;
		if (due.size === 0) queueMicrotask(resolveDue);
		let keys = due.get(entity);
		if (!keys) due.set(entity, (keys = new Map()));
		keys.set(key, shape);
	}
	function resolveDue(): void {
		const all = [...due];
		due.clear();
		for (const [entity, keys] of all) for (const [key, shape] of keys) resolve(entity, key, shape);
	}

	/** Looks at one field as it is now: merges when a write from elsewhere crossed mine. */
	function resolve(entity: Y.Map<unknown>, key: string, shape: MapShape): void {
		const own = unseen.get(entity)?.get(key);
		if (!own) return;
		const current = entity._map.get(key);
		const latest = own.mine[own.mine.length - 1]!;
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
		const field = shape.fields[key];
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

	return () => {
		for (const stop of stops) stop();
		unseen.clear();
	};
}
