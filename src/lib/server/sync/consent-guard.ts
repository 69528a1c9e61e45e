import * as Y from 'yjs';
import {
	gesprekkenMap,
	holdsPersonalData,
	withdrawnAddresses,
	withdrawnNow
} from '../../board/gesprekken';
import { GESPREK_PERSONAL_FIELDS, TOP_LEVEL, type RecordShape } from '../../board/layout';
import type { NotTaken } from '../../collab/not-taken';
import { UpdateRefusal, type TakenPart } from './hooks';
import { serverCopy } from './repair';
import { validateBoardUpdate, type UpdateAuthor, type UpdateFacts } from './validate';

/**
 * Withdrawn consent on the sync server: nothing personal (GESPREK_PERSONAL_FIELDS: themes,
 * talents, wishes, worries, follow-ups, notes) is added to a household that withdrew its consent,
 * whatever the client. The board's commands refuse such writes (gesprekken.ts), but a modified
 * client, or a tab that was offline when a colleague withdrew the consent, can still send them.
 *
 * The rule looks at the document as it is AFTER the update: an update that withdraws and adds data
 * at once adds none; one that restores the consent (withdrawn false on every gesprek of the
 * household) may add data. Deleting stays possible, and so does setting the consent record itself.
 * A gesprek does not change address away from a withdrawn household (its data would escape the
 * erasure), nor into one while it holds personal data: such a move gets its old address back.
 *
 * What is refused is taken back as repair.ts takes back what breaks the layout: the whole update is
 * applied together with a change of the server's own that deletes the new personal items (and puts
 * back the previous value of a follow-up's field), in one transaction, so other clients and storage
 * never get their content; the sender is told which fields were not taken (reason 'withdrawn').
 */

/**
 * Checks a valid board update (its `facts` from validateBoardUpdate) against the rule. Returns
 * null when it may be applied as it is, else the part to apply instead. Working out the document
 * after the update costs a copy of it, so it is done only when the update writes personal data
 * into a gesprek whose household is (or may become) withdrawn, and only while the connection may
 * have its update repaired (`mayRepair`); beyond that such an update is refused (UpdateRefusal).
 */
export function guardWithdrawn(
	update: Uint8Array,
	doc: Y.Doc,
	facts: UpdateFacts,
	mayRepair: () => boolean,
	layout: Readonly<Record<string, RecordShape>>,
	author?: UpdateAuthor
): TakenPart | null {
	if (!mayConcernWithdrawn(doc, facts)) return null;
	if (!mayRepair()) {
		throw new UpdateRefusal('personal data for a household that withdrew its consent');
	}
	const back = takeBackWithdrawn(doc, update);
	if (!back) return null;
	const merged = Y.mergeUpdates([update, back.repair]);
	// The merge must still fit the layout (it does: the repair only deletes, and puts back values
	// the document had); if not, the update is refused as a whole.
	validateBoardUpdate(merged, doc, layout, author);
	return { update: merged, notTaken: back.notTaken };
}

/**
 * Whether the update may write personal data into a withdrawn household: it writes into some
 * gesprek's personal fields, and that gesprek's household is withdrawn now, or the update withdraws
 * some household or moves a gesprek to another address (then only the document after it can say).
 */
function mayConcernWithdrawn(doc: Y.Doc, facts: UpdateFacts): boolean {
	if (facts.moved.size > 0 && movesConcernWithdrawn(doc, facts)) return true;
	if (facts.personal.size === 0) return false;
	if (facts.withdraws || facts.moves) return true;
	const withdrawn = withdrawnNow(doc);
	for (const [gesprek, { addresses }] of facts.personal) {
		const type = gesprek.content instanceof Y.ContentType ? gesprek.content.type : null;
		if (type instanceof Y.Map && type.doc) {
			const address: unknown = type.get('addressId');
			if (typeof address === 'string' && withdrawn.has(address)) return true;
		} else if (addresses.length === 0 || addresses.some((a) => withdrawn.has(a))) {
			// A new gesprek: the address the update gives it (none named: look at the result).
			return true;
		}
	}
	return false;
}

