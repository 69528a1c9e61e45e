import type * as Y from 'yjs';
import {
	restoreConsent,
	addFollowUp,
	addGesprek,
	addToGesprekList,
	removeFromGesprekList,
	setConsent,
	updateGesprek,
	type Gesprek,
	type GesprekListField
} from '$lib/board/gesprekken';
import { DEFAULT_THEMA_LABELS, OUTCOME_LABELS } from '$lib/board/labels';
import type { Outcome } from '$lib/board/layout';
import { Gesprekken, rereadOnThemeResolution, Themas } from '$lib/board/collections.svelte';
import type { Thema } from '$lib/board/themas';
import { today } from './door';
import { getLocale } from '$lib/paraglide/runtime';

const locale = () => (getLocale() === 'en' ? 'en' : 'nl');

export function outcomeText(o: Outcome): string {
	return OUTCOME_LABELS[locale()][o];
}

/** A default theme that kept its name is shown in the user's language; others as named. */
export function themaText(t: Pick<Thema, 'id' | 'name'>): string {
	const known = (DEFAULT_THEMA_LABELS[locale()] as Record<string, string>)[t.id];
	const nl = (DEFAULT_THEMA_LABELS.nl as Record<string, string>)[t.id];
	return known && nl?.toLowerCase() === t.name.toLowerCase() ? known : t.name;
}

/**
 * The gesprekken of a board for door mode, as Svelte state read from the Y.Doc. Writes go through
 * the board's commands (src/lib/board/gesprekken.ts), one field at a time, so that what a
 * colleague changes meanwhile in another field is kept.
 */
export class DoorBook {
	// Read incrementally (only what a change touched), as the board page reads them: on a board
	// of thousands of gesprekken a tap, or a colleague's edit anywhere, reads one gesprek again.
	readonly #gesprekken: Gesprekken;
	readonly #themas: Themas;
	readonly #stop: () => void;

	constructor(
		readonly doc: Y.Doc,
		private readonly heldBy: () => string
	) {
		this.#gesprekken = new Gesprekken(doc);
		this.#themas = new Themas(doc);
		this.#stop = rereadOnThemeResolution(doc, [this.#gesprekken]);
	}

	/** The themes offered (not archived, not merged), oldest first. */
	get themas(): Thema[] {
		return this.#themas.active;
	}

	/** Every gesprek at the address, oldest first. */
	history(addressId: string): Gesprek[] {
		return this.#gesprekken.forAddress(addressId);
	}

	/** The latest gesprek at the address (any day), for the door list's status. */
	latest(addressId: string): Gesprek | null {
		return this.history(addressId).at(-1) ?? null;
	}

	/**
	 * Today's gesprek at the door held by me, the one door mode edits. A colleague's gesprek at the
	 * same door on the same day (two people in the street, or one who came by earlier) is theirs:
	 * a tap here records my own instead of changing theirs.
	 */
	current(addressId: string, date = today()): Gesprek | null {
		const me = this.heldBy();
		return this.history(addressId).findLast((g) => g.date === date && g.heldBy === me) ?? null;
	}

	/** The round being walked: the highest one on the board so far. */
	get round(): number {
		return this.#gesprekken.all.reduce((max, g) => Math.max(max, g.round), 1);
	}

	/** One tap: records today's gesprek at the door with this outcome, or changes its outcome. */
	setOutcome(addressId: string, outcome: Outcome): Gesprek {
		const existing = this.current(addressId);
		if (existing) return updateGesprek(this.doc, existing.id, { outcome });
		return addGesprek(this.doc, {
			addressId,
			date: today(),
			round: this.round,
			heldBy: this.heldBy(),
			outcome
		});
	}

	toggleThema(gesprekId: string, themaId: string, on: boolean): void {
		if (on) addToGesprekList(this.doc, gesprekId, 'themeIds', themaId);
		else removeFromGesprekList(this.doc, gesprekId, 'themeIds', themaId);
	}

	addItem(gesprekId: string, field: Exclude<GesprekListField, 'themeIds'>, item: string): void {
		addToGesprekList(this.doc, gesprekId, field, item);
	}

	removeItem(gesprekId: string, field: Exclude<GesprekListField, 'themeIds'>, item: string): void {
		removeFromGesprekList(this.doc, gesprekId, field, item);
	}

	addFollowUp(gesprekId: string, what: string): void {
		addFollowUp(this.doc, gesprekId, { what, who: this.heldBy() });
	}

	/** Undoes a household's withdrawal of consent (a misclick): the automatic erasure is off. */
	restoreConsent(addressId: string): void {
		restoreConsent(this.doc, addressId);
	}

	setConsent(gesprekId: string, given: boolean): void {
		setConsent(this.doc, gesprekId, {
			recordedBy: this.heldBy(),
			date: today(),
			withdrawn: !given
		});
	}

	destroy(): void {
		this.#stop();
		this.#gesprekken.destroy();
		this.#themas.destroy();
	}
}
