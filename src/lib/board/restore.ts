import type { Board } from './content.svelte';
import { transactLocal } from './common';
import type { ConsentPatch, GesprekListField, GesprekPatch, NewGesprek } from './gesprekken';
import type { InitiatiefListField, InitiatiefPatch, NewInitiatief } from './initiatieven';
import type { NewNotitie, NotitiePatch } from './notities';

/** One row of an item's history as the history endpoint returns it (GET /boards/<id>/geschiedenis). */
export interface HistoryEntry {
	id: string;
	at: string;
	kind: 'gesprek' | 'initiatief' | 'notitie' | 'thema';
	entityId: string;
	field: string | null;
	op: 'set' | 'add' | 'remove' | 'text' | 'create' | 'delete';
	oldValue: unknown;
	newValue: unknown;
	actorName: string | null;
	organisationName: string | null;
	confidential: boolean;
}

const GESPREK_LISTS = ['talents', 'wishes', 'worries'] as const;
const GESPREK_VALUES = ['date', 'round', 'heldBy', 'outcome'] as const;
const CONSENT_VALUES = ['recordedBy', 'date', 'withdrawn'] as const;
const INITIATIEF_VALUES = [
	'title',
	'description',
	'place',
	'status',
	'startDate',
	'publicContact',
	'internal'
] as const;
const NOTITIE_VALUES = ['text', 'lon', 'lat'] as const;

const has = (list: readonly string[], value: string | null): boolean =>
	value !== null && list.includes(value);

/**
 * Whether `restoreChange` can undo this entry: a field set to another value (back to the old one),
 * a list item added (removed again) or removed (added again).
 */
export function canRestore(entry: HistoryEntry): boolean {
	const { kind, field, op } = entry;
	if (op === 'set') {
		if (kind === 'gesprek')
			return (
				has(GESPREK_VALUES, field) ||
				(field?.startsWith('consent.') === true && has(CONSENT_VALUES, field.slice(8)))
			);
		if (kind === 'initiatief') return has(INITIATIEF_VALUES, field);
		if (kind === 'notitie') return has(NOTITIE_VALUES, field);
		if (kind === 'thema') return has(['name', 'colour', 'description', 'archived'], field);
		return false;
	}
	if (op === 'add' || op === 'remove') {
		if (kind === 'gesprek') return field === 'themeIds' || has(GESPREK_LISTS, field);
		if (kind === 'initiatief') return field === 'themeIds' || field === 'addressIds';
	}
	return false;
}

/**
 * Restores the value an entry replaced (or undoes a list item's add/remove), as a new change
 * through the board's commands: it syncs to everyone and the restoring person can undo it.
 * Throws BoardInputError when the old value is no longer valid.
 */
export function restoreChange(board: Board, entry: HistoryEntry): void {
	const { kind, entityId: id, field, op } = entry;
	if (!field || !canRestore(entry)) throw new Error('This change cannot be restored');
	if (op === 'set') {
		const value = entry.oldValue;
		if (kind === 'gesprek') {
			if (field.startsWith('consent.'))
				board.gesprekken.patchConsent(id, { [field.slice(8)]: value } as never);
			else board.gesprekken.patch(id, { [field]: value } as GesprekPatch);
		} else if (kind === 'initiatief') {
			board.initiatieven.patch(id, { [field]: value } as InitiatiefPatch);
		} else if (kind === 'notitie') {
			board.notities.patch(id, { [field]: value } as NotitiePatch);
		} else if (field === 'name') board.themas.rename(id, String(value));
		else if (field === 'colour') board.themas.recolour(id, String(value));
		else if (field === 'description') board.themas.describe(id, String(value ?? ''));
		else if (field === 'archived') board.themas.archive(id, value === true);
		return;
	}
	// Undo an add by removing the item; undo a remove by adding it again.
	const item = String(op === 'add' ? entry.newValue : entry.oldValue);
	const add = op === 'remove';
	if (kind === 'gesprek') {
		if (field === 'themeIds') {
			if (add) board.gesprekken.addTheme(id, item);
			else board.gesprekken.removeTheme(id, item);
		} else if (add) board.gesprekken.addItem(id, field as GesprekListField, item);
		else board.gesprekken.removeItem(id, field as GesprekListField, item);
	} else if (kind === 'initiatief') {
		if (add) board.initiatieven.addItem(id, field as InitiatiefListField, item);
		else board.initiatieven.removeItem(id, field as InitiatiefListField, item);
	}
}

