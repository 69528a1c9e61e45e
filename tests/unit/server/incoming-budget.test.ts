import { describe, expect, it } from 'vitest';
import { IncomingBudget } from '../../../src/lib/server/sync/limits';

const LIMITS = { messageBurst: 10, messagesPerSecond: 5, byteBurst: 1000, bytesPerSecond: 100 };

describe('what one user may send on one board', () => {
	it('lets a burst through, then says how long to stop reading', () => {
		const budget = new IncomingBudget(LIMITS, 0);
		for (let i = 0; i < 10; i++) expect(budget.take(1, 0)).toBe(0);
		// One message over: paid off after 1/5 s.
		expect(budget.take(1, 0)).toBe(200);
		// A second later five messages are back: the debt of one, and four more.
		for (let i = 0; i < 4; i++) expect(budget.take(1, 1000)).toBe(0);
		expect(budget.take(1, 1000)).toBe(200);
	});

	it('counts bytes as well: one large message waits for its bytes, never refused', () => {
		const budget = new IncomingBudget(LIMITS, 0);
		expect(budget.take(1000, 0)).toBe(0);
		expect(budget.take(500, 0)).toBe(5000);
		// Quiet for long: back to the full burst, not more.
		expect(budget.take(1000, 60_000)).toBe(0);
		expect(budget.take(1, 60_000)).toBe(10);
	});

	it('tells, without charging, how long a debt still runs', () => {
		const budget = new IncomingBudget(LIMITS, 0);
		for (let i = 0; i < 20; i++) budget.take(1, 0);
		expect(budget.wait(0)).toBe(2000);
		expect(budget.wait(1500)).toBe(500);
		expect(budget.wait(2000)).toBe(0);
	});
});
