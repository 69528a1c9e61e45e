import * as Y from 'yjs';
import { byCreation, type Fields } from './common';

/**
 * The entities of one top-level map of a board (gesprekken, initiatieven, ...), read once and
 * kept up to date incrementally: a Yjs `observeDeep` event says which entities a transaction
 * touched (its path starts with their id), and only those are read again. Lists keep the identity
 * of every entity that did not change, so derived state (filters, map features) can skip them.
 * Plain TypeScript (no runes): the board state (content.svelte.ts) wraps it for Svelte.
 */
/** How many deleted entities' last values an index keeps (see EntityIndex.departed). */
const DEPARTED_KEPT = 200;

export class EntityIndex<T extends { id: string; createdAt: string | number }> {
	readonly #map: Y.Map<Fields>;
	readonly #read: (id: string) => T | null;
	#byId = new Map<string, T>();
	#list: T[] = [];
	/** Position of each entity in #list. */
	#index = new Map<string, number>();
	#dirty = new Set<string>();
	#all = true;
	#listeners = new Set<() => void>();
	/**
	 * The last value read of entities deleted while this index was open, newest last (bounded):
	 * what this tab showed of them (a form's notes, say) when they went, for putting them back.
	 */
	#departed = new Map<string, T>();
	readonly #observer: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void;
	/** How many entities were read (for tests and measurements). */
	reads = 0;

	constructor(map: Y.Map<Fields>, read: (id: string) => T | null) {
		this.#map = map;
		this.#read = read;
		this.#observer = (events) => {
			for (const event of events) {
				if (event.target === map && event instanceof Y.YMapEvent) {
					for (const key of event.keysChanged) {
						this.#dirty.add(key);
						this.#remember(key, event.changes.keys.get(key)?.action);
					}
				} else {
					const id = event.path[0];
					if (typeof id === 'string') this.#dirty.add(id);
				}
			}
			this.#notify();
		};
		map.observeDeep(this.#observer);
	}

	/** Called after every change (local or remote) of this map or of what it depends on. */
	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Every entity must be read again (e.g. theme merges change how theme links read). */
	invalidateAll(): void {
		this.#all = true;
		this.#notify();
	}

	#notify(): void {
		for (const listener of this.#listeners) listener();
	}

	#refresh(): void {
		if (this.#all) {
			this.#all = false;
			this.#dirty.clear();
			this.#byId = new Map();
			for (const id of this.#map.keys()) this.#load(id);
			this.#rebuild();
			return;
		}
		if (this.#dirty.size === 0) return;
		const dirty = [...this.#dirty];
		this.#dirty.clear();
		const added: T[] = [];
		const removed = new Set<string>();
		let moved = false;
		for (const id of dirty) {
			const before = this.#byId.get(id);
			const after = this.#load(id);
			if (!before && after) added.push(after);
			else if (before && !after) removed.add(id);
			else if (before && after && before.createdAt !== after.createdAt) moved = true;
		}
		// Many at once (a board loaded, a street imported): sorting all is cheaper.
		if (moved || added.length + removed.size > 64) return this.#rebuild();
		let list = this.#list.slice();
		for (const id of dirty) {
			const at = this.#index.get(id);
			if (at !== undefined && !removed.has(id)) list[at] = this.#byId.get(id)!;
		}
		if (added.length === 0 && removed.size === 0) {
			this.#list = list;
			return;
		}
		// A gesprek added or deleted: its place found, not the whole list sorted again.
		if (removed.size > 0) list = list.filter((e) => !removed.has(e.id));
		for (const e of added) list.splice(insertionPoint(list, e), 0, e);
		this.#list = list;
		this.#index = new Map(list.map((e, i) => [e.id, i]));
	}

	#remember(id: string, action: 'add' | 'update' | 'delete' | undefined): void {
		if (action !== 'delete') {
			this.#departed.delete(id);
			return;
		}
		const last = this.#byId.get(id);
		if (!last) return;
		this.#departed.delete(id);
		this.#departed.set(id, last);
		if (this.#departed.size > DEPARTED_KEPT) {
			this.#departed.delete(this.#departed.keys().next().value!);
		}
	}

	/**
	 * The last value this tab read of an entity deleted since (also by someone else), or null: what
	 * it showed when the entity went. Null once the entity exists again.
	 */
	departed(id: string): T | null {
		return this.#departed.get(id) ?? null;
	}

	#load(id: string): T | null {
		this.reads++;
		const entity = this.#map.has(id) ? this.#read(id) : null;
		if (entity) this.#byId.set(id, entity);
		else this.#byId.delete(id);
		return entity;
	}

	#rebuild(): void {
		this.#list = [...this.#byId.values()].sort(byCreation);
		this.#index = new Map(this.#list.map((e, i) => [e.id, i]));
	}

	/** Every readable entity, oldest first (the same array until something changes). */
	get list(): T[] {
		this.#refresh();
		return this.#list;
	}

	get(id: string): T | null {
		this.#refresh();
		return this.#byId.get(id) ?? null;
	}

	destroy(): void {
		this.#map.unobserveDeep(this.#observer);
		this.#listeners.clear();
		this.#departed.clear();
	}
}

/** Where `e` goes in a list sorted by creation: after every entity that sorts before it. */
function insertionPoint<T extends { id: string; createdAt: string | number }>(
	list: readonly T[],
	e: T
): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (byCreation(list[mid]!, e) <= 0) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