/**
 * Whether a move may leave or enter a withdrawn household: one of the moved gesprekken sits at a
 * withdrawn household's address now or is moved to one, or the update withdraws some household.
 */
function movesConcernWithdrawn(doc: Y.Doc, facts: UpdateFacts): boolean {
	if (facts.withdraws) return true;
	const withdrawn = withdrawnNow(doc);
	if (withdrawn.size === 0) return false;
	for (const [gesprek, to] of facts.moved) {
		const type = gesprek.content instanceof Y.ContentType ? gesprek.content.type : null;
		const from: unknown = type instanceof Y.Map ? type.get('addressId') : null;
		if (typeof from === 'string' && withdrawn.has(from)) return true;
		if (to.some((a) => withdrawn.has(a))) return true;
	}
	return false;
}

const PERSONAL: readonly string[] = GESPREK_PERSONAL_FIELDS;

/**
 * Applies the update to a copy of the document and, in one change of the server's own there,
 * deletes every new item in the personal fields of the gesprekken of households withdrawn after
 * it (a new value of an existing follow-up's field gets the previous value back). Returns that
 * change (V1) and what it did not take; null when there is nothing to take back.
 */
export function takeBackWithdrawn(
	doc: Y.Doc,
	update: Uint8Array
): { repair: Uint8Array; notTaken: NotTaken[] } | null {
	// The server's own change, with a low client id (repair.ts).
	const copy = serverCopy(doc);
	let touched = new Set<string>();
	let before = new Map<number, number>();
	const onTransaction = (tr: Y.Transaction) => {
		before = tr.beforeState;
		touched = touchedGesprekken(tr);
	};
	copy.on('afterTransaction', onTransaction);
	Y.applyUpdate(copy, update);
	copy.off('afterTransaction', onTransaction);

	const isNew = (item: Y.Item) => item.id.clock >= (before.get(item.id.client) ?? 0);
	const notTaken: NotTaken[] = [];
	let repair: Uint8Array | null = null;
	const onUpdate = (u: Uint8Array) => (repair = u);
	copy.on('update', onUpdate);
	copy.transact((tr) => {
		// Moves first: a refused one puts the gesprek back where it was, and what counts as its
		// household for the personal fields below is that address.
		for (const id of refusedMoves(doc, copy, touched)) {
			gesprekkenMap(copy).get(id)!.set('addressId', gesprekkenMap(doc).get(id)!.get('addressId'));
			notTaken.push({ path: [TOP_LEVEL.gesprekken, id, 'addressId'], reason: 'withdrawn' });
		}
		const withdrawn = withdrawnAddresses(copy);
		for (const id of touched) {
			const fields = gesprekkenMap(copy).get(id);
			const address: unknown = fields?.get('addressId');
			if (!fields || typeof address !== 'string' || !withdrawn.has(address)) continue;
			for (const field of PERSONAL) {
				const item = (fields as unknown as Y.AbstractType<unknown>)._map.get(field);
				if (!item || item.deleted || !(item.content instanceof Y.ContentType)) continue;
				const type = item.content.type as Y.AbstractType<unknown>;
				if (dropNew(tr, type, isNew(item) ? () => true : isNew, doc)) {
					notTaken.push({ path: [TOP_LEVEL.gesprekken, id, field], reason: 'withdrawn' });
				}
			}
		}
	});
	copy.off('update', onUpdate);
	copy.destroy();
	if (!repair || notTaken.length === 0) return null;
	return { repair, notTaken };
}

