import type { Address } from '$lib/geo/address';

export type Side = 'all' | 'odd' | 'even';

/** Streets of the register with their doors in walking order, sorted by name. */
export function streetsOf(addresses: readonly Address[]): { street: string; doors: Address[] }[] {
	const byStreet = new Map<string, Address[]>();
	for (const a of addresses) {
		const list = byStreet.get(a.street) ?? [];
		list.push(a);
		byStreet.set(a.street, list);
	}
	return [...byStreet]
		.sort(([a], [b]) => a.localeCompare(b, 'nl'))
		.map(([street, doors]) => ({ street, doors: doors.sort(byHouseNumber) }));
}

/** House-number order: number, then letter, then addition (12, 12A, 12A-1, 14). */
export function byHouseNumber(a: Address, b: Address): number {
	return (
		a.houseNumber - b.houseNumber ||
		(a.houseLetter ?? '').localeCompare(b.houseLetter ?? '', 'nl') ||
		(a.addition ?? '').localeCompare(b.addition ?? '', 'nl', { numeric: true })
	);
}

/** One side of the street: odd numbers, even numbers, or both. */
export function onSide(doors: readonly Address[], side: Side): Address[] {
	if (side === 'all') return [...doors];
	return doors.filter((d) => (d.houseNumber % 2 === 1) === (side === 'odd'));
}

/** Today in the device's time zone, as the board stores dates (yyyy-mm-dd). */
export function today(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A name as people type it: spaces folded, case and accents ignored. */
function nameKey(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/\s+/g, ' ')
		.trim()
		.toLocaleLowerCase('nl');
}

/** The streets assigned to `name` ("mijn straten"), in the order of the assignments. */
export function assignedTo(
	assignments: readonly { street: string; assignee: string }[],
	name: string
): string[] {
	const me = nameKey(name);
	if (!me) return [];
	return assignments.filter((a) => nameKey(a.assignee) === me).map((a) => a.street);
}
