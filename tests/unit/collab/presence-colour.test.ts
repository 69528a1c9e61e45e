import { describe, expect, it } from 'vitest';
import { contrastWithWhite, presenceColour } from '../../../src/lib/collab/presence-state';

describe('presence colours', () => {
	it('are the same for a user every time, and differ between users', () => {
		expect(presenceColour('user-a')).toBe(presenceColour('user-a'));
		const colours = new Set(Array.from({ length: 50 }, (_, i) => presenceColour(`user-${i}`)));
		expect(colours.size).toBeGreaterThan(40);
	});

	it('carry white initials at 4.5:1 or more, whatever the hue (WCAG AA)', () => {
		expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
		expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
		// The yellow an owner had in an axe check (3.6:1 before).
		expect(contrastWithWhite('#a5811d')).toBeLessThan(4.5);
		for (let i = 0; i < 2000; i++) {
			const colour = presenceColour(crypto.randomUUID());
			expect(colour).toMatch(/^#[0-9a-f]{6}$/);
			expect(contrastWithWhite(colour)).toBeGreaterThanOrEqual(4.5);
		}
	});
});
