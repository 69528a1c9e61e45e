import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BOARD_LAYOUT, jsonSchemaOf, type Shape } from '../../../src/lib/board/layout';
import { UpdateRefusal } from '../../../src/lib/server/sync/hooks';
import { takeValidPart } from '../../../src/lib/server/sync/repair';
import { validateBoardUpdate } from '../../../src/lib/server/sync/validate';

/**
 * Randomised: three clients edit a board at once with anything Yjs lets them write (entities of
 * every kind, fields of every type, nested maps, lists, texts, deletions, unknown fields and
 * top-level types), each client's updates reaching the server in order but interleaved with the
 * others'. The server checks each update as the sync server does (validateBoardUpdate, then the
 * valid part: takeValidPart). Whatever it accepts, its document stays a valid board: the whole
 * document passes the check from scratch and every entity reads with the layout's schema. Only
 * UpdateRefusal ever comes out of the check. Clients that send only what the app itself writes
 * are never refused. FUZZ_RUNS=<n> for more runs (200 by default), FUZZ_DEBUG=1 to print each
 * refusal's reason.
 */
const CLIENTS = 3;
const KINDS = Object.keys(BOARD_LAYOUT);
const IDS = ['a', 'b', 'c'];
const GUID = '0b7e4e7e-5f3a-4c4b-9d3e-2a9f0c1d2e3f';

/** Plain values of every sort; each field's schema sorts them into valid and invalid ones. */
const VALUES: unknown[] = [
	'x',
	'',
	'gesproken',
	'later',
	'open',
	'klaar',
	'idee',
	'loopt',
	'2026-11-30',
	'30-11-2026',
	'#1f6f5c',
	'rood',
	GUID,
	'a'.repeat(201),
	'a'.repeat(10_001),
	0,
	1,
	2,
	100,
	5.86,
	51.83,
	-200,
	1.5,
	true,
	false,
	null,
	{ addressId: 'adres-1' },
	{ lon: 5.86, lat: 51.83 },
	{ lon: 5.86, lat: 51.83, extra: 1 },
	{ addressId: '' },
	['x'],
	{ nested: { deeper: 'x' } },
	new Uint8Array([1, 2, 3])
];

const validValues = (schema: { safeParse(v: unknown): { success: boolean } }) =>
	VALUES.filter((v) => !(v instanceof Uint8Array) && schema.safeParse(v).success);

interface Choice {
	/** Picks among alternatives. */
	n: number;
	/** Whether this step writes something the layout forbids (for hostile clients). */
	bad: boolean;
}

/** A value for a field of the given shape: valid, or with `bad`, anything. */
function make(shape: Shape, c: Choice): unknown {
	if (c.bad && c.n % 2 === 0) {
		// Anything at all: a plain value, or a type of the wrong kind.
		const any = [...VALUES, new Y.Map(), new Y.Array(), new Y.Text(), new Y.XmlText()];
		return any[(c.n >> 1) % any.length];
	}
	switch (shape.kind) {
		case 'value': {
			const ok = validValues(shape.schema);
			return ok.length > 0 ? ok[c.n % ok.length] : null;
		}
		case 'map': {
			const map = new Y.Map<unknown>();
			const fields = Object.entries(shape.fields);
			for (const [i, [key, field]] of fields.entries()) {
				// A bad map may leave out a required field, or get one the layout does not know.
				if (c.bad && (c.n + i) % 7 === 1) continue;
				// Marking a gesprek confidential moves its notes to another document (not modelled
				// here): the app never writes notes into a confidential one.
				if (key === 'confidential' && !c.bad) map.set(key, null);
				else map.set(key, make(field, { n: c.n + i, bad: false }));
			}
			if (c.bad && c.n % 5 === 2) map.set('bsn', '123456789');
			return map;
		}
		case 'array': {
			const array = new Y.Array<unknown>();
			const length = c.bad && c.n % 4 === 3 ? shape.maxLength + 1 : c.n % 3;
			array.insert(
				0,
				Array.from({ length }, (_, i) => make(shape.of, { n: c.n + i, bad: false }))
			);
			return array;
		}
		case 'text': {
			const text = new Y.Text();
			text.insert(0, c.bad && c.n % 4 === 3 ? 'x'.repeat(shape.maxLength + 1) : 'tekst');
			return text;
		}
		case 'record':
			return new Y.Map();
	}
}

type Op =
	| { kind: 'create'; client: number; type: number; id: number; c: Choice }
	| { kind: 'set'; client: number; type: number; id: number; field: number; c: Choice }
	| { kind: 'remove'; client: number; type: number; id: number; field: number; whole: boolean }
	| { kind: 'list'; client: number; type: number; id: number; field: number; c: Choice; at: number }
	| { kind: 'nested'; client: number; type: number; id: number; field: number; c: Choice }
	| { kind: 'unknown'; client: number; c: Choice }
	| { kind: 'reconnect'; client: number }
	| { kind: 'peer'; client: number; from: number }
	| { kind: 'deliver'; client: number; count: number }
	| { kind: 'pull'; client: number };

