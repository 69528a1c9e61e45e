/** 2. Cold load of a board with 10,000 pins, per database driver. */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { getBoard } from '../src/lib/server/boards';
import type { Db } from '../src/lib/server/db';
import { UpdateStore } from '../src/lib/server/sync/store';
import { measureColdLoad, newPin } from './lib/clients';
import { startBuurtbordServer, startReferenceServer, type BuurtbordServer } from './lib/servers';
import { median, sleep } from './lib/util';
import type { ClientWorker } from './lib/worker';
import { getYDoc } from '@y/websocket-server/utils';

export const PINS = 10_000;
const ROOM = 'spoorbuurt';

/** The 10,000 pins built in 100 transactions of 100 pins: 100 updates, as clients would send them. */
export function buildPinUpdates(
	pins = PINS,
	perUpdate = 100
): { updates: Uint8Array[]; state: Uint8Array } {
	const doc = new Y.Doc();
	// Yjs picks a random client id, and its varint length (1–5 bytes) is repeated in every pin
	// field's parent reference: fix it (a typical 5-byte one) so stored sizes compare across runs.
	doc.clientID = 3_000_000_001;
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const map = doc.getMap('pins');
	for (let start = 0; start < pins; start += perUpdate) {
		doc.transact(() => {
			for (let i = start; i < Math.min(pins, start + perUpdate); i++) {
				map.set(`pin-${String(i).padStart(5, '0')}`, newPin(i));
			}
		});
	}
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return { updates, state };
}

export type Variant = 'compacted' | 'log100';
export const VARIANTS: { id: Variant; label: string }[] = [
	{ id: 'compacted', label: '1 compacted row' },
	{ id: 'log100', label: 'log of 100 updates' }
];

/**
 * Stores the board through UpdateStore (what onStoreDocument does), compacting for 'compacted'.
 * Returns how long the compaction took (NaN when there was none).
 */
async function prepare(db: Db, variant: Variant, updates: Uint8Array[]): Promise<number> {
	const store = new UpdateStore(db);
	await db.query('delete from public.board_updates where board_id = $1', [ROOM]);
	for (const u of updates) await store.append(ROOM, u);
	if (variant !== 'compacted') return NaN;
	const t0 = performance.now();
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	await store.compact(ROOM, () => Y.encodeStateAsUpdate(doc));
	doc.destroy();
	return performance.now() - t0;
}

/** Waits until the room was unloaded and its unload compaction (if any) ran, bounded in time. */
async function settle(server: BuurtbordServer): Promise<void> {
	const store = new UpdateStore(server.app.db);
	const deadline = performance.now() + 10_000;
	while (performance.now() < deadline) {
		if (server.app.sync.loadedBoards === 0 && (await store.storedBytes(ROOM)).rows <= 1) break;
		await sleep(20);
	}
	// The unload compaction starts after the room is gone and is not observable when the board is
	// already one row: give it time to finish before the database is used or closed.
	await sleep(500);
}

/** Decodes the stored board and counts its pins (a check that storing lost nothing). */
async function storedPins(db: Db): Promise<number> {
	const doc = new Y.Doc();
	for (const row of await new UpdateStore(db).load(ROOM)) Y.applyUpdate(doc, row.data);
	const count = doc.getMap('pins').size;
	doc.destroy();
	return count;
}

export interface ColdLoadRow {
	driver: 'pglite' | 'postgres';
	variant: Variant;
	label: string;
	runsMs: number[];
	medianMs: number;
	/** Breakdown, measured on the same server right after (warm): DB read and server-side decode. */
	dbReadMedianMs: number;
	decodeMedianMs: number;
	encodeMedianMs: number;
	/** UpdateStore.compact of the 100-update log into one row (only for 'compacted'). */
	compactMedianMs: number;
	storedRows: number;
	storedBytes: number;
	pinsSeen: number;
}

export interface ColdLoadBaseline {
	stateBytes: number;
	/** Y.applyUpdate of the state into a fresh Y.Doc. */
	decodeMedianMs: number;
	/** Fresh client against @y/websocket-server holding the document in memory (no database). */
	referenceMedianMs: number;
	referenceRunsMs: number[];
}

