/**
 * The plain data the analysis functions work on: the board's entities as read from the document
 * (structurally the same as Gesprek, Initiatief, Thema in src/lib/board), so these functions stay
 * pure and independent of how the board state is kept.
 */
import type { Outcome } from '../layout';

export interface AGesprek {
	id: string;
	addressId: string;
	date: string;
	round: number;
	heldBy: string;
	outcome: Outcome;
	themeIds: readonly string[];
	talents: readonly string[];
	wishes: readonly string[];
	worries: readonly string[];
	notes?: string;
	confidential?: string | null;
	/** The household's consent as recorded with this gesprek (the board's Consent). */
	consent?: { recordedBy?: string | null; date?: string | null; withdrawn: boolean };
}

export interface AAddress {
	id: string;
	street: string;
	houseNumber: number;
	houseLetter: string | null;
	addition: string | null;
	postcode: string | null;
	lon: number;
	lat: number;
	complexNumber?: string | null;
	/** The corporation's unit number (VHE, verhuureenheid), when its export had one. */
	unitNumber?: string | null;
}

export interface AThema {
	id: string;
	name: string;
	colour: string;
}

/** What a door's gesprekken add up to: not visited, no contact (niet thuis / later), declined, spoken. */
export const ADDRESS_STATES = ['open', 'no-contact', 'declined', 'spoken'] as const;
export type AddressState = (typeof ADDRESS_STATES)[number];

/**
 * Households (addresses) that withdrew consent, on any of their gesprekken. Their data must go
 * (the owner erases it, see src/lib/board/erase.ts); until then nothing offers them for
 * activation, and exports leave out what they said.
 */
export function withdrawnHouseholds(gesprekken: readonly AGesprek[]): Set<string> {
	const out = new Set<string>();
	for (const g of gesprekken) if (g.consent?.withdrawn) out.add(g.addressId);
	return out;
}
