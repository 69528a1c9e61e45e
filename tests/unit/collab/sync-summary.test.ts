import { describe, expect, it } from 'vitest';
import { combineSync } from '../../../src/lib/collab/offline-sync.svelte';

describe('one sync state for the board and its confidential notes', () => {
	it('adds up what is not sent yet', () => {
		expect(
			combineSync({ state: 'unsent', count: 2, offlineSince: null }, [
				{ state: 'unsent', count: 1, offlineSince: 5 }
			])
		).toEqual({ state: 'unsent', count: 3, offlineSince: null });
	});

	it('a note change held offline shows as unsent, offline since the board went offline', () => {
		expect(
			combineSync({ state: 'offline', since: 1000 }, [
				{ state: 'unsent', count: 1, offlineSince: 1200 }
			])
		).toEqual({ state: 'unsent', count: 1, offlineSince: 1000 });
	});

	it('the board decides when nothing is waiting', () => {
		expect(combineSync({ state: 'saved' }, [{ state: 'saved' }, null])).toEqual({
			state: 'saved'
		});
		expect(combineSync({ state: 'offline', since: 7 }, [{ state: 'offline', since: 9 }])).toEqual({
			state: 'offline',
			since: 7
		});
		expect(combineSync(null, [{ state: 'unsent', count: 1, offlineSince: null }])).toBeNull();
	});

	it('says saving while a note change is sent but not stored, since the oldest such change', () => {
		expect(combineSync({ state: 'saved' }, [{ state: 'saving', since: 5 }])).toEqual({
			state: 'saving',
			since: 5
		});
		expect(
			combineSync({ state: 'saving', since: 9 }, [
				{ state: 'saving', since: 4 },
				{ state: 'saved' }
			])
		).toEqual({ state: 'saving', since: 4 });
		expect(
			combineSync({ state: 'saving', since: 9 }, [
				{ state: 'unsent', count: 2, offlineSince: null }
			])
		).toEqual({ state: 'unsent', count: 2, offlineSince: null });
		expect(combineSync({ state: 'offline', since: 3 }, [{ state: 'saving', since: 1 }])).toEqual({
			state: 'offline',
			since: 3
		});
	});
});
