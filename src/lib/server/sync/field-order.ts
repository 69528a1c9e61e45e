import * as Y from 'yjs';

/**
 * The order of a field's items as Yjs integrates them, worked out without a document, for the
 * update check (validate.ts). Linear in the items (an update could otherwise cost the process
 * minutes: see "The check costs about what applying costs" in docs/architecture.md).
 */

type ID = Y.ID;

/** Ranges of clocks sorted by their start, overlapping and adjacent ones merged. */
export function mergeRanges(
	ranges: { clock: number; len: number }[]
): { clock: number; len: number }[] {
	const sorted = [...ranges].sort((a, b) => a.clock - b.clock);
	const merged: { clock: number; len: number }[] = [];
	for (const { clock, len } of sorted) {
		const last = merged.at(-1);
		if (last && clock <= last.clock + last.len) {
			last.len = Math.max(last.len, clock + len - last.clock);
		} else merged.push({ clock, len });
	}
	return merged;
}

export const contains = (item: Y.Item, id: ID | null) =>
	!!id &&
	id.client === item.id.client &&
	id.clock >= item.id.clock &&
	id.clock < item.id.clock + item.length;

/**
 * The rightmost item of a map field after integrating `items` (new, unordered) into `list` (the
 * field's items in the document, left to right), following Yjs's Item.integrate. Items whose
 * neighbours are in neither (pending, or elsewhere) are left out. Null for an empty field.
 */
export function fieldValueAfter(list: Y.Item[], items: Y.Item[]): Y.Item | null {
	// A linked order with its items indexed by id: finding a neighbour and inserting after it no
	// longer scan the whole order (an update that sets one field thousands of times, alternating
	// with another so that Yjs does not merge the values, blocked the process for minutes).
	const next = new Map<Y.Item, Y.Item | null>();
	const prev = new Map<Y.Item, Y.Item | null>();
	let first: Y.Item | null = list[0] ?? null;
	let last: Y.Item | null = null;
	for (const it of list) {
		prev.set(it, last);
		if (last) next.set(last, it);
		last = it;
	}
	if (last) next.set(last, null);
	const byClient = new Map<number, Y.Item[]>();
	for (const it of [...list, ...items]) {
		let own = byClient.get(it.id.client);
		if (!own) byClient.set(it.id.client, (own = []));
		own.push(it);
	}
	for (const own of byClient.values()) own.sort((a, b) => a.id.clock - b.id.clock);
	/** The item of the order that contains `id`; null when none does (yet). */
	const find = (id: ID | null): Y.Item | null => {
		const own = id && byClient.get(id.client);
		if (!own) return null;
		let lo = 0;
		let hi = own.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const it = own[mid]!;
			if (id.clock < it.id.clock) hi = mid - 1;
			else if (id.clock >= it.id.clock + it.length) lo = mid + 1;
			else return next.has(it) ? it : null;
		}
		return null;
	};
	const insertAfter = (left: Y.Item | null, item: Y.Item) => {
		const right = left ? next.get(left)! : first;
		prev.set(item, left);
		next.set(item, right);
		if (left) next.set(left, item);
		else first = item;
		if (right) prev.set(right, item);
		else last = item;
	};
	const inList = new Set(list);
	let waiting = items.filter((it) => !inList.has(it));
	for (let progress = true; progress && waiting.length > 0;) {
		progress = false;
		const later: Y.Item[] = [];
		for (const item of waiting) {
			const leftItem = find(item.origin);
			const rightItem = item.rightOrigin ? find(item.rightOrigin) : null;
			if ((item.origin && !leftItem) || (item.rightOrigin && !rightItem)) {
				later.push(item);
				continue;
			}
			progress = true;
			let left = leftItem;
			const before = new Set<Y.Item>();
			const conflicting = new Set<Y.Item>();
			for (let o = leftItem ? next.get(leftItem)! : first; o && o !== rightItem; o = next.get(o)!) {
				before.add(o);
				conflicting.add(o);
				const sameOrigin =
					(item.origin === null && o.origin === null) ||
					(!!item.origin && !!o.origin && Y.compareIDs(item.origin, o.origin));
				if (sameOrigin) {
					if (o.id.client < item.id.client) {
						left = o;
						conflicting.clear();
					} else if (Y.compareIDs(item.rightOrigin, o.rightOrigin)) {
						break;
					}
				} else {
					const originOf = o.origin ? find(o.origin) : null;
					if (originOf && before.has(originOf)) {
						if (!conflicting.has(originOf)) {
							left = o;
							conflicting.clear();
						}
					} else {
						break;
					}
				}
			}
			insertAfter(left, item);
		}
		waiting = later;
	}
	return last;
}