/** Whether the item a 'delete' entry is about exists again (restored here or elsewhere). */
export function isBack(board: Board, entry: HistoryEntry): boolean {
	const collection = {
		gesprek: board.gesprekken,
		initiatief: board.initiatieven,
		notitie: board.notities,
		thema: board.themas
	}[entry.kind];
	return collection.get(entry.entityId) !== null;
}

/**
 * The deleted items of a list of 'delete' entries (newest first) that are still gone: the newest
 * entry per item, none for an item that exists again.
 */
export function stillDeleted(board: Board, entries: readonly HistoryEntry[]): HistoryEntry[] {
	const seen = new Set<string>();
	return entries.filter((e) => {
		if (e.op !== 'delete' || seen.has(e.entityId)) return false;
		seen.add(e.entityId);
		return !isBack(board, e);
	});
}

/** The filled fields of a consent record (partly filled counts), or null when none is. */
function filledConsent(value: unknown): ConsentPatch | null {
	if (!value || typeof value !== 'object') return null;
	const { recordedBy, date, withdrawn } = value as Record<string, unknown>;
	const patch: ConsentPatch = {};
	if (typeof recordedBy === 'string' && recordedBy.trim()) patch.recordedBy = recordedBy;
	if (typeof date === 'string' && date) patch.date = date;
	if (withdrawn === true) patch.withdrawn = true;
	return Object.keys(patch).length > 0 ? patch : null;
}

/**
 * Recreates a deleted item from its last fields (the history's 'delete' entry) under its own id, so
 * its history goes on: a new change that syncs and can be undone (undo deletes it again), in one
 * step. A gesprek also gets back what this tab last showed of it (`departed`): its shared notes
 * (the history never holds notes text), as the form held them when it went, and its consent as far
 * as it was filled in (the history's, else the form's). Confidential notes live in the
 * organisation's document and go with the gesprek: they do not come back (GoneNotice says so).
 * Returns the item's id. Throws when it exists again.
 */
export function restoreDeleted(board: Board, entry: HistoryEntry): string {
	if (isBack(board, entry)) throw new Error('This item has been restored already');
	const last = (entry.oldValue ?? {}) as Record<string, unknown>;
	const pick = (keys: readonly string[]) =>
		Object.fromEntries(keys.filter((k) => last[k] !== undefined).map((k) => [k, last[k]]));
	const id = entry.entityId;
	switch (entry.kind) {
		case 'gesprek': {
			const seen = board.gesprekken.departed(id);
			const consent = filledConsent(last.consent) ?? filledConsent(seen?.consent);
			const input = {
				...pick(['addressId', 'date', 'round', 'heldBy', 'outcome', 'themeIds']),
				...pick(GESPREK_LISTS),
				followUps: Array.isArray(last.followUps)
					? (last.followUps as Record<string, unknown>[]).map((f) => ({
							what: f.what,
							who: f.who,
							due: f.due,
							status: f.status
						}))
					: [],
				consent: null,
				// A confidential gesprek's shared notes are empty (its notes are its organisation's).
				notes: seen && !seen.confidential ? seen.notes : ''
			} as NewGesprek;
			// One transaction: one undo step, and nobody sees the gesprek without its consent.
			transactLocal(board.doc, () => {
				board.gesprekken.add(input, null, { id });
				if (consent) board.gesprekken.patchConsent(id, consent);
			});
			return id;
		}
		case 'initiatief':
			return board.initiatieven.add(
				pick([...INITIATIEF_VALUES, 'themeIds', 'addressIds']) as NewInitiatief,
				{ id }
			).id;
		case 'notitie':
			return board.notities.add(pick(NOTITIE_VALUES) as NewNotitie, { id }).id;
		case 'thema':
			// Themes are archived or merged, never deleted; kept for completeness.
			return board.themas.add({
				name: String(last.name ?? ''),
				colour: String(last.colour ?? '#888888'),
				description: String(last.description ?? '')
			}).id;
	}
}
