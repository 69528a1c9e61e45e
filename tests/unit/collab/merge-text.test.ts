import { describe, expect, it } from 'vitest';
import { mergeText } from '../../../src/lib/collab/merge-text';

describe('two people editing one short field at once', () => {
	it('keeps both additions at the end, theirs first', () => {
		expect(mergeText('Anna', 'Anna & Eddy', 'Anna & Els')).toBe('Anna & Els & Eddy');
	});

	it('applies edits in different places', () => {
		expect(mergeText('Anna en Bert', 'Anna K. en Bert', 'Anna en Bert V.')).toBe(
			'Anna K. en Bert V.'
		);
		expect(mergeText('Anna en Bert', 'Anna en Bert V.', 'Hanna en Bert')).toBe('Hanna en Bert V.');
		expect(mergeText('ronde 1 gesprek', 'ronde gesprek', 'ronde 1 gesprekken')).toBe(
			'ronde gesprekken'
		);
	});

	it('takes the other side when only one changed, or both the same', () => {
		expect(mergeText('a', 'a', 'b')).toBe('b');
		expect(mergeText('a', 'b', 'a')).toBe('b');
		expect(mergeText('a', 'c', 'c')).toBe('c');
		expect(mergeText('', 'mijn', '')).toBe('mijn');
	});

	it('keeps this user’s edit where both changed the same characters', () => {
		expect(mergeText('Anna', 'Anne', 'Annie')).toBe('Anne');
		expect(mergeText('abc', '', 'abX')).toBe('');
		// Text added right after what the other replaced.
		expect(mergeText('Fatma van', 'Fatma van Woonwaarts', 'Bas')).toBe('Fatma van Woonwaarts');
	});

	it('keeps two texts written into an empty field at once apart', () => {
		expect(mergeText('', 'Fatma van', 'Bas')).toBe('Bas Fatma van');
		expect(mergeText('', 'Fatma', 'Bas ')).toBe('Bas Fatma');
		// Within words nothing is added: two letters typed after one word are both kept, as typed.
		expect(mergeText('Anna', 'AnnaB', 'AnnaC')).toBe('AnnaCB');
	});
});
