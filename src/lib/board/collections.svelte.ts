import { createSubscriber, SvelteSet } from 'svelte/reactivity';
import * as Y from 'yjs';
import { sameItems } from './analysis/summary';
import { EntityIndex } from './entity-index';
import {
	addFollowUp,
	addGesprek,
	addToGesprekList,
	getGesprek,
	gesprekkenMap,
	patchConsent,
	removeFollowUp,
	removeFromGesprekList,
	removeGesprek,
	restoreConsent,
	updateFollowUp,
	updateGesprek,
	type ConsentPatch,
	type FollowUpPatch,
	type Gesprek,
	type GesprekListField,
	type GesprekPatch,
	type NewFollowUp,
	type NewGesprek
} from './gesprekken';
import {
	addInitiatief,
	addToInitiatiefList,
	getInitiatief,
	initiatievenMap,
	removeFromInitiatiefList,
	removeInitiatief,
	updateInitiatief,
	type Initiatief,
	type InitiatiefListField,
	type InitiatiefPatch,
	type NewInitiatief
} from './initiatieven';
import {
	addNotitie,
	getNotitie,
	notitiesMap,
	removeNotitie,
	updateNotitie,
	type NewNotitie,
	type Notitie,
	type NotitiePatch
} from './notities';
import { addConfidentialGesprek, removeOrgNotes } from './org-notes';
import {
	addThema,
	archiveThema,
	describeThema,
	getThema,
	mergeThema,
	recolourThema,
	renameThema,
	themasMap,
	type NewThema,
	type Thema
} from './themas';

/**
 * One kind of entity of the board as Svelte state: reading `all` or `get(id)` in a template or
 * effect subscribes to this kind only; commands write single fields or single list items, so
 * what others change at the same time is kept. Entities are read incrementally (EntityIndex).
 */
abstract class Collection<T extends { id: string; createdAt: string }> {
	protected readonly doc: Y.Doc;
	protected readonly index: EntityIndex<T>;
	readonly #subscribe: () => void;

	constructor(doc: Y.Doc, index: EntityIndex<T>) {
		this.doc = doc;
		this.index = index;
		this.#subscribe = createSubscriber((update) => index.onChange(update));
	}

	/** Every entity, oldest first. The array (and each unchanged entity) keeps its identity. */
	get all(): T[] {
		this.#subscribe();
		return this.index.list;
	}

	get(id: string): T | null {
		this.#subscribe();
		return this.index.get(id);
	}

	/**
	 * What this tab last showed of an entity deleted since (by anyone), or null: restoring it
	 * brings back what its form held when it went (restore.ts).
	 */
	departed(id: string): T | null {
		return this.index.departed(id);
	}

	/** How many entities were read from the document so far (measurements, tests). */
	get reads(): number {
		return this.index.reads;
	}

	/** Reads every entity again on next access (see Board: theme merges). */
	invalidate(): void {
		this.index.invalidateAll();
	}

	destroy(): void {
		this.index.destroy();
	}
}

/** Where a new gesprek's notes go when they are "alleen mijn organisatie". */
export interface ConfidentialTarget {
	orgDoc: Y.Doc;
	organisationId: string;
}

export class Gesprekken extends Collection<Gesprek> {
	#byAddress: { list: Gesprek[]; groups: Record<string, Gesprek[]> } | null = null;
	#withdrawn: { list: Gesprek[]; addresses: ReadonlySet<string> } | null = null;

	constructor(doc: Y.Doc) {
		super(doc, new EntityIndex(gesprekkenMap(doc), (id) => getGesprek(doc, id)));
	}

	/** One household's gesprekken, oldest first (grouped once per change of the list). */
	forAddress(addressId: string): Gesprek[] {
		return this.byAddress[addressId] ?? [];
	}

	/**
	 * Every household's gesprekken by address id, oldest first. Code that looks up many addresses
	 * reads this once: each read subscribes the reading effect or derived again (one more Svelte
	 * effect per read, until it re-runs), so `forAddress` in a loop over thousands of addresses
	 * would make thousands.
	 */
	get byAddress(): Readonly<Record<string, Gesprek[]>> {
		const list = this.all;
		if (this.#byAddress?.list !== list) {
			const groups: Record<string, Gesprek[]> = Object.create(null);
			for (const g of list) (groups[g.addressId] ??= []).push(g);
			// A household whose gesprekken did not change keeps its array (what reads it can skip it).
			const before = this.#byAddress?.groups;
			if (before)
				for (const id in groups) {
					const old = before[id];
					if (old && sameItems(old, groups[id]!)) groups[id] = old;
				}
			this.#byAddress = { list, groups };
		}
		return this.#byAddress.groups;
	}

	/**
	 * The addresses whose household withdrew its consent (on any of its gesprekken): their data is
	 * no longer shown, and waits for its erasure (see gesprekken.ts householdWithdrawn).
	 */
	get withdrawn(): ReadonlySet<string> {
		const list = this.all;
		if (this.#withdrawn?.list !== list) {
			// Computed again from each new list (never changed in place): no reactive set needed.
			const ids = list.filter((g) => g.consent.withdrawn).map((g) => g.addressId);
			this.#withdrawn = { list, addresses: new SvelteSet(ids) };
		}
		return this.#withdrawn.addresses;
	}

	/** Undoes the household's withdrawal (a misclick): one change, one undo step. */
	restoreConsent(addressId: string): number {
		return restoreConsent(this.doc, addressId);
	}

	/**
	 * Adds a gesprek. With `confidential`, its notes go to that organisation's own document and the
	 * shared board keeps only the marker (see org-notes.ts).
	 */
	add(
		input: NewGesprek,
		confidential?: ConfidentialTarget | null,
		options?: { id?: string }
	): Gesprek {
		if (confidential)
			return addConfidentialGesprek(
				this.doc,
				confidential.orgDoc,
				confidential.organisationId,
				input
			);
		return addGesprek(this.doc, input, options);
	}

