/**
 * Issue #10, "every transaction re-reads every gesprek": reading a board with 10,000 gesprekken in
 * Node, the way it was (a zod parser built per entity) against the board state (one parser per
 * shape; after a change only the touched gesprek is read again).
 * Run: `node --import tsx bench/board-state.ts` (COUNT=… for another size).
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { Board } from '../src/lib/board/content.svelte';
import { gesprekkenMap, listGesprekken } from '../src/lib/board/gesprekken';
import { GESPREK_SHAPE, jsonSchemaOf } from '../src/lib/board/layout';
import { link } from '../tests/support/ydocs';

const COUNT = Number(process.env.COUNT ?? 10_000);
const time = (run: () => unknown) => {
	const start = performance.now();
	run();
	return performance.now() - start;
};
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const server = new Y.Doc();
const browser = new Y.Doc();
const writer = new Board(server);
server.transact(() => {
	for (let i = 0; i < COUNT; i++)
		writer.gesprekken.add({
			addressId: `adres-${i}`,
			date: '2024-03-12',
			heldBy: `Fatma ${i}`,
			outcome: 'gesproken',
			themeIds: ['eenzaamheid'],
			talents: ['koken']
		});
});
Y.applyUpdate(browser, Y.encodeStateAsUpdate(server), 'remote');
link(server, browser);

// Before: a schema (and so a zod parser) built for every entity read.
const perEntity = time(() => {
	for (const fields of gesprekkenMap(browser).values())
		jsonSchemaOf(GESPREK_SHAPE).safeParse(fields.toJSON());
});
const prebuilt = time(() => listGesprekken(browser));
const board = new Board(browser);
const firstRead = time(() => board.gesprekken.all);
const ids = board.gesprekken.all.map((g) => g.id);
const remote: number[] = [];
for (let i = 0; i < 50; i++) {
	const id = ids[(i * 7919) % ids.length]!;
	writer.gesprekken.patch(id, { heldBy: `Bas ${i}` });
	remote.push(time(() => board.gesprekken.all));
}
const rows = [
	['list, parser built per gesprek (before)', perEntity],
	['list, one prebuilt parser', prebuilt],
	['board state, first read', firstRead],
	['board state, after one remote change (median of 50)', median(remote)]
] as const;
console.log(`Reading ${COUNT} gesprekken (Node ${process.version})`);
for (const [what, ms] of rows) console.log(`${what.padEnd(55)} ${ms.toFixed(1).padStart(8)} ms`);
console.log(
	JSON.stringify({ count: COUNT, perEntity, prebuilt, firstRead, remoteMedian: median(remote) })
);
board.destroy();
writer.destroy();
