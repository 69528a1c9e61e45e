import * as Y from 'yjs';
import { TOP_LEVEL } from '../../board/layout';
import { ORG_NOTES } from '../../board/org-notes';

/** The kinds of board items whose history is kept. */
export const HISTORY_KINDS = ['gesprek', 'initiatief', 'notitie', 'thema'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];
export type HistoryOp = 'set' | 'add' | 'remove' | 'text' | 'create' | 'delete';

export function isHistoryKind(value: unknown): value is HistoryKind {
	return typeof value === 'string' && (HISTORY_KINDS as readonly string[]).includes(value);
}

const TOP_OF: Record<HistoryKind, string> = {
	gesprek: TOP_LEVEL.gesprekken,
	initiatief: TOP_LEVEL.initiatieven,
	notitie: TOP_LEVEL.notities,
	thema: TOP_LEVEL.themas
};

/** One field-level change, as stored in public.item_history. */
export interface HistoryChange {
	kind: HistoryKind;
	entityId: string;
	/** The field ('heldBy', 'consent.withdrawn', 'followUps.status'); null for create/delete. */
	field: string | null;
	op: HistoryOp;
	oldValue: unknown;
	newValue: unknown;
}

/**
 * The field-level changes a transaction made to a board document's items. Call it inside
 * afterTransaction (the deleted content is still readable then). Free text (a gesprek's notes, an
 * initiatief's description) is recorded as changed, without its text. A deleted item keeps its
 * last fields as old value (so it can be restored), its notes left out (a description kept).
 */
export function extractBoardChanges(transaction: Y.Transaction): HistoryChange[] {
	const changes: HistoryChange[] = [];
	for (const kind of HISTORY_KINDS) {
		const top = transaction.doc.share.get(TOP_OF[kind]);
		if (!top) continue;
		const events = transaction.changedParentTypes.get(top);
		if (!events) continue;
		const created = new Set<string>();
		const textChanged = new Set<string>();
		for (const event of events) {
			if (event.target === top) {
				for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
					if (change.action === 'add') {
						created.add(key);
						changes.push(entry(kind, key, null, 'create', null, null));
					} else if (change.action === 'delete') {
						changes.push(entry(kind, key, null, 'delete', deletedJson(change.oldValue), null));
					}
				}
			}
		}
		for (const event of events) {
			if (event.target === top) continue;
			const path = pathBelow(event.target, top);
			if (!path || created.has(path.entityId)) continue;
			const { entityId, keys } = path;
			if (event.target instanceof Y.Text) {
				const field = keys.join('.') || 'notes';
				if (!textChanged.has(`${entityId}/${field}`)) {
					textChanged.add(`${entityId}/${field}`);
					changes.push(entry(kind, entityId, field, 'text', null, null));
				}
				continue;
			}
			if (event.target instanceof Y.Array) {
				const field = keys.join('.');
				const { added, deleted } = event.changes;
				for (const item of added) {
					for (const v of item.content.getContent()) {
						changes.push(entry(kind, entityId, field, 'add', null, jsonOf(v)));
					}
				}
				for (const item of deleted) {
					for (const v of item.content.getContent()) {
						changes.push(entry(kind, entityId, field, 'remove', deletedJson(v), null));
					}
				}
				continue;
			}
			if (event.target instanceof Y.Map) {
				const target = event.target as Y.Map<unknown>;
				for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
					const field = [...keys, key].join('.');
					const oldValue = change.action === 'add' ? null : deletedJson(change.oldValue);
					const current = change.action === 'delete' ? null : target.get(key);
					if (current instanceof Y.Text || change.oldValue instanceof Y.Text) {
						changes.push(entry(kind, entityId, field, 'text', null, null));
						continue;
					}
					const newValue = jsonOf(current);
					// Set and set back in one transaction (a move the consent rule does not take: the
					// client's value and the server's own change putting the old one back) changed
					// nothing: the history shows no "A → A".
					if (change.action === 'update' && sameJson(oldValue, newValue)) continue;
					changes.push(entry(kind, entityId, field, 'set', oldValue, newValue));
				}
			}
		}
	}
	return changes;
}

