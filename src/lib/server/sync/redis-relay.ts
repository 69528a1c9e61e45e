import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { RELAY_ORIGIN, type RelayEvent, type RelayTarget, type SyncRelay } from './relay';
import type { Room } from './room';

/** Message kinds on a document's channel. */
const UPDATE = 0;
/** A process that just loaded the document asks for what it lacks: [request id][state vector]. */
const SYNC_REQUEST = 1;
/** The answer: [request id][update with what the requester lacks]. */
const SYNC_REPLY = 2;
const AWARENESS = 3;
const QUERY_AWARENESS = 4;
/** The document was changed by the server (erasure, retention) and compacted: compact too. */
const COMPACT = 5;

export interface RedisRelayOptions {
	/** Channel names start with this (REDIS_PREFIX), so that deployments can share a Redis. */
	prefix?: string;
	/** How long a process that loads a document waits for the others' unstored edits. */
	catchUpMs?: number;
	/** How often a process says on the control channel that it is alive (default 1 s). */
	heartbeatMs?: number;
	/**
	 * A process not heard for this long (default 5 s) is taken for dead (killed, its machine gone):
	 * the presence states it announced are removed here, as its own clients' states would have been.
	 */
	deadAfterMs?: number;
	log?: (message: string) => void;
}

interface Followed {
	room: Room;
	channel: string;
	stop: () => void;
	/** Awareness ids whose last state came from another process: that process's id. */
	foreign: Map<number, string>;
}

/**
 * Several Buurtbord processes serving the same boards through Redis pub/sub (REDIS_URL), in the
 * manner of Hocuspocus's extension-redis: one channel per loaded document (`<prefix>:doc:<name>`)
 * and one for access and session events (`<prefix>:control`). Every message starts with the
 * sending process's id; a process ignores its own.
 *
 * - A document update applied here (from a client or the server) is published at once; one from
 *   another process is applied with RELAY_ORIGIN: this process's clients receive it, and it is
 *   stored here as well (every process holding a board stores every update; storing twice is
 *   harmless for Yjs and compaction merges it), so a process that dies loses nothing.
 * - Presence changes accepted here (stamped, coalesced: presence.ts) are published; others' are
 *   applied and their ids can not be claimed by a connection here.
 * - Every process says it is alive on the control channel every heartbeatMs; one not heard for
 *   deadAfterMs (killed with -9, its machine gone) had its presence states removed by every other
 *   process, so that nobody keeps seeing (or following) its clients for the awareness timeout
 *   (30 s). Only processes that sent heartbeats are watched, so an older process is never dropped.
 * - A process that loads a document asks the others for what storage lacks (a sync request with
 *   its state vector) and waits (bounded) for every other subscriber's answer before its clients
 *   get the document; after a lost Redis connection it asks again.
 */
export class RedisRelay implements SyncRelay {
	readonly id = randomUUID();
	private readonly pub: Redis;
	private readonly sub: Redis;
	private readonly prefix: string;
	private readonly log: (message: string) => void;
	private readonly followed = new Map<string, Followed>();
	private readonly byChannel = new Map<string, string>();
	/** Catch-up requests of this process: request id → answer received. */
	private readonly waiting = new Map<string, () => void>();
	private target: RelayTarget | undefined;
	private ready = false;
	/** Other processes that sent heartbeats: when each was last heard. */
	private readonly heard = new Map<string, number>();
	private beat: ReturnType<typeof setInterval> | undefined;

