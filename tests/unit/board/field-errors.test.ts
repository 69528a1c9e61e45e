import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, BoardInputError } from '../../../src/lib/board';
import { fieldErrors } from '../../../src/routes/boards/[id]/content-labels';

/** A refused command as a form gets it. */
function refused(command: () => unknown): BoardInputError {
	try {
		command();
	} catch (e) {
		if (e instanceof BoardInputError) return e;
		throw e;
	}
	throw new Error('not refused');
}

/**
 * The board's commands word their checks in English for the code; a form shows the user a
 * message in their language (Dutch here), never the code's ("round must be 1 or more").
 */
describe('a refused value in a form', () => {
	it('is said in the page language', () => {
		const doc = new Y.Doc();
		const error = refused(() =>
			addGesprek(doc, {
				addressId: 'adres-1',
				date: 'gisteren',
				round: 0,
				heldBy: 'x'.repeat(500),
				outcome: 'gesproken'
			})
		);
		const messages = fieldErrors(error);
		expect(messages).toMatchObject({
			round: 'Kies een ronde van 1 tot en met 99.',
			date: 'Vul een datum in.',
			heldBy: expect.stringMatching(/^Ten hoogste \d+ tekens\.$/)
		});
		for (const text of Object.values(messages)) expect(text).not.toMatch(/must|expected/);
	});
});
