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
	FOLLOW_UP_STATUSES,
	GESPREK_PERSONAL_FIELDS,
	GESPREK_SHAPE,
	LIMITS,
	OUTCOMES,
	TOP_LEVEL,
	idSchema,
	isoDateSchema,
	organisationIdSchema,
	type FollowUpStatus,
	type Outcome
} from './layout';
import { resolveThemaId, resolveThemaIds } from './themas';

/** A sociaal gesprek at an address. The free-text notes are personal data: professionals only. */
export interface Gesprek {
	id: string;
	addressId: string;
	date: string;
	round: number;
	heldBy: string;
	outcome: Outcome;
	/** Merges followed (see resolveThemaId). */
	themeIds: string[];
	talents: string[];
	wishes: string[];
	worries: string[];
	followUps: FollowUp[];
	consent: Consent;
	/** The shared notes; empty when `confidential` (those notes are in the organisation's document). */
	notes: string;
	/** The organisation whose members alone see the notes ("alleen mijn organisatie"), or null. */
	confidential: string | null;
	createdAt: string;
}
export interface FollowUp {
	id: string;
	what: string;
	who: string;
	due: string | null;
	status: FollowUpStatus;
}
export interface Consent {
	recordedBy: string | null;
	date: string | null;
	withdrawn: boolean;
}

export const LIST_FIELDS = ['themeIds', 'talents', 'wishes', 'worries'] as const;
export type GesprekListField = (typeof LIST_FIELDS)[number];

const trimmed = (max: number, what: string) =>
	z
		.string()
		.trim()
		.min(1, `${what} must not be empty`)
		.max(max, `${what} must be at most ${max} characters`);
const listItem = trimmed(LIMITS.listItem, 'item');
const list = (item: z.ZodType<string>) => z.array(item).max(LIMITS.listLength).default([]);
const followUpSchema = z.strictObject({
	what: trimmed(LIMITS.listItem, 'what'),
	who: z.string().trim().max(LIMITS.name).default(''),
	due: isoDateSchema.nullable().default(null),
	status: z.enum(FOLLOW_UP_STATUSES).default('open')
});
const consentSchema = z.strictObject({
	recordedBy: trimmed(LIMITS.name, 'recordedBy'),
	date: isoDateSchema,
	withdrawn: z.boolean().default(false)
});
const scalarFields = {
	addressId: idSchema,
	date: isoDateSchema,
	round: z.number().int('round must be a whole number').min(1, 'round must be 1 or more').max(99),
	heldBy: trimmed(LIMITS.name, 'heldBy'),
	outcome: z.enum(OUTCOMES)
};
const newGesprekSchema = z.strictObject({
	...scalarFields,
	round: scalarFields.round.default(1),
	themeIds: list(idSchema),
	talents: list(listItem),
	wishes: list(listItem),
	worries: list(listItem),
	followUps: z.array(followUpSchema).max(LIMITS.listLength).default([]),
	consent: consentSchema.nullable().default(null),
	notes: z.string().max(LIMITS.notes).default(''),
	/**
	 * The organisation whose confidential notes these are; the notes text then goes to that
	 * organisation's document (see org-notes.ts addConfidentialGesprek), never into this one.
	 */
	confidential: organisationIdSchema.nullable().default(null)
});
const gesprekPatchSchema = z.strictObject({
	addressId: scalarFields.addressId.optional(),
	date: scalarFields.date.optional(),
	round: scalarFields.round.optional(),
	heldBy: scalarFields.heldBy.optional(),
	outcome: scalarFields.outcome.optional(),
	themeIds: z.array(idSchema).max(LIMITS.listLength).optional(),
	talents: z.array(listItem).max(LIMITS.listLength).optional(),
	wishes: z.array(listItem).max(LIMITS.listLength).optional(),
	worries: z.array(listItem).max(LIMITS.listLength).optional()
});
const followUpPatchSchema = z.strictObject({
	what: followUpSchema.shape.what.optional(),
	who: z.string().trim().max(LIMITS.name).optional(),
	due: isoDateSchema.nullable().optional(),
	status: z.enum(FOLLOW_UP_STATUSES).optional()
});

export type NewGesprek = z.input<typeof newGesprekSchema>;
export type GesprekPatch = z.input<typeof gesprekPatchSchema>;
export type NewFollowUp = z.input<typeof followUpSchema>;
export type FollowUpPatch = z.input<typeof followUpPatchSchema>;
export type NewConsent = z.input<typeof consentSchema>;

