import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DebouncedWriter } from '../../../src/lib/server/sync/persistence';

function update(key: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('m').set(key, key);
	return Y.encodeStateAsUpdate(doc);
}

function keysOf(stored: Uint8Array[]): string[] {
	const doc = new Y.Doc();
	for (const u of stored) Y.applyUpdate(doc, u);
	return [...doc.getMap('m').keys()].sort();
}

describe('the debounced writer', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('writes a burst of updates once, after the debounce', async () => {
		vi.useFakeTimers();
		const stored: Uint8Array[] = [];
		const writer = new DebouncedWriter({
			debounceMs: 100,
			maxWaitMs: 1000,
			store: async (u) => void stored.push(u),
			onError: () => {}
		});
		writer.push(update('a'));
		await vi.advanceTimersByTimeAsync(50);
		writer.push(update('b'));
		await vi.advanceTimersByTimeAsync(99);
		expect(stored).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(stored).toHaveLength(1);
		expect(keysOf(stored)).toEqual(['a', 'b']);
	});

	it('writes within the max wait even while edits keep coming', async () => {
		vi.useFakeTimers();
		const stored: Uint8Array[] = [];
		const writer = new DebouncedWriter({
			debounceMs: 100,
			maxWaitMs: 500,
			store: async (u) => void stored.push(u),
			onError: () => {}
		});
		for (let i = 0; i < 10; i++) {
			writer.push(update(`k${i}`));
			await vi.advanceTimersByTimeAsync(60);
		}
		// 600 ms of edits 60 ms apart: the debounce never fires, the max wait did at 500 ms.
		expect(stored.length).toBeGreaterThanOrEqual(1);
		expect(keysOf(stored)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
	});

	it('flushes at once, and keeps updates whose write failed for the next flush', async () => {
		const stored: Uint8Array[] = [];
		const errors: unknown[] = [];
		let failNext = true;
		const writer = new DebouncedWriter({
			debounceMs: 10_000,
			maxWaitMs: 10_000,
			store: async (u) => {
				if (failNext) {
					failNext = false;
					throw new Error('database gone');
				}
				stored.push(u);
			},
			onError: (e) => errors.push(e)
		});
		writer.push(update('a'));
		await writer.flush();
		expect(errors).toHaveLength(1);
		expect(writer.hasPending).toBe(true);
		writer.push(update('b'));
		await writer.flush();
		expect(keysOf(stored)).toEqual(['a', 'b']);
		expect(writer.hasPending).toBe(false);
	});
});
