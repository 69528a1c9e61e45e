/** An address from the board's register (the corporation's list or the BAG). */
export interface Address {
	id: string;
	street: string;
	houseNumber: number;
	houseLetter: string | null;
	addition: string | null;
	postcode: string | null;
	city: string | null;
	lon: number;
	lat: number;
	bagId: string | null;
	complexNumber: string | null;
	/**
	 * The corporation's unit number (VHE, verhuureenheid): the key its own systems use for this
	 * dwelling, kept from its export. Absent in registers from the BAG.
	 */
	unitNumber?: string | null;
}

/** "Sweelinckstraat 12A-2" as Dutch addresses are written. */
export function formatAddress(
	a: Pick<Address, 'street' | 'houseNumber' | 'houseLetter' | 'addition'>
): string {
	return `${a.street} ${a.houseNumber}${a.houseLetter ?? ''}${a.addition ? `-${a.addition}` : ''}`;
}
