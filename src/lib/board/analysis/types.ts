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
