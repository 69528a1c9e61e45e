import type { PublicRound } from './projection';

/**
 * Differencing over time: a public page read before and after one more gesprek in a street would
 * show what that household said. So a street's round (a cell) is published anew only when at least
 * k households changed in it since its last publication (came, went, or heard other themes); until
 * then the last published numbers stay. Any two publications a reader can compare then differ by
 * k households or more, the same group size a single page protects.
 *
 * What a cell's last publication was computed from is kept as its basis: per household a key and
 * a value, both salted hashes (the key of the address and round, the value of the key and the
 * themes), never an address or a theme. A household that is no longer in the cell (an erasure, an
 * outcome changed) keeps only its key with the value REMOVED, so nothing of what it said stays in
 * the basis. Counting is never above the true number of changed households: a household that
 * returns to a cell whose value was removed counts as unchanged (it may be), so a publication
 * happens later, never sooner, than k changes.
 *
 * Pure: the hash comes from the caller (the server's node:crypto).
 */

/** A cell's basis: household key → value hash, or REMOVED. */
export type CellBasis = Record<string, string>;

export interface PublishBasis {
	salt: string;
	/** By cell id (street name and round, see cellId). */
	cells: Record<string, CellBasis>;
}

export const REMOVED = '-';

export interface ThemeMeta {
	id: string;
	name: string;
	colour: string;
}

export function cellId(street: string, round: number): string {
	return `${street}\n${round}`;
}

export class PublishGate {
	/** The basis to store with this projection. */
	readonly next: Record<string, CellBasis> = {};
	/** Cells published anew and cells that kept their last publication (for the log and tests). */
	published = 0;
	held = 0;

	constructor(
		private readonly basis: PublishBasis,
		/** The last published rounds, by street name. */
		private readonly previous: ReadonlyMap<string, readonly PublicRound[]>,
		private readonly k: number,
		private readonly hash: (text: string) => string
	) {}

	/**
	 * The round to publish for a street: `fresh` (computed from `households`, address id → theme
	 * ids) when at least k households changed, or nothing did; else the last publication, with
	 * the current theme names and the current k.
	 */
	round(
		street: string,
		fresh: PublicRound,
		households: ReadonlyMap<string, ReadonlySet<string>>,
		themes: { byId: ReadonlyMap<string, ThemeMeta>; inUse: readonly string[] }
	): PublicRound {
		const id = cellId(street, fresh.round);
		const before = this.basis.cells[id] ?? {};
		const now: CellBasis = {};
		for (const [addressId, themeIds] of households) {
			const key = this.hash(`${this.basis.salt}\nkey\n${addressId}\n${fresh.round}`);
			now[key] = this.hash(`${this.basis.salt}\nvalue\n${key}\n${[...themeIds].sort().join(',')}`);
		}
		let changed = 0;
		let uncertain = 0;
		for (const [key, value] of Object.entries(now)) {
			const was = before[key];
			if (was === undefined) changed++;
			else if (was === REMOVED) uncertain++;
			else if (was !== value) changed++;
		}
		for (const key of Object.keys(before)) if (!(key in now)) changed++;
		if (changed >= this.k || (changed === 0 && uncertain === 0)) {
			if (Object.keys(now).length > 0) this.next[id] = now;
			this.published++;
			return fresh;
		}
		const kept: CellBasis = {};
		for (const [key, value] of Object.entries(before)) kept[key] = key in now ? value : REMOVED;
		if (Object.keys(kept).length > 0) this.next[id] = kept;
		this.held++;
		return this.#last(street, fresh.round, themes);
	}

	/** The last publication of a cell as it may be shown now (current names, current k). */
	#last(
		street: string,
		round: number,
		themes: { byId: ReadonlyMap<string, ThemeMeta>; inUse: readonly string[] }
	): PublicRound {
		const last = this.previous.get(street)?.find((r) => r.round === round);
		const total = last?.households ?? null;
		if (total === null || total < this.k) return { round, households: null, few: true, themes: [] };
		const listed = new Set<string>();
		const shown = last!.themes.flatMap((t) => {
			const meta = themes.byId.get(t.id);
			if (!meta) return [];
			listed.add(t.id);
			const count =
				t.shown === 'count' && t.count !== null && t.count >= this.k && total - t.count >= this.k
					? t.count
					: null;
			if (count === null && !themes.inUse.includes(t.id)) return [];
			return [{ ...meta, shown: count === null ? 'suppressed' : 'count', count } as const];
		});
		for (const id of themes.inUse) {
			const meta = themes.byId.get(id);
			if (meta && !listed.has(id))
				shown.push({ ...meta, shown: 'suppressed', count: null } as const);
		}
		shown.sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.id.localeCompare(b.id));
		return { round, households: total, few: false, themes: shown };
	}
}
