import { describe, expect, it } from 'vitest';
import { DEFAULT_GRACE_DAYS, readConfig } from '../../../src/lib/server/config';

/** BUURTBORD_CONSENT_GRACE_DAYS: households are erased after it, so a typo must stop the start. */
describe('BUURTBORD_CONSENT_GRACE_DAYS', () => {
	const days = (value: string | undefined) =>
		readConfig({ BUURTBORD_CONSENT_GRACE_DAYS: value }).consentGraceDays;

	it('is 7 days when unset or empty, as the other variables take their default', () => {
		expect(DEFAULT_GRACE_DAYS).toBe(7);
		expect(days(undefined)).toBe(7);
		expect(days('')).toBe(7);
		expect(days('  ')).toBe(7);
	});

	it('takes whole and fractional days from 0 to 365', () => {
		expect(days('0')).toBe(0);
		expect(days('14')).toBe(14);
		expect(days(' 30 ')).toBe(30);
		expect(days('1.5')).toBe(1.5);
		expect(days('365')).toBe(365);
	});

	it.each(['abc', '-1', '366', '7 days', '1e2', '0x10', 'Infinity', 'NaN', '1,5', '.5', '7.'])(
		'refuses %j, naming the variable and what it takes',
		(value) => {
			expect(() => days(value)).toThrow(
				`BUURTBORD_CONSENT_GRACE_DAYS must be a number of days from 0 to 365 (such as 7 or 1.5), not ${JSON.stringify(value)}`
			);
		}
	);
});
