import type { Queryable } from '../db';
import type { HistoryChange, HistoryKind, HistoryOp } from './extract';

/** Who made a batch of changes on a board (and, for confidential notes, whose organisation). */
export interface HistoryActor {
	boardId: string;
	actorId: string;
	/** Set for changes of an organisation's confidential notes: only its members read them. */
	organisationId?: string | null;
}

interface Pending extends HistoryChange, HistoryActor {
	at: Date;
}

/**
 * Buffers field-level changes and writes them in batches (after `delayMs` without new changes, at
 * most `maxDelayMs` after the first). Successive changes of the same field by the same person in a
 * batch are one row (typing "Anna" is one change from the old value to "Anna"); list items added
 * and removed again in a batch cancel out.
 */
/**
 * Every recorder in this process, so that erasure can write what is pending before it deletes. On
 * globalThis: the sync server and the SvelteKit routes may load this module as separate copies.
 */
const REGISTRY = Symbol.for('buurtbord.historyRecorders');
const recorders: Set<HistoryRecorder> = ((globalThis as { [REGISTRY]?: Set<HistoryRecorder> })[
	REGISTRY
] ??= new Set());

/** Writes every recorder's pending changes now. */
export async function flushAllHistory(): Promise<void> {
	await Promise.all([...recorders].map((r) => r.flush()));
}

export class HistoryRecorder {
	/** In the order recorded; a Set, so that a change merged away leaves it at once. */
	#pending = new Set<Pending>();
	/**
	 * The pending changes of each field of an item (fieldKey), in order: a change is merged with
	 * the ones of its own field only. Scanning every pending change instead made an update that
	 * changes thousands of items cost the square of that (a minute of a blocked process for 12,000).
	 */
	#byField = new Map<string, Pending[]>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#first = 0;
	#writing: Promise<void> = Promise.resolve();

	constructor(
		private readonly db: Queryable,
		private readonly log: (message: string) => void,
		private readonly delayMs = 1000,
		private readonly maxDelayMs = 5000
	) {
		recorders.add(this);
	}

	/** Writes what is pending and forgets this recorder. */
	async close(): Promise<void> {
		recorders.delete(this);
		await this.flush();
	}