export async function benchColdLoad(
	db: { driver: 'pglite' | 'postgres'; databaseUrl?: string; dataDir: string },
	runs: number,
	worker: ClientWorker | undefined,
	log: (m: string) => void
): Promise<ColdLoadRow[]> {
	const { updates } = buildPinUpdates();
	const rows: ColdLoadRow[] = [];
	const load = (url: string) =>
		worker ? worker.coldLoad(url, ROOM, 30_000) : measureColdLoad(url, ROOM, 30_000);
	for (const v of VARIANTS) {
		const row: ColdLoadRow = {
			driver: db.driver,
			variant: v.id,
			label: v.label,
			runsMs: [],
			medianMs: NaN,
			dbReadMedianMs: NaN,
			decodeMedianMs: NaN,
			encodeMedianMs: NaN,
			compactMedianMs: NaN,
			storedRows: 0,
			storedBytes: 0,
			pinsSeen: 0
		};
		const dbRead: number[] = [];
		const decode: number[] = [];
		const encode: number[] = [];
		const compactMs: number[] = [];
		for (let r = 0; r < runs; r++) {
			log(`cold load: ${db.driver}, ${v.label}, run ${r + 1}/${runs}`);
			// Store the board, then stop that server: the measured one starts with nothing loaded.
			const setup = await startBuurtbordServer(db);
			try {
				compactMs.push(await prepare(setup.app.db, v.id, updates));
				const stored = await new UpdateStore(setup.app.db).storedBytes(ROOM);
				row.storedRows = stored.rows;
				row.storedBytes = stored.bytes;
				const pins = await storedPins(setup.app.db);
				if (pins !== PINS) log(`warning: the stored board has ${pins} pins, not ${PINS}`);
			} finally {
				await setup.close();
			}
			const server = await startBuurtbordServer(db);
			try {
				const result = await load(server.url);
				row.runsMs.push(result.ms);
				row.pinsSeen = result.pins;
				await settle(server);
				// Breakdown (now warm): what onLoadDocument does, timed in parts.
				await prepare(server.app.db, v.id, updates);
				const store = new UpdateStore(server.app.db);
				const t0 = performance.now();
				await getBoard(server.app.db, ROOM);
				const stored = await store.load(ROOM);
				const t1 = performance.now();
				const doc = new Y.Doc();
				Y.transact(doc, () => {
					for (const s of stored) Y.applyUpdate(doc, s.data);
				});
				const t2 = performance.now();
				// What answering the client's sync step 1 (an empty state vector) costs.
				Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Y.Doc()));
				const t3 = performance.now();
				doc.destroy();
				dbRead.push(t1 - t0);
				decode.push(t2 - t1);
				encode.push(t3 - t2);
			} finally {
				await server.close();
			}
		}
		row.medianMs = median(row.runsMs);
		row.dbReadMedianMs = median(dbRead);
		row.decodeMedianMs = median(decode);
		row.encodeMedianMs = median(encode);
		row.compactMedianMs = median(compactMs);
		rows.push(row);
	}
	return rows;
}

export async function coldLoadBaseline(
	runs: number,
	worker: ClientWorker | undefined
): Promise<ColdLoadBaseline> {
	const { state } = buildPinUpdates();
	const decode: number[] = [];
	for (let r = 0; r < runs; r++) {
		const doc = new Y.Doc();
		const t0 = performance.now();
		Y.applyUpdate(doc, state);
		decode.push(performance.now() - t0);
		doc.destroy();
	}
	const reference = await startReferenceServer();
	const referenceRunsMs: number[] = [];
	try {
		// @y/websocket-server names documents after the URL path: /sync/<room>.
		const room = 'coldload-10k';
		Y.applyUpdate(getYDoc(`sync/${room}`), state);
		for (let r = 0; r < runs; r++) {
			const result = worker
				? await worker.coldLoad(reference.url, room, 30_000)
				: await measureColdLoad(reference.url, room, 30_000);
			referenceRunsMs.push(result.ms);
		}
	} finally {
		await reference.close();
	}
	return {
		stateBytes: state.byteLength,
		decodeMedianMs: median(decode),
		referenceMedianMs: median(referenceRunsMs),
		referenceRunsMs
	};
}
