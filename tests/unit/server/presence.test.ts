import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { FILTER_VALUES_MAX, presenceColour } from '../../../src/lib/collab/presence-state';
import {
	PRESENCE_LIMITS,
	PRESENTATION_RESUME_MS,
	RoomPresence
} from '../../../src/lib/server/sync/presence';
import { awarenessMessage } from '../../support/presence';

/** The awareness payload of a y-websocket awareness message (what Room hands to RoomPresence). */
function payload(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
	const decoder = decoding.createDecoder(awarenessMessage(entries));
	decoding.readVarUint(decoder);
	return decoding.readVarUint8Array(decoder);
}

const alice = { readOnly: false, userId: 'user-a', userName: 'Alice', organisationName: 'Org A' };
const bob = { readOnly: true, userId: 'user-b', userName: 'Bob', organisationName: null };

describe('RoomPresence', () => {
	let doc: Y.Doc;
	let awareness: Awareness;
	let presence: RoomPresence;
	let broadcasts: number;
	const connA = {};
	const connB = {};

	beforeEach(() => {
		vi.useFakeTimers();
		doc = new Y.Doc();
		awareness = new Awareness(doc);
		awareness.setLocalState(null);
		presence = new RoomPresence(awareness);
		broadcasts = 0;
		awareness.on('update', () => broadcasts++);
	});
	afterEach(() => {
		presence.destroy();
		awareness.destroy();
		doc.destroy();
		vi.useRealTimers();
	});

	const state = (id: number) =>
		awareness.getStates().get(id) as Record<string, unknown> | undefined;

	it('stamps the sender and drops fields outside the schema', () => {
		presence.receive(
			connA,
			alice,
			payload([
				{
					clientId: 1,
					clock: 1,
					state: { cursor: { lon: 5, lat: 51 }, user: { name: 'Mallory' }, bsn: '123' }
				}
			])
		);
		expect(state(1)).toEqual({
			cursor: { lon: 5, lat: 51 },
			user: { id: 'user-a', name: 'Alice', organisation: 'Org A', colour: presenceColour('user-a') }
		});
	});

	it('lets a connection write only ids it holds, at most two', () => {
		presence.receive(
			connA,
			alice,
			payload([{ clientId: 1, clock: 1, state: { presenting: false } }])
		);
		// Bob (a viewer) writes Alice's id: dropped; his own ids: two at most.
		presence.receive(
			connB,
			bob,
			payload([
				{ clientId: 1, clock: 9, state: { cursor: { lon: 9, lat: 9 } } },
				...Array.from({ length: 50 }, (_, i) => ({ clientId: 100 + i, clock: 1, state: {} }))
			])
		);
		vi.advanceTimersByTime(100);
		expect(state(1)?.cursor).toBeUndefined();
		expect((state(1)?.user as { name: string }).name).toBe('Alice');
		expect([...awareness.getStates().keys()].sort((a, b) => a - b)).toEqual([1, 100, 101]);
		expect(presence.heldIds).toBe(3);
	});

	it('coalesces a flood into one broadcast per interval, the latest state winning', () => {
		for (let clock = 1; clock <= 500; clock++)
			presence.receive(
				connA,
				alice,
				payload([{ clientId: 1, clock, state: { cursor: { lon: clock / 100, lat: 51 } } }])
			);
		// The first went at once; the rest waits for the interval (and past the message budget is dropped).
		expect(broadcasts).toBe(1);
		vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		expect(broadcasts).toBe(2);
		expect((state(1)?.cursor as { lon: number }).lon).toBe(PRESENCE_LIMITS.messagesPerSecond / 100);
		vi.advanceTimersByTime(1000);
		expect(broadcasts).toBe(2);
	});

	it('drops one bad field alone, keeping the rest of the state', () => {
		const view = { lon: 5.87, lat: 51.83, zoom: 16 };
		const selection = { kind: 'notitie', id: 'n1' };
		const filters = {
			tab: 'gesprekken',
			theme: '',
			status: '',
			round: '',
			street: 'x'.repeat(PRESENCE_LIMITS.stateBytes),
			sort: 'street'
		};
		presence.receive(
			connA,
			alice,
			payload([
				{ clientId: 1, clock: 1, state: { cursor: { lon: 'vijf', lat: 51 }, view, selection } },
				{ clientId: 2, clock: 1, state: { cursor: { lon: 5, lat: 51 }, selection, filters } }
			])
		);
		vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		expect(state(1)).toMatchObject({ view, selection, user: { name: 'Alice' } });
		expect(state(1)).not.toHaveProperty('cursor');
		expect(state(2)).toMatchObject({ cursor: { lon: 5, lat: 51 }, selection });
		expect(state(2)).not.toHaveProperty('filters');
	});

	it('keeps what fits when valid fields are too big together, largest field out first', () => {
		const list = (prefix: string) =>
			Array.from({ length: FILTER_VALUES_MAX }, (_, i) => `${prefix}-${i}`.padEnd(200, 'x'));
		const criteria = {
			themeIds: list('t'),
			rounds: [],
			outcomes: [],
			from: null,
			to: null,
			streets: list('s'),
			heldBy: list('h'),
			openOnly: false,
			initiatiefStatus: ''
		};
		const filters = {
			tab: 'addresses',
			theme: '',
			status: '',
			round: '',
			street: '',
			sort: 'street',
			criteria
		};
		presence.receive(
			connA,
			alice,
			payload([{ clientId: 1, clock: 1, state: { cursor: { lon: 5, lat: 51 }, filters } }])
		);
		expect(state(1)).toMatchObject({ cursor: { lon: 5, lat: 51 }, user: { name: 'Alice' } });
		expect(state(1)).not.toHaveProperty('filters');
	});

	it('drops states too big to read and removes a connection’s states when it leaves', () => {
		presence.receive(
			connA,
			alice,
			payload([
				{
					clientId: 1,
					clock: 1,
					state: { cursor: { lon: 5, lat: 51 }, bsn: 'x'.repeat(PRESENCE_LIMITS.rawStateBytes) }
				}
			])
		);
		expect(state(1)).toBeUndefined();
		presence.receive(connA, alice, payload([{ clientId: 2, clock: 1, state: {} }]));
		expect(state(2)).toBeDefined();
		presence.leave(connA);
		expect(state(2)).toBeUndefined();
		expect(presence.heldIds).toBe(0);
		// The id is free again for a new connection.
		presence.receive(connB, bob, payload([{ clientId: 2, clock: 5, state: {} }]));
		vi.advanceTimersByTime(100);
		expect((state(2)?.user as { name: string }).name).toBe('Bob');
	});

	it('stamps when a presentation started by the server clock, and continues it when restarted at once', () => {
		vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
		const send = (clock: number, value: Record<string, unknown>) => {
			presence.receive(connA, alice, payload([{ clientId: 1, clock, state: value }]));
			vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		};
		// A far-future start would lead every presentation for ever: the server's time instead.
		send(1, { presenting: true, presentingSince: Number.MAX_SAFE_INTEGER });
		const started = Date.parse('2026-12-01T10:00:00Z');
		expect(state(1)).toMatchObject({ presenting: true, presentingSince: started });
		// Stopped and started again at once: the same presentation (who stepped out stays out).
		vi.advanceTimersByTime(1000);
		send(2, { presenting: false, presentingSince: 0 });
		expect(state(1)).toMatchObject({ presenting: false, presentingSince: 0 });
		send(3, { presenting: true, presentingSince: Date.now() + 5 });
		expect(state(1)!.presentingSince).toBe(started);
		// Much later: a new one.
		send(4, { presenting: false, presentingSince: 0 });
		vi.advanceTimersByTime(PRESENTATION_RESUME_MS + 1);
		send(5, { presenting: true, presentingSince: 1 });
		expect(state(1)!.presentingSince).toBe(Date.now() - PRESENCE_LIMITS.intervalMs);
	});

	it('continues a presentation from a new connection of the same user (reload, reconnect)', () => {
		vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
		const send = (conn: object, clientId: number, clock: number, value: object) => {
			presence.receive(conn, alice, payload([{ clientId, clock, state: value }]));
			vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		};
		send(connA, 1, 1, { presenting: true });
		const started = state(1)!.presentingSince;
		expect(started).toBe(Date.parse('2026-12-01T10:00:00Z'));
		// The network went: the server closed the socket; the page reconnects, still presenting.
		vi.advanceTimersByTime(20_000);
		presence.leave(connA);
		vi.advanceTimersByTime(10_000);
		const connC = {};
		send(connC, 1, 2, { presenting: true });
		// The same presentation: followers who stepped out of it are not pulled back in.
		expect(state(1)!.presentingSince).toBe(started);
		// Another user's presentation is their own; and long after leaving, a new one starts.
		send(connB, 3, 1, { presenting: true });
		expect(state(3)!.presentingSince).toBe(Date.now() - PRESENCE_LIMITS.intervalMs);
		presence.leave(connC);
		vi.advanceTimersByTime(PRESENTATION_RESUME_MS + 1);
		const connD = {};
		send(connD, 4, 1, { presenting: true });
		expect(state(4)!.presentingSince).toBe(Date.now() - PRESENCE_LIMITS.intervalMs);
	});

	it('gives a tab that comes back its id at the clock it had, and nobody else', () => {
		presence.receive(connA, alice, payload([{ clientId: 1, clock: 3, state: { cursor: null } }]));
		vi.advanceTimersByTime(100);
		presence.leave(connA);
		expect(state(1)).toBeUndefined();
		// Another user's client echoing the state that just went does not take the id.
		presence.receive(connB, bob, payload([{ clientId: 1, clock: 3, state: { cursor: null } }]));
		vi.advanceTimersByTime(100);
		expect(state(1)).toBeUndefined();
		// The same user's tab, reconnected, does: one clock later, so that every client applies it.
		const connC = {};
		presence.receive(connC, alice, payload([{ clientId: 1, clock: 3, state: { cursor: null } }]));
		vi.advanceTimersByTime(100);
		expect((state(1)?.user as { id: string }).id).toBe('user-a');
		expect(awareness.meta.get(1)!.clock).toBe(4);
	});

	it('continues a presentation seen from another process, unless its user lost access', () => {
		vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
		const since = Date.now() - 60_000;
		const relayed = Symbol('relay');
		const foreign = (clientId: number, userId: string) => {
			// A state stamped on another process, applied as the relay applies it, then gone (killed).
			const update = payload([
				{
					clientId,
					clock: 1,
					state: { presenting: true, presentingSince: since, user: { id: userId } }
				}
			]);
			applyAwarenessUpdate(awareness, update, relayed);
			removeAwarenessStates(awareness, [clientId], relayed);
		};
		foreign(7, 'user-a');
		presence.receive(
			connA,
			alice,
			payload([{ clientId: 1, clock: 1, state: { presenting: true } }])
		);
		vi.advanceTimersByTime(100);
		expect(state(1)!.presentingSince).toBe(since);
		presence.leave(connA);
		// Removed from the board (on any process: the relay carries it): nothing to continue.
		presence.forget('user-a');
		const connC = {};
		presence.receive(
			connC,
			alice,
			payload([{ clientId: 2, clock: 1, state: { presenting: true } }])
		);
		vi.advanceTimersByTime(100);
		expect(state(2)!.presentingSince).toBe(Date.now() - 100);
	});

	it('accepts an older page’s filters and the whole filter, and drops a filter out of bounds', () => {
		const older = {
			tab: 'gesprekken',
			theme: 't1',
			status: 'later',
			round: '1',
			street: 'Valeriusstraat',
			sort: 'street'
		};
		// The most a page may send: 20 values per list (ids and names of 36 to 60 characters).
		const list = (prefix: string) =>
			Array.from({ length: FILTER_VALUES_MAX }, (_, i) => `${prefix}-${i}`.padEnd(60, 'x'));
		const whole = {
			...older,
			criteria: {
				themeIds: list('thema'),
				rounds: [1, 2],
				outcomes: ['later'],
				from: '2025-01-01',
				to: '2025-12-31',
				streets: list('straat'),
				heldBy: list('medewerker'),
				openOnly: true,
				initiatiefStatus: 'loopt'
			}
		};
		const cursor = { lon: 5, lat: 51 };
		const view = { lon: 5.87, lat: 51.83, zoom: 16 };
		const selection = { kind: 'address', id: 'a'.repeat(36), editing: 'g'.repeat(36) };
		presence.receive(
			connA,
			alice,
			payload([
				{ clientId: 1, clock: 1, state: { filters: older } },
				{ clientId: 2, clock: 1, state: { cursor, view, selection, filters: whole } }
			])
		);
		vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		expect(state(1)!.filters).toEqual(older);
		expect(state(2)!.filters).toEqual(whole);
		// Beyond the bounds (a 21st street, a date that is none): the whole filter (`criteria`) is
		// dropped from that state, the older six fields and the state stay; no other state changes.
		const tooMany = { ...whole.criteria, streets: [...list('straat'), 'een te veel'] };
		presence.receive(
			connB,
			bob,
			payload([{ clientId: 3, clock: 1, state: { filters: { ...older, criteria: tooMany } } }])
		);
		presence.receive(
			connB,
			bob,
			payload([
				{
					clientId: 4,
					clock: 1,
					state: { filters: { ...older, criteria: { ...whole.criteria, from: 'gisteren' } } }
				}
			])
		);
		vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		expect(state(3)!.filters).toEqual(older);
		expect(state(4)!.filters).toEqual(older);
		expect(state(1)!.filters).toEqual(older);
	});

	it('never tells others that a read-only member edits something', () => {
		presence.receive(
			connB,
			bob,
			payload([{ clientId: 2, clock: 1, state: { editing: { kind: 'gesprek', id: 'g1' } } }])
		);
		vi.advanceTimersByTime(PRESENCE_LIMITS.intervalMs);
		expect(state(2)).toBeDefined();
		expect(state(2)!.editing).toBeUndefined();
	});
});
