import { describe, expect, it } from 'vitest';
import { assignedTo } from '../../../src/routes/boards/[id]/deur/door';

describe('"mijn straten": streets assigned to the signed-in professional', () => {
	const assignments = [
		{ street: 'Dunklerstraat', assignee: 'Renée  de Vries' },
		{ street: 'Obrechtstraat', assignee: 'Ahmed' },
		{ street: 'Sweelinckstraat', assignee: 'renee DE vries' }
	];

	it('matches the name as people type it (spaces, case, accents)', () => {
		expect(assignedTo(assignments, 'Renée de Vries')).toEqual(['Dunklerstraat', 'Sweelinckstraat']);
		expect(assignedTo(assignments, ' AHMED ')).toEqual(['Obrechtstraat']);
	});

	it('has none for someone without assignments, or without a name', () => {
		expect(assignedTo(assignments, 'Olga')).toEqual([]);
		expect(assignedTo(assignments, '  ')).toEqual([]);
	});
});
