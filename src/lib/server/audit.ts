import * as Y from 'yjs';
import { TOP_LEVEL } from '../board/layout';
import { formatAddress } from '../geo/address';
import type { Queryable } from './db';

/**
 * What the audit log records. Keep in step with the check on public.audit_log.action
 * (supabase/migrations/20261125160000_audit_retention.sql, last changed in
 * 20261203100000_consent_withdrawals.sql).
 */
export const AUDIT_ACTIONS = [
	'gesprek.open',
	'gesprek.change',
	'household.erase',
	'board.purge',
	'board.retention',
	'member.add',
	'member.role',
	'member.remove',
	'board.export',
	'initiative.approve',
	'initiative.withdraw',
	'theme.approve',
	'theme.withdraw',
	'consent.withdraw',
	'consent.restore'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
	return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export interface AuditEntry {
	boardId: string;
	/** Who did it; null for the server itself (the retention job). */
	actorId: string | null;
	action: AuditAction;
	/** What it was about: a gesprek or household id, a person, what an export held. Never content. */
	subject?: string | null;
}

export interface RecordOptions {
	/**
	 * Records nothing when the same person already has an entry with the same action and subject on
	 * this board less than this many seconds before `at` (opening a gesprek ten times in a minute
	 * is one entry). 0 (the default) records every call.
	 */
	coalesceSeconds?: number;
	/** When it happened; defaults to the database's now(). */
	at?: Date;
}

// Entries for one coalescing key are written one after another, so two at the same moment cannot
// both miss each other's row.
const inFlight = new Map<string, Promise<unknown>>();
// The time of the newest entry known per coalescing key and database, so that a burst of edits
// (one update per keystroke) does not ask the database each time.
const newest = new WeakMap<Queryable, Map<string, number>>();

/**
 * Appends an entry to the board's audit log (public.audit_log, append-only). Returns whether a
 * row was written (false when coalesced into a recent one).
 */
export async function recordAudit(
	db: Queryable,
	entry: AuditEntry,
	options: RecordOptions = {}
): Promise<boolean> {
	const coalesce = options.coalesceSeconds ?? 0;
	if (coalesce <= 0) {
		await insert(db, entry, options.at ?? null, 0);
		return true;
	}
	const at = options.at ?? new Date();
	const key = JSON.stringify([entry.boardId, entry.actorId, entry.action, entry.subject ?? null]);
	let known = newest.get(db);
	if (!known) newest.set(db, (known = new Map()));
	const last = known.get(key);
	if (last !== undefined && at.getTime() >= last && at.getTime() - last < coalesce * 1000) {
		return false;
	}
	const before = inFlight.get(key) ?? Promise.resolve();
	const mine = before
		.catch(() => {})
		.then(async () => {
			const written = await insert(db, entry, at, coalesce);
			if (written) known.set(key, at.getTime());
			if (known.size > 10_000) prune(known, at.getTime() - coalesce * 1000);
			return written;
		});
	inFlight.set(key, mine);
	try {
		return await mine;
	} finally {
		if (inFlight.get(key) === mine) inFlight.delete(key);
	}
}

function prune(known: Map<string, number>, before: number): void {
	for (const [key, time] of known) if (time < before) known.delete(key);
}

async function insert(
	db: Queryable,
	entry: AuditEntry,
	at: Date | null,
	coalesceSeconds: number
): Promise<boolean> {
	const rows = await db.query<{ id: string }>(
		`insert into public.audit_log (board_id, actor_id, action, subject, at)
		 select $1, $2::uuid, $3, $4, coalesce($5::timestamptz, now())
		 where $6::integer <= 0 or not exists (
			select 1 from public.audit_log l
			where l.board_id = $1 and l.actor_id is not distinct from $2::uuid and l.action = $3
				and l.subject is not distinct from $4
				and l.at > coalesce($5::timestamptz, now()) - make_interval(secs => $6::integer)
				and l.at <= coalesce($5::timestamptz, now())
		 )
		 returning id`,
		[
			entry.boardId,
			entry.actorId,
			entry.action,
			entry.subject ?? null,
			at ? at.toISOString() : null,
			coalesceSeconds
		]
	);
	return rows.length > 0;
}

export interface AuditRow {
	id: string;
	at: Date;
	action: AuditAction;
	subject: string | null;
	actorId: string | null;
	actorName: string | null;
	organisationName: string | null;
}

/** A page of a board's audit log, newest first, with who did it (name and organisation). */
export async function listAudit(
	db: Queryable,
	boardId: string,
	{ limit = 50, offset = 0 }: { limit?: number; offset?: number } = {}
): Promise<{ rows: AuditRow[]; total: number }> {
	const rows = await db.query<{
		id: string | number | bigint;
		at: Date | string;
		action: string;
		subject: string | null;
		actor_id: string | null;
		display_name: string | null;
		organisation_name: string | null;
	}>(
		`select l.id, l.at, l.action, l.subject, l.actor_id, p.display_name, o.name as organisation_name
		 from public.audit_log l
		 left join public.profiles p on p.id = l.actor_id
		 left join public.organisations o on o.id = p.organisation_id
		 where l.board_id = $1
		 order by l.at desc, l.id desc
		 limit $2 offset $3`,
		[boardId, limit, offset]
	);
	const [count] = await db.query<{ n: string | number }>(
		'select count(*)::int as n from public.audit_log where board_id = $1',
		[boardId]
	);
	return {
		total: Number(count?.n ?? 0),
		rows: rows.map((r) => {
			// The table's check allows only known actions; anything else is a bug.
			if (!isAuditAction(r.action)) throw new Error(`Unknown audit action in the log: ${r.action}`);
			return {
				id: String(r.id),
				at: r.at instanceof Date ? r.at : new Date(r.at),
				action: r.action,
				subject: r.subject,
				actorId: r.actor_id,
				actorName: r.display_name,
				organisationName: r.organisation_name
			};
		})
	};
}

/** Entries of the same person, action and gesprek within a minute are one entry. */
export const AUDIT_COALESCE_SECONDS = 60;

/**
 * How often one person may report opening a gesprek (POST /boards/<id>/audit): a burst of 20,
 * then 30 a minute (token bucket per person, shared by every server process on the database,
 * src/lib/server/rate-limit.ts); beyond it the answer is 429.
 */
export const AUDIT_OPEN_RATE = { burst: 20, perMinute: 30 } as const;

/**
 * The gesprekken a transaction on a board document changed (added, edited, removed): each changed
 * type is walked up to the gesprek map it lies in. Call it inside afterTransaction. Ids only: the
 * log never holds content.
 */
export function changedGesprekIds(
	transaction: Y.Transaction,
	/** The map keyed by gesprek id: the board's gesprekken, or an organisation document's notes. */
	topLevel: string = TOP_LEVEL.gesprekken
): string[] {
	const gesprekken = transaction.doc.share.get(topLevel);
	if (!gesprekken) return [];
	const ids = new Set<string>();
	for (const [type, keys] of transaction.changed) {
		if (type === gesprekken) {
			for (const key of keys) if (key !== null) ids.add(key);
			continue;
		}
		let cur = type;
		while (cur._item) {
			const parent: unknown = cur._item.parent;
			if (!(parent instanceof Y.AbstractType)) break;
			if (parent === gesprekken) {
				if (cur._item.parentSub !== null) ids.add(cur._item.parentSub);
				break;
			}
			cur = parent as typeof type;
		}
	}
	return [...ids];
}

// Batches of one person on one board are written one after another, so that two at the same moment
// cannot both miss each other's rows.
const batchInFlight = new Map<string, Promise<unknown>>();

/**
 * Records that a user changed these gesprekken on a board (coalesced per minute, like
 * recordAudit): one statement for all of them, so that an update changing thousands of gesprekken
 * costs one query, not thousands one after another.
 */
export async function recordGesprekChanges(
	db: Queryable,
	boardId: string,
	actorId: string,
	gesprekIds: readonly string[],
	at: Date = new Date()
): Promise<void> {
	let known = newest.get(db);
	if (!known) newest.set(db, (known = new Map()));
	const seen = known;
	const window = AUDIT_COALESCE_SECONDS * 1000;
	const keyOf = (subject: string) => JSON.stringify([boardId, actorId, 'gesprek.change', subject]);
	const due = (subject: string) => {
		const last = seen.get(keyOf(subject));
		return !(last !== undefined && at.getTime() >= last && at.getTime() - last < window);
	};
	const wanted = [...new Set(gesprekIds)].filter(due);
	if (wanted.length === 0) return;
	const chainKey = JSON.stringify([boardId, actorId]);
	const before = batchInFlight.get(chainKey) ?? Promise.resolve();
	const mine = before
		.catch(() => {})
		.then(async () => {
			// The batch before this one may have recorded some of them meanwhile.
			const subjects = wanted.filter(due);
			if (subjects.length === 0) return;
			await db.query(
				`insert into public.audit_log (board_id, actor_id, action, subject, at)
				 select $1, $2::uuid, 'gesprek.change', s.subject, $4::timestamptz
				 from unnest($3::text[]) as s(subject)
				 where not exists (
					select 1 from public.audit_log l
					where l.board_id = $1 and l.actor_id = $2::uuid and l.action = 'gesprek.change'
						and l.subject = s.subject
						and l.at > $4::timestamptz - make_interval(secs => $5::integer)
						and l.at <= $4::timestamptz
				 )`,
				[boardId, actorId, subjects, at.toISOString(), AUDIT_COALESCE_SECONDS]
			);
			for (const subject of subjects) seen.set(keyOf(subject), at.getTime());
			if (seen.size > 10_000) prune(seen, at.getTime() - window);
		});
	batchInFlight.set(chainKey, mine);
	try {
		await mine;
	} finally {
		if (batchInFlight.get(chainKey) === mine) batchInFlight.delete(chainKey);
	}
}

/**
 * For the audit page: each gesprek that still exists, labelled by its address and date (what a
 * member sees on the map anyway; no content). Reads the board's stored document, which lags the
 * live one by at most the persistence delay.
 */
export async function gesprekAddressLabels(
	db: Queryable,
	boardId: string,
	gesprekIds: readonly string[]
): Promise<Map<string, string>> {
	const labels = new Map<string, string>();
	if (gesprekIds.length === 0) return labels;
	const doc = new Y.Doc();
	try {
		const updates = await db.query<{ data: Uint8Array }>(
			'select data from public.board_updates where board_id = $1 order by seq',
			[boardId]
		);
		Y.transact(doc, () => {
			for (const row of updates) Y.applyUpdate(doc, row.data);
		});
		const gesprekken = doc.getMap<unknown>(TOP_LEVEL.gesprekken);
		const found = new Map<string, { addressId: string; date: string }>();
		for (const id of new Set(gesprekIds)) {
			const fields = gesprekken.get(id);
			if (!(fields instanceof Y.Map)) continue;
			const addressId = fields.get('addressId');
			const date = fields.get('date');
			if (typeof addressId === 'string') {
				found.set(id, { addressId, date: typeof date === 'string' ? date : '' });
			}
		}
		if (found.size === 0) return labels;
		const addresses = await db.query<{
			id: string;
			street: string;
			house_number: number;
			house_letter: string | null;
			addition: string | null;
		}>(
			`select id, street, house_number, house_letter, addition from public.addresses
			 where board_id = $1 and id = any($2::text[])`,
			[boardId, [...new Set([...found.values()].map((g) => g.addressId))]]
		);
		const byId = new Map(
			addresses.map((a) => [
				a.id,
				formatAddress({
					street: a.street,
					houseNumber: a.house_number,
					houseLetter: a.house_letter,
					addition: a.addition
				})
			])
		);
		for (const [id, g] of found) {
			const address = byId.get(g.addressId) ?? g.addressId;
			labels.set(id, g.date ? `${address} · ${g.date}` : address);
		}
		return labels;
	} finally {
		doc.destroy();
	}
}