	record(actor: HistoryActor, changes: readonly HistoryChange[]): void {
		if (changes.length === 0) return;
		const at = new Date();
		for (const change of changes) this.#merge({ ...change, ...actor, at });
		if (this.#pending.size === 0) return;
		const now = Date.now();
		if (!this.#timer) this.#first = now;
		if (this.#timer) clearTimeout(this.#timer);
		const wait = Math.max(0, Math.min(this.delayMs, this.#first + this.maxDelayMs - now));
		this.#timer = setTimeout(() => void this.flush(), wait);
	}

	#merge(next: Pending): void {
		const key = fieldKey(next);
		const same = this.#byField.get(key) ?? [];
		if (next.op === 'set' || next.op === 'text') {
			const earlier = same.find((p) => p.op === next.op);
			if (earlier) {
				earlier.newValue = next.newValue;
				earlier.at = next.at;
				if (
					earlier.op === 'set' &&
					JSON.stringify(earlier.oldValue) === JSON.stringify(earlier.newValue)
				)
					this.#drop(key, earlier);
				return;
			}
		}
		if (next.op === 'add' || next.op === 'remove') {
			const opposite = next.op === 'add' ? 'remove' : 'add';
			const value = JSON.stringify(next.op === 'add' ? next.newValue : next.oldValue);
			const undone = same.find(
				(p) =>
					p.op === opposite && JSON.stringify(p.op === 'add' ? p.newValue : p.oldValue) === value
			);
			if (undone) {
				this.#drop(key, undone);
				return;
			}
		}
		this.#pending.add(next);
		same.push(next);
		this.#byField.set(key, same);
	}

	#drop(key: string, change: Pending): void {
		this.#pending.delete(change);
		const same = this.#byField.get(key)!;
		same.splice(same.indexOf(change), 1);
		if (same.length === 0) this.#byField.delete(key);
	}

	/** Writes what is pending now (tests, shutdown). */
	flush(): Promise<void> {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		const batch = [...this.#pending];
		this.#pending = new Set();
		this.#byField.clear();
		this.#writing = this.#writing.then(async () => {
			if (batch.length === 0) return;
			try {
				await insertHistory(this.db, batch);
			} catch (err) {
				// Never content in a log line: the count and the error only.
				this.log(`item history: ${batch.length} changes not recorded: ${(err as Error).message}`);
			}
		});
		return this.#writing;
	}
}

/** Changes of the same field of the same item, by the same person (and organisation), merge. */
function fieldKey(change: Pending): string {
	return JSON.stringify([
		change.boardId,
		change.actorId,
		change.organisationId ?? null,
		change.kind,
		change.entityId,
		change.field
	]);
}

async function insertHistory(db: Queryable, rows: readonly Pending[]): Promise<void> {
	await db.query(
		`insert into public.item_history
			(board_id, kind, entity_id, field, op, old_value, new_value, actor_id, organisation_id, at)
		 select r.board_id, r.kind, r.entity_id, r.field, r.op, r.old_value, r.new_value,
			r.actor_id, r.organisation_id, r.at
		 from jsonb_to_recordset(
			-- A driver may pass the JSON text as a JSON string value: unwrap it then.
			case when jsonb_typeof($1::jsonb) = 'string' then ($1::jsonb #>> '{}')::jsonb else $1::jsonb end
		 ) as r(
			board_id text, kind text, entity_id text, field text, op text, old_value jsonb,
			new_value jsonb, actor_id uuid, organisation_id uuid, at timestamptz)
		 where exists (select 1 from public.boards b where b.id = r.board_id)`,
		[
			JSON.stringify(
				rows.map((r) => ({
					board_id: r.boardId,
					kind: r.kind,
					entity_id: r.entityId,
					field: r.field,
					op: r.op,
					old_value: r.oldValue ?? null,
					new_value: r.newValue ?? null,
					actor_id: r.actorId,
					organisation_id: r.organisationId ?? null,
					at: r.at.toISOString()
				}))
			)
		]
	);
}

/** A stored change as read back: the change itself, when and by whom. */
export interface HistoryRow extends HistoryChange {
	id: string;
	at: string;
	actorName: string | null;
	organisationName: string | null;
	/** True for a change of confidential notes (the reader's own organisation's). */
	confidential: boolean;
}

type DbRow = {
	id: string | number;
	at: Date | string;
	kind: HistoryKind;
	entity_id: string;
	field: string | null;
	op: HistoryOp;
	old_value: unknown;
	new_value: unknown;
	display_name: string | null;
	organisation_name: string | null;
	organisation_id: string | null;
};

const SELECT = `select h.id, h.at, h.kind, h.entity_id, h.field, h.op, h.old_value, h.new_value,
		h.organisation_id, p.display_name, o.name as organisation_name
	from public.item_history h
	left join public.profiles p on p.id = h.actor_id
	left join public.organisations o on o.id = p.organisation_id`;

function toRow(r: DbRow): HistoryRow {
	return {
		id: String(r.id),
		at: (r.at instanceof Date ? r.at : new Date(r.at)).toISOString(),
		kind: r.kind,
		entityId: r.entity_id,
		field: r.field,
		op: r.op,
		oldValue: parse(r.old_value),
		newValue: parse(r.new_value),
		actorName: r.display_name,
		organisationName: r.organisation_name,
		confidential: r.organisation_id !== null
	};
}

function parse(value: unknown): unknown {
	// PGlite and node-postgres both parse jsonb; a string here is a JSON string value.
	return value ?? null;
}

/**
 * An item's history, newest first, as a member of `organisationId` may read it: rows about
 * confidential notes only of their own organisation.
 */
export async function listItemHistory(
	db: Queryable,
	boardId: string,
	kind: HistoryKind,
	entityId: string,
	organisationId: string | null,
	limit = 200
): Promise<HistoryRow[]> {
	const rows = await db.query<DbRow>(
		`${SELECT}
		 where h.board_id = $1 and h.kind = $2 and h.entity_id = $3
			and (h.organisation_id is null or h.organisation_id = $4::uuid)
		 order by h.at desc, h.id desc limit $5`,
		[boardId, kind, entityId, organisationId, limit]
	);
	return rows.map(toRow);
}

/**
 * Recently deleted items of a kind (newest first), with their last fields, for restoring; as a
 * member of `organisationId` may read them (deletions are recorded in the shared document only,
 * but rows of another organisation are never listed).
 */
export async function listDeleted(
	db: Queryable,
	boardId: string,
	kind: HistoryKind,
	organisationId: string | null,
	limit = 50
): Promise<HistoryRow[]> {
	const rows = await db.query<DbRow>(
		`${SELECT}
		 where h.board_id = $1 and h.kind = $2 and h.op = 'delete'
			and (h.organisation_id is null or h.organisation_id = $3::uuid)
		 order by h.at desc, h.id desc limit $4`,
		[boardId, kind, organisationId, limit]
	);
	return rows.map(toRow);
}

/**
 * Removes the history of erased gesprekken, of gesprekken at the address deleted earlier (their
 * 'delete' row names the address; their other rows, such as who held them, do not), and any row
 * naming the erased address (an initiatief's involved addresses or place, a deleted initiatief's
 * last fields). The caller then rewrites the table (VACUUM FULL) without the dead row versions.
 */
export async function eraseHistory(
	db: Queryable,
	boardId: string,
	gesprekIds: readonly string[],
	addressId: string
): Promise<void> {
	await flushAllHistory();
	await db.query(
		`delete from public.item_history
		 where board_id = $1 and (
			(kind = 'gesprek' and entity_id = any($2::text[]))
			or (kind = 'gesprek' and entity_id in (
				select d.entity_id from public.item_history d
				where d.board_id = $1 and d.kind = 'gesprek' and d.op = 'delete'
					and d.old_value ->> 'addressId' = $4))
			or old_value::text like '%' || $3 || '%' or new_value::text like '%' || $3 || '%'
		 )`,
		[boardId, [...gesprekIds], JSON.stringify(addressId), addressId]
	);
}

/**
 * The ids of the gesprekken at an address that were deleted (their deletion's history row keeps
 * the address they had): for the erasure of the household, whose confidential notes on them may
 * still be in another organisation's document.
 */
export async function deletedGesprekIdsAt(
	db: Queryable,
	boardId: string,
	addressId: string
): Promise<string[]> {
	await flushAllHistory();
	const rows = await db.query<{ entity_id: string }>(
		`select distinct entity_id from public.item_history
		 where board_id = $1 and kind = 'gesprek' and op = 'delete' and old_value ->> 'addressId' = $2`,
		[boardId, addressId]
	);
	return rows.map((row) => row.entity_id);
}

/**
 * Removes the history of a board's private content at its purge: the gesprek fields retention
 * clears (see purgePrivateContent), deleted gesprekken's last fields, and confidential notes.
 */
export async function purgeHistory(db: Queryable, boardId: string): Promise<void> {
	await flushAllHistory();
	await db.query(
		`delete from public.item_history
		 where board_id = $1 and (
			organisation_id is not null
			or (kind = 'gesprek' and (
				op = 'delete' or field in ('notes', 'talents', 'wishes', 'worries', 'heldBy',
					'consent.recordedBy', 'consent') or field like 'followUps%')))`,
		[boardId]
	);
}