const choice = (hostile: boolean) =>
	fc.record({ n: fc.nat({ max: 1000 }), bad: hostile ? fc.boolean() : fc.constant(false) });
const client = fc.nat({ max: CLIENTS - 1 });
const type = fc.nat({ max: KINDS.length - 1 });
const id = fc.nat({ max: IDS.length - 1 });
const field = fc.nat({ max: 20 });

function ops(hostile: boolean): fc.Arbitrary<Op[]> {
	const op: fc.Arbitrary<Op> = fc.oneof(
		fc.record({ kind: fc.constant('create' as const), client, type, id, c: choice(hostile) }),
		fc.record({ kind: fc.constant('set' as const), client, type, id, field, c: choice(hostile) }),
		fc.record({
			kind: fc.constant('remove' as const),
			client,
			type,
			id,
			field,
			// Deleting a field of an entity is not something the app does (only whole entities).
			whole: hostile ? fc.boolean() : fc.constant(true)
		}),
		fc.record({
			kind: fc.constant('list' as const),
			client,
			type,
			id,
			field,
			c: choice(hostile),
			at: fc.nat({ max: 5 })
		}),
		fc.record({
			kind: fc.constant('nested' as const),
			client,
			type,
			id,
			field,
			c: choice(hostile)
		}),
		...(hostile
			? [fc.record({ kind: fc.constant('unknown' as const), client, c: choice(true) })]
			: []),
		fc.record({ kind: fc.constant('reconnect' as const), client }),
		// Another tab of the same browser (y-websocket's BroadcastChannel): edits the server may not
		// have yet, which this client then sends along at its next reconnect.
		fc.record({ kind: fc.constant('peer' as const), client, from: client }),
		fc.record({
			kind: fc.constant('deliver' as const),
			client,
			count: fc.integer({ min: 1, max: 4 })
		}),
		fc.record({ kind: fc.constant('pull' as const), client })
	);
	return fc.array(op, { minLength: 1, maxLength: 60 });
}

interface Client {
	doc: Y.Doc;
	/** Updates made but not yet delivered to the server, in order. */
	outbox: Uint8Array[];
}

function newClient(server: Y.Doc): Client {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'server');
	const c: Client = { doc, outbox: [] };
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'server' && origin !== 'peer') c.outbox.push(update);
	});
	return c;
}

/** Applies an op to a client's document (a local edit, queued for the server). */
function edit(c: Client, op: Op): void {
	if (op.kind === 'deliver' || op.kind === 'pull' || op.kind === 'reconnect' || op.kind === 'peer')
		return;
	if (op.kind === 'unknown') {
		// A top-level type or entity the layout does not have.
		const junk = c.doc.getMap(op.c.n % 2 ? 'geheim' : 'pins');
		junk.set(op.c.n % 2 ? 'x' : '', VALUES[op.c.n % VALUES.length]);
		return;
	}
	const kind = KINDS[op.type]!;
	const shape = BOARD_LAYOUT[kind]!.of;
	if (shape.kind !== 'map') return;
	const top = c.doc.getMap<unknown>(kind);
	const key = IDS[op.id]!;
	if (op.kind === 'create') {
		top.set(key, make(shape, op.c));
		return;
	}
	const entity = top.get(key);
	if (!(entity instanceof Y.Map)) return;
	const names = Object.keys(shape.fields);
	const name = names[op.field % names.length]!;
	const fieldShape = shape.fields[name]!;
	if (op.kind === 'remove') {
		if (op.whole) top.delete(key);
		else entity.delete(name);
		return;
	}
	if (op.kind === 'set') {
		// The app replaces plain values and never the types it edits in place.
		if ((fieldShape.kind !== 'value' || name === 'confidential') && !op.c.bad) return;
		entity.set(name, make(fieldShape, op.c));
		return;
	}
	const inner = entity.get(name);
	if (op.kind === 'nested') {
		// A field of a nested map: the gesprek's consent, or a follow-up in its list.
		const target =
			inner instanceof Y.Map
				? { map: inner, shape: fieldShape }
				: inner instanceof Y.Array && fieldShape.kind === 'array' && inner.length > 0
					? { map: inner.get(op.c.n % inner.length), shape: fieldShape.of }
					: null;
		if (!target || !(target.map instanceof Y.Map) || target.shape.kind !== 'map') return;
		const keys = Object.keys(target.shape.fields);
		const key = keys[op.c.n % keys.length]!;
		if (op.c.bad && op.c.n % 4 === 1) target.map.delete(key);
		else if (op.c.bad && op.c.n % 4 === 3) target.map.set('extra', 'x');
		else target.map.set(key, make(target.shape.fields[key]!, op.c));
		return;
	}
	// op.kind === 'list': an edit inside a list or text field.
	if (inner instanceof Y.Array && fieldShape.kind === 'array') {
		if (op.at % 2 === 0 && inner.length > 0) inner.delete(op.at % inner.length, 1);
		else if (inner.length < 20 || op.c.bad)
			inner.insert(Math.min(op.at, inner.length), [make(fieldShape.of, op.c)]);
	} else if (inner instanceof Y.Text) {
		if (op.at % 2 === 0 && inner.length > 0) inner.delete(op.at % inner.length, 1);
		else if (op.c.bad && op.c.n % 4 === 0) inner.insertEmbed(0, { image: 'x' });
		else if (op.c.bad && op.c.n % 4 === 2 && inner.length > 0) inner.format(0, 1, { bold: true });
		else
			inner.insert(
				Math.min(op.at, inner.length),
				op.c.bad && op.c.n % 4 === 1 ? 'x'.repeat(60_000) : 'woord '
			);
	}
}