	/** Changes the given fields only (`patch(id, { heldBy })`). */
	patch(id: string, patch: GesprekPatch): Gesprek {
		return updateGesprek(this.doc, id, patch);
	}

	addTheme(id: string, themeId: string): Gesprek {
		return addToGesprekList(this.doc, id, 'themeIds', themeId);
	}
	removeTheme(id: string, themeId: string): Gesprek {
		return removeFromGesprekList(this.doc, id, 'themeIds', themeId);
	}
	addTalent(id: string, talent: string): Gesprek {
		return addToGesprekList(this.doc, id, 'talents', talent);
	}
	removeTalent(id: string, talent: string): Gesprek {
		return removeFromGesprekList(this.doc, id, 'talents', talent);
	}
	/** Adds one item to a list (themes, talents, wishes, worries). */
	addItem(id: string, field: GesprekListField, item: string): Gesprek {
		return addToGesprekList(this.doc, id, field, item);
	}
	removeItem(id: string, field: GesprekListField, item: string): Gesprek {
		return removeFromGesprekList(this.doc, id, field, item);
	}

	addFollowUp(id: string, input: NewFollowUp): string {
		return addFollowUp(this.doc, id, input).id;
	}
	patchFollowUp(id: string, followUpId: string, patch: FollowUpPatch): void {
		updateFollowUp(this.doc, id, followUpId, patch);
	}
	removeFollowUp(id: string, followUpId: string): void {
		removeFollowUp(this.doc, id, followUpId);
	}
	patchConsent(id: string, patch: ConsentPatch): void {
		patchConsent(this.doc, id, patch);
	}

	/** Removes a gesprek, and its confidential notes from `orgDoc` when given. */
	remove(id: string, orgDoc?: Y.Doc | null): boolean {
		const removed = removeGesprek(this.doc, id);
		if (orgDoc) removeOrgNotes(orgDoc, id);
		return removed;
	}
}

export class Initiatieven extends Collection<Initiatief> {
	constructor(doc: Y.Doc) {
		super(doc, new EntityIndex(initiatievenMap(doc), (id) => getInitiatief(doc, id)));
	}
	/** `options.id`: restore a deleted one under its own id (restore.ts). */
	add(input: NewInitiatief, options?: { id?: string }): Initiatief {
		return addInitiatief(this.doc, input, options);
	}
	patch(id: string, patch: InitiatiefPatch): Initiatief {
		return updateInitiatief(this.doc, id, patch);
	}
	addTheme(id: string, themeId: string): Initiatief {
		return addToInitiatiefList(this.doc, id, 'themeIds', themeId);
	}
	removeTheme(id: string, themeId: string): Initiatief {
		return removeFromInitiatiefList(this.doc, id, 'themeIds', themeId);
	}
	addItem(id: string, field: InitiatiefListField, item: string): Initiatief {
		return addToInitiatiefList(this.doc, id, field, item);
	}
	removeItem(id: string, field: InitiatiefListField, item: string): Initiatief {
		return removeFromInitiatiefList(this.doc, id, field, item);
	}
	remove(id: string): boolean {
		return removeInitiatief(this.doc, id);
	}
}

export class Notities extends Collection<Notitie> {
	constructor(doc: Y.Doc) {
		super(doc, new EntityIndex(notitiesMap(doc), (id) => getNotitie(doc, id)));
	}
	/** `options.id`: restore a deleted one under its own id (restore.ts). */
	add(input: NewNotitie, options?: { id?: string }): Notitie {
		return addNotitie(this.doc, input, options);
	}
	patch(id: string, patch: NotitiePatch): Notitie {
		return updateNotitie(this.doc, id, patch);
	}
	remove(id: string): boolean {
		return removeNotitie(this.doc, id);
	}
}

export class Themas extends Collection<Thema> {
	#active: { all: Thema[]; active: Thema[] } | null = null;

	constructor(doc: Y.Doc) {
		super(doc, new EntityIndex(themasMap(doc), (id) => getThema(doc, id)));
	}
	/** Themes offered for new links: not archived, not merged. */
	get active(): Thema[] {
		const all = this.all;
		if (this.#active?.all !== all)
			this.#active = { all, active: all.filter((t) => !t.archived && !t.mergedInto) };
		return this.#active.active;
	}
	add(input: NewThema): Thema {
		return addThema(this.doc, input);
	}
	rename(id: string, name: string): Thema {
		return renameThema(this.doc, id, name);
	}
	recolour(id: string, colour: string): Thema {
		return recolourThema(this.doc, id, colour);
	}
	describe(id: string, description: string): Thema {
		return describeThema(this.doc, id, description);
	}
	archive(id: string, archived = true): Thema {
		return archiveThema(this.doc, id, archived);
	}
	merge(fromId: string, intoId: string): Thema {
		return mergeThema(this.doc, fromId, intoId);
	}
}

/**
 * Theme links read through merges (resolveThemaIds): a merge, or a theme arriving or going,
 * changes how every gesprek and initiatief reads, so the given collections read all again.
 * Returns what stops it.
 */
export function rereadOnThemeResolution(
	doc: Y.Doc,
	collections: readonly { invalidate(): void }[]
): () => void {
	const themas = themasMap(doc);
	const onThemas = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		const resolution = events.some(
			(e) => e.target === themas || (e instanceof Y.YMapEvent && e.keysChanged.has('mergedInto'))
		);
		if (resolution) for (const c of collections) c.invalidate();
	};
	themas.observeDeep(onThemas);
	return () => themas.unobserveDeep(onThemas);
}