export function gesprekkenMap(doc: Y.Doc): Y.Map<Fields> {
	return doc.getMap<Fields>(TOP_LEVEL.gesprekken);
}

function followUpMap(id: string, data: z.output<typeof followUpSchema>): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('id', id);
	for (const [key, value] of Object.entries(data)) m.set(key, value);
	return m;
}

/** `id`: to restore a deleted gesprek under its own id (restore.ts); new otherwise. */
export function addGesprek(doc: Y.Doc, input: NewGesprek, { id = newId() } = {}): Gesprek {
	const data = parse(newGesprekSchema, input, 'gesprek');
	if (data.confidential && data.notes) {
		throw new BoardInputError(
			"Confidential notes belong in the organisation's document, not the shared board",
			'notes'
		);
	}
	parse(idSchema, id, 'id');
	const personal = GESPREK_PERSONAL_FIELDS.find((key) => data[key].length > 0);
	if (personal && withdrawnNow(doc).has(data.addressId)) throw withdrawnError(personal);
	transactLocal(doc, () => {
		const fields = new Y.Map<unknown>();
		fields.set('addressId', data.addressId);
		fields.set('date', data.date);
		fields.set('round', data.round);
		fields.set('heldBy', data.heldBy);
		fields.set('outcome', data.outcome);
		for (const key of LIST_FIELDS) fields.set(key, stringArray(data[key]));
		const followUps = new Y.Array<Y.Map<unknown>>();
		followUps.push(data.followUps.map((f) => followUpMap(newId(), f)));
		fields.set('followUps', followUps);
		const consent = new Y.Map<unknown>();
		consent.set('recordedBy', data.consent?.recordedBy ?? null);
		consent.set('date', data.consent?.date ?? null);
		consent.set('withdrawn', data.consent?.withdrawn ?? false);
		fields.set('consent', consent);
		fields.set('notes', new Y.Text(data.notes));
		if (data.confidential) fields.set('confidential', data.confidential);
		fields.set('createdAt', new Date().toISOString());
		gesprekkenMap(doc).set(id, fields);
	});
	return getGesprek(doc, id)!;
}

export function getGesprek(doc: Y.Doc, id: string): Gesprek | null {
	const g = readEntity<Gesprek>(GESPREK_SHAPE, id, gesprekkenMap(doc).get(id));
	if (g) {
		g.themeIds = resolveThemaIds(doc, g.themeIds);
		g.confidential ??= null;
		// Whatever reached the shared text of a confidential gesprek is not shown as its notes.
		if (g.confidential) g.notes = '';
	}
	return g;
}

/** Gesprekken, oldest first; with `addressId`, that household's history. */
export function listGesprekken(doc: Y.Doc, { addressId }: { addressId?: string } = {}): Gesprek[] {
	const list: Gesprek[] = [];
	for (const [id, fields] of gesprekkenMap(doc).entries()) {
		if (addressId !== undefined && fields.get('addressId') !== addressId) continue;
		const g = getGesprek(doc, id);
		if (g) list.push(g);
	}
	return list.sort(byCreation);
}

/** Changes the given fields only; lists are set by diff, keeping what others added meanwhile. */
export function updateGesprek(doc: Y.Doc, id: string, patch: GesprekPatch): Gesprek {
	const data = parse(gesprekPatchSchema, patch, 'gesprek change');
	const fields = requireEntity(gesprekkenMap(doc), id, 'gesprek');
	for (const key of LIST_FIELDS) {
		const value = data[key];
		if (!value) continue;
		const current = listOf(fields, key).toArray();
		if (value.some((item) => !current.includes(item))) requireConsent(doc, fields, key);
	}
	if (data.addressId !== undefined && data.addressId !== fields.get('addressId')) {
		requireMayMove(doc, fields, data.addressId, data);
	}
	transactLocal(doc, () => {
		for (const key of ['addressId', 'date', 'round', 'heldBy', 'outcome'] as const) {
			const value = data[key];
			if (value !== undefined && fields.get(key) !== value) fields.set(key, value);
		}
		for (const key of LIST_FIELDS) {
			const value = data[key];
			if (value !== undefined) setStringList(listOf(fields, key), value);
		}
	});
	return getGesprek(doc, id)!;
}

function listOf(fields: Fields, key: string): Y.Array<string> {
	const arr = fields.get(key);
	if (!(arr instanceof Y.Array)) throw new BoardInputError(`The gesprek has no list ${key}`, key);
	return arr as Y.Array<string>;
}

