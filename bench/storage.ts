/** 3. Stored bytes after 10,000 edits, against the size of Y.encodeStateAsUpdate of the document. */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { UpdateStore } from '../src/lib/server/sync/store';
import { closeClient, newPin, openClient, whenSynced } from './lib/clients';
import { startBuurtbordServer } from './lib/servers';
import { mulberry32, sleep } from './lib/util';

const ROOM = 'spoorbuurt';
export const EDITS = 10_000;
/** Edits are sent in bursts with a pause longer than the server's write debounce (100 ms). */
const BURST = 100;
const PAUSE_MS = 150;

export interface StorageSnapshot {
	rows: number;
	bytes: number;
	stateBytes: number;
	ratio: number;
}

export interface StorageRow {
	driver: 'pglite' | 'postgres';
	edits: { creates: number; updates: number; deletes: number };
	pinsAtEnd: number;
	/** Largest stored/state ratio seen while editing (sampled after every burst). */
	peak: StorageSnapshot;
	/** The longest log seen while editing (sampled after every burst), i.e. just before a compaction. */
	longestLog: StorageSnapshot;
	/**
	 * All edits stored, the client still connected: the log since the last compaction (which may
	 * have just run: it runs after every 100 stored updates).
	 */
	beforeLeave: StorageSnapshot;
	/** After the last client left and the server compacted the log. */
	afterCompaction: StorageSnapshot;
	/** The stored rows rebuild the client's document exactly. */
	identical: boolean;
	/** pg_total_relation_size of board_updates after compaction (table + index + TOAST, incl. dead rows). */
	tableBytes: number;
	editSeconds: number;
}

async function snapshot(store: UpdateStore, doc: Y.Doc): Promise<StorageSnapshot> {
	const { rows, bytes } = await store.storedBytes(ROOM);
	const stateBytes = Y.encodeStateAsUpdate(doc).byteLength;
	return { rows, bytes, stateBytes, ratio: bytes / stateBytes };
}

/** Waits (bounded) until the stored size stops changing for a few polls. */
async function stable(store: UpdateStore, until: () => boolean = () => true): Promise<void> {
	const deadline = performance.now() + 10_000;
	let last = -1;
	let same = 0;
	while (performance.now() < deadline) {
		const { bytes } = await store.storedBytes(ROOM);
		same = bytes === last && until() ? same + 1 : 0;
		if (same >= 3) return;
		last = bytes;
		await sleep(200);
	}
}

export async function benchStorage(
	db: { driver: 'pglite' | 'postgres'; databaseUrl?: string; dataDir: string },
	log: (m: string) => void
): Promise<StorageRow> {
	const server = await startBuurtbordServer(db);
	const store = new UpdateStore(server.app.db);
	const client = openClient(server.url, ROOM);
	let closed = false;
	try {
		await whenSynced(client, 20_000);
		const pins = client.doc.getMap<Y.Map<unknown>>('pins');
		const random = mulberry32(42);
		const ids: string[] = [];
		const edits = { creates: 0, updates: 0, deletes: 0 };
		let peak: StorageSnapshot | undefined;
		let longestLog: StorageSnapshot | undefined;
		let next = 0;
		const t0 = performance.now();
		for (let burst = 0; burst * BURST < EDITS; burst++) {
			if (burst % 20 === 0) log(`storage: ${db.driver}, edit ${burst * BURST}/${EDITS}`);
			for (let k = 0; k < BURST && burst * BURST + k < EDITS; k++) {
				const roll = random();
				if (ids.length < 20 || roll < 0.4) {
					// Add a pin: one Y.Map with 6 fields.
					const id = `pin-${next}`;
					pins.set(id, newPin(next++));
					ids.push(id);
					edits.creates++;
				} else if (roll < 0.85) {
					// Edit a pin: retitle it, or move it (two fields in one transaction).
					const pin = pins.get(ids[Math.floor(random() * ids.length)]!)!;
					if (random() < 0.5) {
						pin.set('title', `Titel ${Math.floor(random() * 1e6)}`);
					} else {
						client.doc.transact(() => {
							pin.set('lon', 5.86 + random() * 0.02);
							pin.set('lat', 51.82 + random() * 0.02);
						});
					}
					edits.updates++;
				} else {
					const at = Math.floor(random() * ids.length);
					pins.delete(ids[at]!);
					ids[at] = ids[ids.length - 1]!;
					ids.pop();
					edits.deletes++;
				}
			}
			await sleep(PAUSE_MS);
			const s = await snapshot(store, client.doc);
			if (!peak || s.ratio > peak.ratio) peak = s;
			if (!longestLog || s.rows >= longestLog.rows) longestLog = s;
		}
		const editSeconds = (performance.now() - t0) / 1000;
		// Everything sent is stored within the max wait (500 ms); wait for the size to settle.
		await stable(store);
		const beforeLeave = await snapshot(store, client.doc);
		const expected = JSON.stringify(pins.toJSON());
		const stateBytes = beforeLeave.stateBytes;
		const pinsAtEnd = pins.size;
		closeClient(client);
		closed = true;
		// The last client left: the server flushes, unloads the room and compacts the log.
		await stable(store, () => server.app.sync.loadedBoards === 0);
		const after = await store.storedBytes(ROOM);
		const afterCompaction = {
			rows: after.rows,
			bytes: after.bytes,
			stateBytes,
			ratio: after.bytes / stateBytes
		};
		const rebuilt = new Y.Doc();
		for (const row of await store.load(ROOM)) Y.applyUpdate(rebuilt, row.data);
		const identical = JSON.stringify(rebuilt.getMap('pins').toJSON()) === expected;
		rebuilt.destroy();
		const [size] = await server.app.db.query<{ bytes: number }>(
			"select pg_total_relation_size('public.board_updates')::int as bytes"
		);
		return {
			driver: db.driver,
			edits,
			pinsAtEnd,
			peak: peak ?? beforeLeave,
			longestLog: longestLog ?? beforeLeave,
			beforeLeave,
			afterCompaction,
			identical,
			tableBytes: size?.bytes ?? NaN,
			editSeconds
		};
	} finally {
		if (!closed) closeClient(client);
		await server.close();
	}
}
