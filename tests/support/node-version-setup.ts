import { assertSupportedNode } from '../../server/node-version';

/** Vitest global setup: the run stops at once on a Node older than package.json's engines. */
export default function setup(): void {
	assertSupportedNode('The test suite');
}