/** Adds one item to a list field (no-op when it is there already). */
export function addToGesprekList(
	doc: Y.Doc,
	id: string,
	field: GesprekListField,
	item: string
): Gesprek {
	const value = parse(field === 'themeIds' ? idSchema : listItem, item, field);
	const fields = requireEntity(gesprekkenMap(doc), id, 'gesprek');
	requireConsent(doc, fields, field);
	const arr = listOf(fields, field);
	const present =
		field === 'themeIds'
			? arr.toArray().some((t) => resolveThemaId(doc, t) === resolveThemaId(doc, value))
			: arr.toArray().includes(value);
	if (!present) {
		if (arr.length >= LIMITS.listLength)
			throw new BoardInputError(`${field}: at most ${LIMITS.listLength} items`, field);
		transactLocal(doc, () => arr.push([value]));
	}
	return getGesprek(doc, id)!;
}

export function removeFromGesprekList(
	doc: Y.Doc,
	id: string,
	field: GesprekListField,
	item: string
): Gesprek {
	const arr = listOf(requireEntity(gesprekkenMap(doc), id, 'gesprek'), field);
	// A theme is shown by what it resolves to (merges followed): remove every link that shows as it.
	const matches =
		field === 'themeIds'
			? (t: string) => resolveThemaId(doc, t) === resolveThemaId(doc, item)
			: (t: string) => t === item;
	const items = arr.toArray();
	if (items.some(matches)) {
		transactLocal(doc, () => {
			for (let i = items.length - 1; i >= 0; i--) if (matches(items[i]!)) arr.delete(i, 1);
		});
	}
	return getGesprek(doc, id)!;
}

function followUps(doc: Y.Doc, id: string): Y.Array<Y.Map<unknown>> {
	const arr = requireEntity(gesprekkenMap(doc), id, 'gesprek').get('followUps');
	if (!(arr instanceof Y.Array)) throw new BoardInputError('The gesprek has no follow-ups list');
	return arr as Y.Array<Y.Map<unknown>>;
}

function followUpIndex(arr: Y.Array<Y.Map<unknown>>, followUpId: string): number {
	const index = arr.toArray().findIndex((m) => m.get('id') === followUpId);
	if (index < 0)
		throw new BoardInputError(`No follow-up with id ${JSON.stringify(followUpId)}`, 'followUps');
	return index;
}