/**
 * The gesprekken among `touched` whose move (their address in `copy`, after the update, differs
 * from the one in the live `doc`) is refused: away from a household that is withdrawn after the
 * update (its personal data would escape the erasure), or into one while the gesprek holds
 * personal data. "After the update" counts each moved gesprek at its old address: moving a
 * withdrawn gesprek away does not take its withdrawal with it, and an update that restores the
 * household's consent (on every gesprek) may move.
 */
function refusedMoves(doc: Y.Doc, copy: Y.Doc, touched: Set<string>): string[] {
	const from = new Map<string, string>();
	for (const id of touched) {
		const old: unknown = gesprekkenMap(doc).get(id)?.get('addressId');
		const now: unknown = gesprekkenMap(copy).get(id)?.get('addressId');
		if (typeof old === 'string' && typeof now === 'string' && old !== now) from.set(id, old);
	}
	if (from.size === 0) return [];
	const withdrawn = new Set<string>();
	for (const [id, fields] of gesprekkenMap(copy).entries()) {
		const consent = fields.get('consent');
		const address = from.get(id) ?? fields.get('addressId');
		if (
			typeof address === 'string' &&
			consent instanceof Y.Map &&
			consent.get('withdrawn') === true
		)
			withdrawn.add(address);
	}
	return [...from].flatMap(([id, old]) => {
		const fields = gesprekkenMap(copy).get(id)!;
		const to = fields.get('addressId') as string;
		const refused = withdrawn.has(old) || (withdrawn.has(to) && holdsPersonalData(fields));
		return refused ? [id] : [];
	});
}

/** The ids of the gesprekken a transaction changed anything in (or added). */
function touchedGesprekken(tr: Y.Transaction): Set<string> {
	const out = new Set<string>();
	const top = tr.doc.share.get(TOP_LEVEL.gesprekken);
	if (!top) return out;
	for (const [type, keys] of tr.changed) {
		if (type === top) {
			for (const key of keys) if (key !== null) out.add(key);
			continue;
		}
		// Up to the gesprek: the type whose holder sits in the top-level map.
		for (
			let item: Y.Item | null = type._item;
			item;
			item = (item.parent as Y.AbstractType<unknown>)._item
		) {
			if (item.parent === top) {
				if (item.parentSub !== null) out.add(item.parentSub);
				break;
			}
		}
	}
	return out;
}

/**
 * Deletes the new items (`isNew`) of a list or text, and the new values of the fields of its
 * maps that are not new themselves (a follow-up's status set on a withdrawn household), putting
 * back their value in the `live` document. Whether it deleted anything.
 */
function dropNew(
	tr: Y.Transaction,
	type: Y.AbstractType<unknown>,
	isNew: (item: Y.Item) => boolean,
	live: Y.Doc
): boolean {
	let any = false;
	for (let item = type._start; item; item = item.right) {
		if (item.deleted) continue;
		if (isNew(item)) {
			item.delete(tr);
			any = true;
		} else if (item.content instanceof Y.ContentType && item.content.type instanceof Y.Map) {
			const map = item.content.type as Y.Map<unknown>;
			const old = liveType(live, item);
			for (const [key, entry] of (map as unknown as Y.AbstractType<unknown>)._map) {
				if (entry.deleted || !isNew(entry)) continue;
				entry.delete(tr);
				any = true;
				const previous = old?._map.get(key);
				if (previous && !previous.deleted) map.set(key, previous.content.getContent().at(-1));
			}
		}
	}
	return any;
}

/** The type `holder` (an item of the copy) holds, in the live document; null when it has none. */
function liveType(doc: Y.Doc, holder: Y.Item): Y.AbstractType<unknown> | null {
	const list = doc.store.clients.get(holder.id.client);
	if (!list || holder.id.clock >= Y.getState(doc.store, holder.id.client)) return null;
	const item = list[Y.findIndexSS(list, holder.id.clock)];
	return item instanceof Y.Item && item.content instanceof Y.ContentType
		? (item.content.type as Y.AbstractType<unknown>)
		: null;
}
