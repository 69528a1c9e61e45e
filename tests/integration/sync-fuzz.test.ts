import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPin, connectClient, titles, whenSynced, type TestClient } from '../support/clients';
import { startSeededServer } from '../support/seeded-server';
import type { ServerProcess } from '../support/server-process';
import { askEverything, rawSyncSocket } from '../support/sync-load';

/**
 * Randomised: sockets of a signed-in editor send whatever a hostile client could (unknown message
 * types, sync steps and updates of random or corrupted bytes, state vectors with huge clocks,
 * presence updates with odd or huge JSON, truncated frames). Each socket is either still open and
 * answering, or closed with a code that says why; the server stays up, writes nothing to its error
 * log, and the board goes on for the editors on it. SYNC_FUZZ_RUNS=<n> for more (100 by default).
 */
type Part = ['uint', number] | ['bytes', Uint8Array] | ['string', string];

function frame(parts: Part[]): Buffer {
	const e = encoding.createEncoder();
	for (const [kind, value] of parts) {
		if (kind === 'uint') encoding.writeVarUint(e, value);
		else if (kind === 'bytes') encoding.writeVarUint8Array(e, value);
		else encoding.writeVarString(e, value);
	}
	return Buffer.from(encoding.toUint8Array(e));
}

/** A presence (awareness) update as y-protocols encodes it. */
function presence(entries: { client: number; clock: number; state: string }[]): Buffer {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const { client, clock, state } of entries) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
		encoding.writeVarString(e, state);
	}
	return frame([
		['uint', 1],
		['bytes', encoding.toUint8Array(e)]
	]);
}

/** A pin with the given title, as a whole update. */
function pinUpdate(title: unknown): Uint8Array {
	const doc = new Y.Doc();
	const pin = new Y.Map<unknown>();
	doc.getMap('pins').set(`fuzz-${Math.random().toString(36).slice(2, 8)}`, pin);
	for (const [k, v] of Object.entries({
		kind: 'notitie',
		title,
		addressId: null,
		lon: 5.86,
		lat: 51.83,
		createdAt: '2026-12-01'
	}))
		pin.set(k, v);
	return Y.encodeStateAsUpdate(doc);
}

const uint = fc.oneof(
	fc.nat(),
	fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER)
);
const json = fc.oneof(
	fc.jsonValue().map((v) => JSON.stringify(v)),
	fc.constantFrom(
		'null',
		'{}',
		'{"cursor":{"lon":5.8,"lat":51.8}}',
		'{"cursor":{"lon":"x"}}',
		'{"__proto__":{"admin":true}}',
		`{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`,
		'geen json',
		'',
		`{"selection":"${'x'.repeat(100_000)}"}`
	)
);
const sync = (step: 0 | 1 | 2) =>
	fc.uint8Array({ maxLength: 60 }).map((bytes) =>
		frame([
			['uint', 0],
			['uint', step],
			['bytes', bytes]
		])
	);
const message = fc.oneof(
	fc.array(fc.record({ client: uint, clock: uint, state: json }), { maxLength: 3 }).map(presence),
	sync(0),
	sync(1),
	sync(2),
	fc.array(fc.tuple(uint, uint), { maxLength: 4 }).map((vector) => {
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, vector.length);
		for (const [client, clock] of vector) {
			encoding.writeVarUint(e, client);
			encoding.writeVarUint(e, clock);
		}
		return frame([
			['uint', 0],
			['uint', 0],
			['bytes', encoding.toUint8Array(e)]
		]);
	}),
	fc.nat({ max: 300 }).map((type) => frame([['uint', type]])),
	fc
		.tuple(
			fc.oneof(fc.string(), fc.integer(), fc.constant('x'.repeat(2000))),
			fc.nat(),
			fc.nat(255)
		)
		.map(([title, at, byte]) => {
			const m = frame([
				['uint', 0],
				['uint', 2],
				['bytes', pinUpdate(title)]
			]);
			if (at % 3 === 0) m[at % m.length] = byte;
			return at % 3 === 1 ? m.subarray(0, at % m.length) : m;
		}),
	fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b))
);

/** The codes a socket may end with: bad message, refused update, too much of something. */
const REFUSALS = [4400, 4413, 4422, 4429, 1009];

describe('the sync socket under random input', () => {
	let server: ServerProcess;
	let cookie: string;
	let editor: TestClient;

	beforeAll(async () => {
		const seeded = await startSeededServer();
		server = seeded.server;
		cookie = seeded.users.owner.cookie;
		editor = connectClient(server.port, 'spoorbuurt', { cookie });
		await whenSynced(editor);
	}, 180_000);
	afterAll(async () => {
		editor?.destroy();
		await server?.stop('SIGKILL');
	});

	it('answers or closes with a reason, stays up, and the board goes on', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
				const socket = rawSyncSocket(server.port, 'spoorbuurt', cookie);
				await socket.opened;
				for (const m of messages) if (socket.ws.readyState === socket.ws.OPEN) socket.ws.send(m);
				// Everything sent before is handled once the answer to "send me everything" arrives.
				const answered = await new Promise<boolean>((resolve) => {
					socket.ws.on('message', (data: Buffer) => {
						if (data[0] === 0 && data[1] === 1) resolve(true);
					});
					void socket.closed.then(() => resolve(false));
					if (socket.ws.readyState === socket.ws.OPEN) socket.ws.send(askEverything());
				});
				if (!answered) expect(REFUSALS).toContain((await socket.closed).code);
				socket.ws.close();
				expect(server.child.exitCode).toBeNull();
			}),
			{ numRuns: Number(process.env.SYNC_FUZZ_RUNS ?? 100) }
		);
		addPin(editor, 'na-de-aanval', 'na de aanval');
		const other = connectClient(server.port, 'spoorbuurt', { cookie });
		try {
			await whenSynced(other);
			await expect.poll(() => titles(other)).toContain('na de aanval');
		} finally {
			other.destroy();
		}
		expect(server.output()).not.toMatch(/\[buurtbord\] error|uncaught|unhandled/i);
	}, 300_000);
});