export function addFollowUp(doc: Y.Doc, gesprekId: string, input: NewFollowUp): FollowUp {
	const data = parse(followUpSchema, input, 'follow-up');
	requireConsent(doc, requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek'), 'followUps');
	const arr = followUps(doc, gesprekId);
	if (arr.length >= LIMITS.listLength)
		throw new BoardInputError(`followUps: at most ${LIMITS.listLength} items`, 'followUps');
	const followUp: FollowUp = { id: newId(), ...data };
	transactLocal(doc, () => arr.push([followUpMap(followUp.id, data)]));
	return followUp;
}

export function updateFollowUp(
	doc: Y.Doc,
	gesprekId: string,
	followUpId: string,
	patch: FollowUpPatch
): FollowUp {
	const data = parse(followUpPatchSchema, patch, 'follow-up change');
	requireConsent(doc, requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek'), 'followUps');
	const arr = followUps(doc, gesprekId);
	const m = arr.get(followUpIndex(arr, followUpId));
	transactLocal(doc, () => {
		for (const [key, value] of Object.entries(data)) {
			if (value !== undefined && m.get(key) !== value) m.set(key, value);
		}
	});
	return m.toJSON() as FollowUp;
}

export function removeFollowUp(doc: Y.Doc, gesprekId: string, followUpId: string): void {
	const arr = followUps(doc, gesprekId);
	followUpIndex(arr, followUpId);
	// Every copy of it (two undos of one removal can bring it back twice).
	transactLocal(doc, () => {
		const items = arr.toArray();
		for (let i = items.length - 1; i >= 0; i--) {
			if (items[i]!.get('id') === followUpId) arr.delete(i, 1);
		}
	});
}

/** Records consent (or its withdrawal). */
export function setConsent(doc: Y.Doc, gesprekId: string, input: NewConsent): Consent {
	const data = parse(consentSchema, input, 'consent');
	const consent = requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek').get('consent');
	if (!(consent instanceof Y.Map)) throw new BoardInputError('The gesprek has no consent record');
	transactLocal(doc, () => {
		for (const [key, value] of Object.entries(data)) {
			if (consent.get(key) !== value) consent.set(key, value);
		}
	});
	return consent.toJSON() as Consent;
}

const consentPatchSchema = z.strictObject({
	/** Empty clears it. */
	recordedBy: z
		.string()
		.trim()
		.max(LIMITS.name)
		.transform((v) => v || null)
		.optional(),
	date: isoDateSchema.nullable().optional(),
	withdrawn: z.boolean().optional()
});
export type ConsentPatch = z.input<typeof consentPatchSchema>;

/** Changes single fields of the consent record (each form field writes only its own). */
export function patchConsent(doc: Y.Doc, gesprekId: string, patch: ConsentPatch): Consent {
	const data = parse(consentPatchSchema, patch, 'consent change');
	const consent = requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek').get('consent');
	if (!(consent instanceof Y.Map)) throw new BoardInputError('The gesprek has no consent record');
	const changed = Object.entries(data).filter(([k, v]) => v !== undefined && consent.get(k) !== v);
	if (changed.length) transactLocal(doc, () => changed.forEach(([k, v]) => consent.set(k, v)));
	return consent.toJSON() as Consent;
}

/**
 * The notes as a Y.Text, for binding an editor. Edits through a binding must be made with
 * `localOrigin(doc)` as origin (or that binding's origin added to the undo manager).
 */
export function gesprekNotes(doc: Y.Doc, gesprekId: string): Y.Text {
	const text = requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek').get('notes');
	if (!(text instanceof Y.Text)) throw new BoardInputError('The gesprek has no notes', 'notes');
	return text;
}

/** Inserts text into the notes at `index` (clamped); concurrent typing by others is kept. */
export function insertNotes(doc: Y.Doc, gesprekId: string, index: number, text: string): void {
	if (typeof gesprekkenMap(doc).get(gesprekId)?.get('confidential') === 'string') {
		throw new BoardInputError('The notes of this gesprek are confidential', 'notes');
	}
	requireConsent(doc, requireEntity(gesprekkenMap(doc), gesprekId, 'gesprek'), 'notes');
	const notes = gesprekNotes(doc, gesprekId);
	if (notes.length + text.length > LIMITS.notes)
		throw new BoardInputError(`notes: at most ${LIMITS.notes} characters`, 'notes');
	const at = Math.max(0, Math.min(Math.trunc(index), notes.length));
	transactLocal(doc, () => notes.insert(at, text));
}

export function deleteNotes(doc: Y.Doc, gesprekId: string, index: number, length: number): void {
	const notes = gesprekNotes(doc, gesprekId);
	const at = Math.max(0, Math.min(Math.trunc(index), notes.length));
	const len = Math.max(0, Math.min(Math.trunc(length), notes.length - at));
	if (len > 0) transactLocal(doc, () => notes.delete(at, len));
}

export function removeGesprek(doc: Y.Doc, id: string): boolean {
	const map = gesprekkenMap(doc);
	if (!map.has(id)) return false;
	transactLocal(doc, () => map.delete(id));
	return true;
}

/**
 * Whether the household at an address withdrew its consent: any of its gesprekken says so (as the
 * analysis counts it, see analysis/types.ts withdrawnHouseholds). Its data is then erased, by an
 * owner or automatically after the grace period (server/consent.ts); until then nothing personal
 * is added to it.
 */
export function householdWithdrawn(doc: Y.Doc, addressId: string): boolean {
	for (const fields of gesprekkenMap(doc).values()) {
		if (fields.get('addressId') !== addressId) continue;
		const consent = fields.get('consent');
		if (consent instanceof Y.Map && consent.get('withdrawn') === true) return true;
	}
	return false;
}

/** The addresses whose household withdrew its consent. */
export function withdrawnAddresses(doc: Y.Doc): Set<string> {
	const out = new Set<string>();
	for (const fields of gesprekkenMap(doc).values()) {
		const consent = fields.get('consent');
		const addressId = fields.get('addressId');
		if (
			typeof addressId === 'string' &&
			consent instanceof Y.Map &&
			consent.get('withdrawn') === true
		)
			out.add(addressId);
	}
	return out;
}

/** What a command that would add personal data to a household that withdrew its consent throws. */
export const WITHDRAWN_MESSAGE = 'The household withdrew its consent: nothing personal is recorded';

/** What updateGesprek throws when asked to move a gesprek away from a withdrawn household. */
export const MOVE_WITHDRAWN_MESSAGE =
	'The household withdrew its consent: its gesprekken stay at its address until they are erased or the consent is restored';

function withdrawnError(field: string): BoardInputError {
	return new BoardInputError(WITHDRAWN_MESSAGE, field);
}

const withdrawnCache = new WeakMap<Y.Doc, Set<string>>();
const watched = new WeakSet<Y.Doc>();

/**
 * withdrawnAddresses of a live document, for the commands and the sync server's consent rule
 * (consent-guard.ts): read again only after a transaction that may change them (gesprekken added
 * or deleted, an address or a consent record changed), so that neither 10,000 gesprekken added in
 * one transaction nor every keystroke in a gesprek's notes reads the board through. Within a
 * transaction it does not see a withdrawal made in that same transaction.
 */
export function withdrawnNow(doc: Y.Doc): Set<string> {
	let set = withdrawnCache.get(doc);
	if (set) return set;
	set = withdrawnAddresses(doc);
	withdrawnCache.set(doc, set);
	if (!watched.has(doc)) {
		watched.add(doc);
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			if (withdrawnCache.has(doc) && mayChangeWithdrawn(tr)) withdrawnCache.delete(doc);
		});
	}
	return set;
}