/** Which gesprekken's confidential notes a transaction on an organisation document changed. */
export function extractOrgNoteChanges(transaction: Y.Transaction): HistoryChange[] {
	const top = transaction.doc.share.get(ORG_NOTES);
	if (!top) return [];
	const ids = new Set<string>();
	for (const event of transaction.changedParentTypes.get(top) ?? []) {
		if (event.target === top) {
			for (const key of (event as Y.YMapEvent<unknown>).changes.keys.keys()) ids.add(key);
			continue;
		}
		const path = pathBelow(event.target, top);
		if (path) ids.add(path.entityId);
	}
	return [...ids].map((id) => entry('gesprek', id, 'notes', 'text', null, null));
}

/** Whether two JSON values are equal (objects key by key, arrays in order). */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	if (ka.length !== kb.length) return false;
	return ka.every(
		(k) =>
			Object.prototype.hasOwnProperty.call(b, k) &&
			sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
	);
}

function entry(
	kind: HistoryKind,
	entityId: string,
	field: string | null,
	op: HistoryOp,
	oldValue: unknown,
	newValue: unknown
): HistoryChange {
	return { kind, entityId, field, op, oldValue, newValue };
}

/** The entity id under `top` and the field keys from the entity down to `type` (array indices left out). */
/** A shared type as Yjs keys its changed types. */
type AnyType = Y.Transaction['changedParentTypes'] extends Map<infer K, unknown> ? K : never;

function pathBelow(type: AnyType, top: AnyType): { entityId: string; keys: string[] } | null {
	const keys: string[] = [];
	let cur = type;
	while (cur._item) {
		const parent = cur._item.parent;
		if (!(parent instanceof Y.AbstractType)) return null;
		if (parent === top) {
			const entityId = cur._item.parentSub;
			return entityId === null ? null : { entityId, keys: keys.reverse() };
		}
		if (cur._item.parentSub !== null) keys.push(cur._item.parentSub);
		cur = parent as AnyType;
	}
	return null;
}

/** A live value as JSON; free text as null (history never holds it). */
function jsonOf(value: unknown): unknown {
	if (value instanceof Y.Text) return null;
	if (value instanceof Y.AbstractType) return value.toJSON() as unknown;
	return value ?? null;
}

/** Free-text fields whose text a deleted item's last fields keep (never the notes). */
const KEPT_TEXT = new Set(['description']);

/** The text of a Y.Text just deleted (its characters not deleted before this transaction). */
function deletedText(text: Y.Text): string {
	let out = '';
	for (let item = text._start; item !== null; item = item.right) {
		if (item.content instanceof Y.ContentString) out += item.content.str;
	}
	return out;
}

/**
 * A value just deleted in this transaction, as JSON. A deleted Y.Map or Y.Array has its own
 * children deleted too (toJSON shows nothing), so its items are read directly: those not deleted
 * before this transaction (their content is gone after garbage collection). Free text is left out.
 */
function deletedJson(value: unknown): unknown {
	if (value instanceof Y.Text) return null;
	if (value instanceof Y.Map) {
		const out: Record<string, unknown> = {};
		for (const [key, item] of (value as Y.Map<unknown>)._map) {
			if (item.content instanceof Y.ContentDeleted) continue;
			const content = item.content.getContent();
			const last: unknown = content[content.length - 1];
			if (last instanceof Y.Text) {
				// An initiatief's description is public text, kept so a deleted one can be restored.
				if (KEPT_TEXT.has(key)) out[key] = deletedText(last);
				continue;
			}
			out[key] = deletedJson(last);
		}
		return out;
	}
	if (value instanceof Y.Array) {
		const out: unknown[] = [];
		for (let item = value._start; item !== null; item = item.right) {
			if (!item.countable || item.content instanceof Y.ContentDeleted) continue;
			for (const v of item.content.getContent()) out.push(deletedJson(v));
		}
		return out;
	}
	return value ?? null;
}