/** What the server does with one client update; false when it refused it as a whole. */
function receive(server: Y.Doc, update: Uint8Array): { refused: boolean; partial: boolean } {
	try {
		validateBoardUpdate(update, server);
		Y.applyUpdate(server, update, 'client');
		return { refused: false, partial: false };
	} catch (err) {
		if (!(err instanceof UpdateRefusal)) throw err;
		if (process.env.FUZZ_DEBUG) console.log('refused:', err.message);
		const part = takeValidPart(update, server, BOARD_LAYOUT);
		if (!part) return { refused: true, partial: false };
		Y.applyUpdate(server, part.update, 'client');
		return { refused: false, partial: true };
	}
}

/** The server's document is a valid board: checked from scratch, and read with the layout's schemas. */
function expectValidBoard(server: Y.Doc): void {
	const fresh = new Y.Doc();
	validateBoardUpdate(Y.encodeStateAsUpdate(server), fresh);
	for (const name of server.share.keys()) {
		// A top-level type the layout does not have holds nothing (what was written there was taken back).
		if (!KINDS.includes(name)) {
			expect(server.getMap(name).size, `top-level type ${name}`).toBe(0);
			continue;
		}
		const json = server.getMap(name).toJSON();
		const parsed = jsonSchemaOf(BOARD_LAYOUT[name]!).safeParse(json);
		expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues?.[0])}`).toBe(true);
	}
}

/** A board with a valid entity of every kind at every id, which the clients then edit. */
function seeded(): Y.Doc {
	const server = new Y.Doc();
	for (const kind of KINDS) {
		for (const [i, key] of IDS.entries()) {
			server.getMap(kind).set(key, make(BOARD_LAYOUT[kind]!.of, { n: i, bad: false }));
		}
	}
	expectValidBoard(server);
	return server;
}

function run(list: Op[]): { refusals: number; partials: number } {
	const server = seeded();
	const clients = Array.from({ length: CLIENTS }, () => newClient(server));
	let refusals = 0;
	let partials = 0;
	/** One update of a client to the server; false when refused (the client then reloads). */
	const send = (index: number, update: Uint8Array): boolean => {
		const result = receive(server, update);
		if (result.partial) partials++;
		if (result.refused) {
			// Refused (4422): the client drops its copy and reloads the board from the server.
			refusals++;
			clients[index] = newClient(server);
			return false;
		}
		expectValidBoard(server);
		return true;
	};
	const pull = (to: Y.Doc, from: Y.Doc, origin: string) =>
		Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), origin);
	for (const op of list) {
		const c = clients[op.client]!;
		if (op.kind === 'pull') pull(c.doc, server, 'server');
		else if (op.kind === 'peer') pull(c.doc, clients[op.from]!.doc, 'peer');
		else if (op.kind === 'reconnect') {
			// A client back online: its sync step 2, everything the server lacks, as one update.
			const update = Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(server));
			c.outbox.length = 0;
			if (send(op.client, update)) pull(c.doc, server, 'server');
		} else if (op.kind === 'deliver') {
			for (const update of c.outbox.splice(0, op.count)) if (!send(op.client, update)) break;
		} else edit(c, op);
	}
	return { refusals, partials };
}

describe('the update check under random concurrent edits', () => {
	it('keeps the board valid whatever three hostile clients send', () => {
		fc.assert(
			fc.property(ops(true), (list) => {
				run(list);
			}),
			{ numRuns: Number(process.env.FUZZ_RUNS ?? 200) }
		);
	});

	it('never refuses what the app itself writes, whatever the interleaving', () => {
		fc.assert(
			fc.property(ops(false), (list) => {
				const { refusals, partials } = run(list);
				expect({ refusals, partials }).toEqual({ refusals: 0, partials: 0 });
			}),
			{ numRuns: Number(process.env.FUZZ_RUNS ?? 200) }
		);
	});
});