function mayChangeWithdrawn(tr: Y.Transaction): boolean {
	const top = tr.doc.share.get(TOP_LEVEL.gesprekken);
	if (!top) return false;
	for (const [type, keys] of tr.changed) {
		if (type === top) return true;
		const holder: Y.Item | null = type._item;
		if (!holder) continue;
		if (holder.parent === top && (keys.has('addressId') || keys.has('consent'))) return true;
		if (holder.parentSub === 'consent') return true;
	}
	return false;
}

/**
 * Whether a gesprek holds any of the household's personal data: a non-empty personal field
 * (GESPREK_PERSONAL_FIELDS), or notes confidential to an organisation (kept in its own document).
 * The sync server's consent rule asks the same (consent-guard.ts).
 */
export function holdsPersonalData(fields: Fields): boolean {
	if (typeof fields.get('confidential') === 'string') return true;
	return GESPREK_PERSONAL_FIELDS.some((key) => {
		const value = fields.get(key);
		return (value instanceof Y.Array || value instanceof Y.Text) && value.length > 0;
	});
}

/**
 * A gesprek changes address (updateGesprek). Refused when its household withdrew its consent: its
 * data would escape the erasure (restore the consent first). Refused as well into a withdrawn
 * household when the gesprek holds personal data (or the same patch adds some).
 */
function requireMayMove(doc: Y.Doc, fields: Fields, to: string, patch: GesprekPatch): void {
	const withdrawn = withdrawnNow(doc);
	const from = fields.get('addressId');
	if (typeof from === 'string' && withdrawn.has(from)) {
		throw new BoardInputError(MOVE_WITHDRAWN_MESSAGE, 'addressId');
	}
	const adds = LIST_FIELDS.some((key) => (patch[key]?.length ?? 0) > 0);
	if (withdrawn.has(to) && (adds || holdsPersonalData(fields))) throw withdrawnError('addressId');
}

/**
 * Whether the household of a gesprek withdrew its consent (false for a gesprek the document does
 * not hold: deleted, or not arrived yet). For the commands of org-notes.ts.
 */
export function gesprekWithdrawn(doc: Y.Doc, gesprekId: string): boolean {
	const addressId = gesprekkenMap(doc).get(gesprekId)?.get('addressId');
	return typeof addressId === 'string' && withdrawnNow(doc).has(addressId);
}

/** The error the commands throw for personal data about a household that withdrew its consent. */
export function consentWithdrawnError(field: string): BoardInputError {
	return withdrawnError(field);
}

/** Refuses to add personal data to a gesprek of a household that withdrew its consent. */
function requireConsent(doc: Y.Doc, fields: Fields, field: string): void {
	const addressId = fields.get('addressId');
	if (typeof addressId === 'string' && withdrawnNow(doc).has(addressId)) {
		throw withdrawnError(field);
	}
}

/**
 * Undoes a withdrawal (a misclick, within the grace period): the consent of every gesprek of the
 * household is no longer withdrawn, in one transaction (one undo step). The server then cancels
 * the automatic erasure. Returns how many gesprekken changed.
 */
export function restoreConsent(doc: Y.Doc, addressId: string): number {
	const changed: Y.Map<unknown>[] = [];
	for (const fields of gesprekkenMap(doc).values()) {
		const consent = fields.get('consent');
		if (
			fields.get('addressId') === addressId &&
			consent instanceof Y.Map &&
			consent.get('withdrawn') === true
		)
			changed.push(consent as Y.Map<unknown>);
	}
	if (changed.length) transactLocal(doc, () => changed.forEach((c) => c.set('withdrawn', false)));
	return changed.length;
}
