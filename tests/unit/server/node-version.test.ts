import { describe, expect, it } from 'vitest';
import {
	isSupportedNode,
	minimumNode,
	PINNED_NODE,
	assertSupportedNode
} from '../../../server/node-version';

describe('the Node that runs Buurtbord', () => {
	it('is the one package.json pins, which npm scripts find first on the PATH', () => {
		expect(process.versions.node).toBe(PINNED_NODE);
		expect(() => assertSupportedNode('This test')).not.toThrow();
	});

	it('is a maintained LTS: 22.12 or newer, older ones refused', () => {
		expect(minimumNode()).toEqual([22, 12]);
		expect(minimumNode('>= 24')).toEqual([24, 0]);
		expect(() => minimumNode('^22')).toThrow(/engines/);
		expect(isSupportedNode('20.20.2')).toBe(false);
		expect(isSupportedNode('22.11.0')).toBe(false);
		expect(isSupportedNode('22.12.0')).toBe(true);
		expect(isSupportedNode('24.21.0')).toBe(true);
		expect(isSupportedNode('26.0.0')).toBe(true);
	});
});