	constructor(
		url: string,
		private readonly options: RedisRelayOptions = {}
	) {
		this.prefix = options.prefix ?? 'buurtbord';
		this.log = options.log ?? ((message) => console.log(`[relay] ${message}`));
		const connect = () => new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
		this.pub = connect();
		this.sub = connect();
		for (const client of [this.pub, this.sub]) {
			client.on('error', (err: Error) => this.log(`redis: ${err.message}`));
		}
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
			this.receive(channel.toString(), message)
		);
		// After a lost connection messages may have been missed: subscribe again (also to channels
		// whose subscription failed while Redis was away) and catch up. Once both connections are
		// back (they reconnect on their own schedules): asking with the publishing one still away
		// found no other process and asked nobody.
		const catchUp = () => {
			if (!this.ready || !this.connected) return;
			this.log('redis connection back: catching up on followed documents');
			for (const [name, entry] of this.followed) {
				this.sub
					.subscribe(entry.channel)
					.then(() => this.requestSync(name, entry))
					.catch((err: Error) => this.log(`following ${name} failed: ${err.message}`));
			}
		};
		this.sub.on('ready', catchUp);
		this.pub.on('ready', catchUp);
	}

	/** Whether both Redis connections are up (readiness). */
	get connected(): boolean {
		return this.pub.status === 'ready' && this.sub.status === 'ready';
	}

	async start(target: RelayTarget): Promise<void> {
		this.target = target;
		await Promise.all([this.pub.connect(), this.sub.connect()]);
		await this.sub.subscribe(this.controlChannel);
		this.ready = true;
		const every = this.options.heartbeatMs ?? 1000;
		this.beat = setInterval(() => this.heartbeat(), every);
		this.beat.unref();
		this.heartbeat();
	}

	/** Says this process is alive; takes processes not heard for deadAfterMs for dead. */
	private heartbeat(): void {
		const message = JSON.stringify({ sender: this.id, event: { type: 'alive' } });
		this.pub.publish(this.controlChannel, message).catch(() => undefined);
		const now = Date.now();
		const deadAfter = this.options.deadAfterMs ?? 5000;
		for (const [sender, at] of this.heard) {
			if (now - at <= deadAfter) continue;
			this.heard.delete(sender);
			this.dropProcess(sender, now - at);
		}
	}

	/** Removes the presence states another process announced (it stopped answering). */
	private dropProcess(sender: string, silentMs: number): void {
		let dropped = 0;
		for (const entry of this.followed.values()) {
			const ids: number[] = [];
			for (const [id, from] of entry.foreign) {
				if (from !== sender) continue;
				entry.foreign.delete(id);
				if (entry.room.presence.isForeign(id) && entry.room.awareness.states.has(id)) ids.push(id);
			}
			if (ids.length === 0) continue;
			dropped += ids.length;
			awarenessProtocol.removeAwarenessStates(entry.room.awareness, ids, RELAY_ORIGIN);
		}
		this.log(
			`a process was not heard for ${silentMs} ms: removed ${dropped} presence states of it`
		);
	}

	async follow(name: string, room: Room): Promise<void> {
		const channel = `${this.prefix}:doc:${name}`;
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			if (origin !== RELAY_ORIGIN) this.send(channel, UPDATE, update);
		};
		const onAwareness = (
			{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
			origin: unknown
		) => {
			if (origin === RELAY_ORIGIN) {
				room.presence.markForeign([...added, ...updated], removed);
				return;
			}
			room.presence.markForeign([], removed);
			const changed = [...added, ...updated, ...removed];
			this.send(
				channel,
				AWARENESS,
				awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed)
			);
		};
		room.doc.on('update', onUpdate);
		room.awareness.on('update', onAwareness);
		const entry: Followed = {
			room,
			channel,
			foreign: new Map(),
			stop: () => {
				room.doc.off('update', onUpdate);
				room.awareness.off('update', onAwareness);
			}
		};
		this.followed.set(name, entry);
		this.byChannel.set(channel, name);
		// Redis away: the document is served to this process's clients all the same; the
		// subscription and catch-up follow when the connection is back (see 'ready').
		try {
			await bounded(this.sub.subscribe(channel), this.options.catchUpMs ?? 500);
			await this.requestSync(name, entry);
			this.send(channel, QUERY_AWARENESS, new Uint8Array());
		} catch (err) {
			this.log(`following ${name} failed: ${(err as Error).message}`);
		}
	}

	async unfollow(name: string): Promise<void> {
		const entry = this.followed.get(name);
		if (!entry) return;
		entry.stop();
		this.followed.delete(name);
		this.byChannel.delete(entry.channel);
		// Not waited for: with Redis away it would hold up an unload or a shutdown; messages that
		// still arrive for the channel are ignored.
		this.sub.unsubscribe(entry.channel).catch(() => undefined);
	}

	publish(event: RelayEvent): void {
		if (event.type === 'compact') {
			const entry = this.followed.get(event.name);
			if (entry) this.send(entry.channel, COMPACT, new Uint8Array());
			return;
		}
		const message = JSON.stringify({ sender: this.id, event });
		this.pub.publish(this.controlChannel, message).catch((err: Error) => {
			this.log(`publishing ${event.type} failed: ${err.message}`);
		});
	}

	async close(): Promise<void> {
		this.ready = false;
		clearInterval(this.beat);
		for (const name of [...this.followed.keys()]) await this.unfollow(name);
		await Promise.allSettled([bounded(this.pub.quit(), 1000), bounded(this.sub.quit(), 1000)]);
		this.pub.disconnect();
		this.sub.disconnect();
	}

	private get controlChannel(): string {
		return `${this.prefix}:control`;
	}

	/**
	 * Asks the other processes holding this document for what it lacks, and waits until every
	 * one of them answered (or catchUpMs passed): their unstored edits are in before clients load.
	 */
	private async requestSync(name: string, entry: Followed): Promise<void> {
		let others = 0;
		try {
			const [, count] = (await bounded(
				this.pub.pubsub('NUMSUB', entry.channel),
				this.options.catchUpMs ?? 500
			)) as [string, number];
			others = Number(count) - 1;
		} catch (err) {
			this.log(`counting the processes of ${name} failed: ${(err as Error).message}`);
		}
		if (others <= 0) return;
		const requestId = randomUUID();
		const answered = new Promise<void>((resolve) => {
			let left = others;
			this.waiting.set(requestId, () => {
				if (--left <= 0) resolve();
			});
		});
		const encoder = encoding.createEncoder();
		encoding.writeVarString(encoder, requestId);
		encoding.writeVarUint8Array(encoder, Y.encodeStateVector(entry.room.doc));
		this.send(entry.channel, SYNC_REQUEST, encoding.toUint8Array(encoder));
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([
			answered,
			new Promise((resolve) => (timer = setTimeout(resolve, this.options.catchUpMs ?? 500)))
		]);
		clearTimeout(timer);
		this.waiting.delete(requestId);
	}

	private send(channel: string, kind: number, payload: Uint8Array): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarString(encoder, this.id);
		encoding.writeVarUint(encoder, kind);
		encoding.writeUint8Array(encoder, payload);
		this.pub.publish(channel, Buffer.from(encoding.toUint8Array(encoder))).catch((err: Error) => {
			this.log(`publishing to ${channel} failed: ${err.message}`);
		});
	}

	private receive(channel: string, message: Buffer): void {
		try {
			if (channel === this.controlChannel) {
				this.receiveControl(message.toString());
				return;
			}
			const name = this.byChannel.get(channel);
			const entry = name === undefined ? undefined : this.followed.get(name);
			if (!entry || name === undefined) return;
			const decoder = decoding.createDecoder(
				new Uint8Array(message.buffer, message.byteOffset, message.byteLength)
			);
			const sender = decoding.readVarString(decoder);
			if (sender === this.id) return;
			const kind = decoding.readVarUint(decoder);
			const payload = decoding.readTailAsUint8Array(decoder);
			if (kind === AWARENESS) noteSender(entry, sender, payload);
			this.receiveDoc(name, entry, kind, payload);
		} catch (err) {
			this.log(`a message on ${channel} could not be handled: ${(err as Error).message}`);
		}
	}

	private receiveDoc(name: string, entry: Followed, kind: number, payload: Uint8Array): void {
		const { room } = entry;
		switch (kind) {
			case UPDATE:
				Y.applyUpdate(room.doc, payload, RELAY_ORIGIN);
				break;
			case SYNC_REQUEST: {
				const decoder = decoding.createDecoder(payload);
				const requestId = decoding.readVarString(decoder);
				const stateVector = decoding.readVarUint8Array(decoder);
				const reply = encoding.createEncoder();
				encoding.writeVarString(reply, requestId);
				encoding.writeVarUint8Array(reply, Y.encodeStateAsUpdate(room.doc, stateVector));
				// Our state vector too: the catch-up goes both ways. After Redis was away, the first
				// process back counts no other subscriber and asks nobody; the one asking later must
				// then also bring it what it lacks (see SYNC_REPLY).
				encoding.writeVarUint8Array(reply, Y.encodeStateVector(room.doc));
				this.send(entry.channel, SYNC_REPLY, encoding.toUint8Array(reply));
				break;
			}
			case SYNC_REPLY: {
				const decoder = decoding.createDecoder(payload);
				const requestId = decoding.readVarString(decoder);
				Y.applyUpdate(room.doc, decoding.readVarUint8Array(decoder), RELAY_ORIGIN);
				this.waiting.get(requestId)?.();
				// What the answering process lacks of ours (a reply of an older process has no vector).
				if (decoding.hasContent(decoder)) {
					const vector = decoding.readVarUint8Array(decoder);
					const theirs = Y.decodeStateVector(vector);
					const ahead = [...Y.decodeStateVector(Y.encodeStateVector(room.doc))].some(
						([client, clock]) => clock > (theirs.get(client) ?? 0)
					);
					if (ahead) this.send(entry.channel, UPDATE, Y.encodeStateAsUpdate(room.doc, vector));
				}
				break;
			}
			case AWARENESS:
				awarenessProtocol.applyAwarenessUpdate(room.awareness, payload, RELAY_ORIGIN);
				break;
			case QUERY_AWARENESS: {
				// Every process answers with the states of its own connections: so each state is
				// known to come from the process that holds it (see dropProcess).
				const ids = [...room.awareness.getStates().keys()].filter(
					(id) => !room.presence.isForeign(id)
				);
				if (ids.length === 0) break;
				this.send(
					entry.channel,
					AWARENESS,
					awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)
				);
				break;
			}
			case COMPACT:
				void this.target?.compactLoaded(name).catch((err: Error) => {
					this.log(`compacting ${name} after a change elsewhere failed: ${err.message}`);
				});
				break;
		}
	}

	private receiveControl(text: string): void {
		const { sender, event } = JSON.parse(text) as {
			sender: string;
			event: RelayEvent | { type: 'alive' };
		};
		if (sender === this.id) return;
		if (event.type === 'alive') {
			this.heard.set(sender, Date.now());
			return;
		}
		if (!this.target) return;
		const target = this.target;
		switch (event.type) {
			case 'reauthorize':
				void target.reauthorize(event.boardId, event.userId, event.role, { relayed: true });
				break;
			case 'disconnect-user':
				void target.disconnectUser(event.userId, { relayed: true });
				break;
			case 'session-ended':
				target.endSessions(event.end);
				break;
			case 'register-changed':
				void target.registerChanged(event.boardId, { relayed: true, part: event.part });
				break;
		}
	}
}

/** Which process announced (or removed) which awareness ids of a document. */
function noteSender(entry: Followed, sender: string, update: Uint8Array): void {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	for (let i = 0; i < count; i++) {
		const id = decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		if (decoding.readVarString(decoder) === 'null') entry.foreign.delete(id);
		else entry.foreign.set(id, sender);
	}
}

function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer from redis within ${ms} ms`)), ms);
		})
	]).finally(() => clearTimeout(timer));
}
