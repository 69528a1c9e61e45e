import { purgePrivateContent } from '../board/erase';
import { ORG_NOTES } from '../board/org-notes';
// The two messages by name, not the `m` namespace: a bundle of the server (build/buurtbord.js)
// then holds these two and not all of the app's messages (~700 kB of source in memory).
import { privacy_retention_mail_subject, privacy_retention_mail_text } from '../paraglide/messages';
import { recordAudit } from './audit';
import { runConsentErasure } from './consent';
import type { ErasureSync } from './erasure';
import { purgeHistory } from './history/store';
import type { Db, Queryable } from './db';
import type { MailMessage } from './mail';
import { listOrgDocs, orgDocName, removeNotes } from './sync/org-docs';

/** Owners are warned (banner, one mail) from this many days before the purge. */
export const RETENTION_WARN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The day a board's private content is purged: its end date plus the retention period. */
export function purgeDate(endsOn: string, retentionDays: number): string {
	return isoDay(new Date(Date.parse(`${endsOn}T00:00:00Z`) + retentionDays * DAY_MS));
}

/** A date's day as yyyy-mm-dd (UTC). */
export function isoDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

export interface RetentionSettings {
	endsOn: string | null;
	retentionDays: number;
	purgeWarnedAt: Date | null;
	purgedAt: Date | null;
}

export async function getRetention(db: Queryable, boardId: string): Promise<RetentionSettings> {
	const [row] = await db.query<{
		ends_on: string | null;
		retention_days: number;
		purge_warned_at: Date | string | null;
		purged_at: Date | string | null;
	}>(
		`select to_char(ends_on, 'YYYY-MM-DD') as ends_on, retention_days, purge_warned_at, purged_at
		 from public.boards where id = $1`,
		[boardId]
	);
	if (!row) throw new Error('no such board');
	return {
		endsOn: row.ends_on,
		retentionDays: row.retention_days,
		purgeWarnedAt: row.purge_warned_at === null ? null : new Date(row.purge_warned_at),
		purgedAt: row.purged_at === null ? null : new Date(row.purged_at)
	};
}

/**
 * Sets a board's end date and retention period. A changed date means a new warning is due, so
 * the record of the last one is cleared. A board already purged stays purged.
 */
export async function setRetention(
	db: Queryable,
	boardId: string,
	settings: { endsOn: string | null; retentionDays: number }
): Promise<void> {
	await db.query(
		`update public.boards
		 set ends_on = $2::date, retention_days = $3,
			purge_warned_at = case
				when ends_on is not distinct from $2::date and retention_days = $3 then purge_warned_at
			end
		 where id = $1`,
		[boardId, settings.endsOn, settings.retentionDays]
	);
}

export interface RetentionNotice {
	boardId: string;
	boardName: string;
	/** The day the purge happens (yyyy-mm-dd). */
	purgeOn: string;
	/** Whole days from today until then (0: today). */
	daysLeft: number;
}

/**
 * The boards this user owns whose purge is due within RETENTION_WARN_DAYS days (or overdue, when
 * the job has not run yet), for the banners on the home and board pages. Only owners see them.
 */
export async function retentionNotices(
	db: Queryable,
	userId: string,
	now: Date,
	boardId?: string
): Promise<RetentionNotice[]> {
	const today = isoDay(now);
	const rows = await db.query<{ id: string; name: string; purge_on: string; days_left: number }>(
		`select b.id, b.name, to_char(b.ends_on + b.retention_days, 'YYYY-MM-DD') as purge_on,
			(b.ends_on + b.retention_days) - $2::date as days_left
		 from public.boards b
		 join public.board_members m on m.board_id = b.id and m.user_id = $1 and m.role = 'owner'
		 where b.ends_on is not null and b.purged_at is null
			and (b.ends_on + b.retention_days) - $2::date <= $3
			and ($4::text is null or b.id = $4)
		 order by 3, b.name`,
		[userId, today, RETENTION_WARN_DAYS, boardId ?? null]
	);
	return rows.map((r) => ({
		boardId: r.id,
		boardName: r.name,
		purgeOn: r.purge_on,
		daysLeft: Math.max(0, Number(r.days_left))
	}));
}

export interface RetentionDeps {
	db: Db;
	/** The live documents (SyncServer): a purge reaches connected clients at once and is stored. */
	sync: ErasureSync;
	/**
	 * Erases households whose consent was withdrawn longer than this many days ago (consent.ts),
	 * on every run of the job; without it, the job does not.
	 */
	consentGraceDays?: number;
	/** Sends the warning mail; without it owners see only the banners. */
	mail?: (message: MailMessage) => Promise<unknown>;
	/** The clock (tests move it instead of waiting). */
	now?: () => Date;
	log?: (message: string) => void;
}

export interface RetentionRun {
	purged: string[];
	warned: string[];
}

/**
 * One run of the retention job: purges the private content of every board whose end date plus
 * retention period has come (board document and the organisations' confidential notes), records
 * purged_at and a 'board.purge' audit entry; then mails the owners of boards whose purge is within
 * RETENTION_WARN_DAYS days, once per board (purge_warned_at). A board that fails is logged and
 * tried again on the next run; the others go on.
 */
export async function runRetention(deps: RetentionDeps): Promise<RetentionRun> {
	const { db } = deps;
	const now = (deps.now ?? (() => new Date()))();
	const log = deps.log ?? ((message: string) => console.log(`[retention] ${message}`));
	const today = isoDay(now);
	const result: RetentionRun = { purged: [], warned: [] };

	const due = await db.query<{ id: string }>(
		`select id from public.boards
		 where ends_on is not null and purged_at is null and ends_on + retention_days <= $1::date
		 order by id`,
		[today]
	);
	for (const { id } of due) {
		try {
			await deps.sync.withDocument(id, (doc) => purgePrivateContent(doc));
			for (const organisationId of await listOrgDocs(db, id)) {
				await deps.sync.withDocument(orgDocName(id, organisationId), (doc) =>
					removeNotes(doc, [...doc.getMap(ORG_NOTES).keys()])
				);
			}
			await purgeHistory(db, id);
			await db.query(
				'update public.boards set purged_at = $2 where id = $1 and purged_at is null',
				[id, now.toISOString()]
			);
			await recordAudit(db, { boardId: id, actorId: null, action: 'board.purge' }, { at: now });
			result.purged.push(id);
			log(`purged the private content of board ${id}`);
		} catch (err) {
			log(`purging board ${id} failed: ${(err as Error).message}`);
		}
	}

	const soon = await db.query<{ id: string; name: string; purge_on: string }>(
		`select id, name, to_char(ends_on + retention_days, 'YYYY-MM-DD') as purge_on
		 from public.boards
		 where ends_on is not null and purged_at is null and purge_warned_at is null
			and (ends_on + retention_days) - $1::date between 1 and $2
		 order by id`,
		[today, RETENTION_WARN_DAYS]
	);
	for (const board of soon) {
		try {
			if (deps.mail) {
				const owners = await db.query<{ email: string }>(
					`select p.email from public.board_members m join public.profiles p on p.id = m.user_id
					 where m.board_id = $1 and m.role = 'owner' and p.email is not null`,
					[board.id]
				);
				for (const { email } of owners) {
					await deps.mail({
						to: email,
						subject: privacy_retention_mail_subject(
							{ board: board.name, date: board.purge_on },
							{ locale: 'nl' }
						),
						text: privacy_retention_mail_text(
							{ board: board.name, date: board.purge_on },
							{ locale: 'nl' }
						)
					});
				}
			}
			await db.query('update public.boards set purge_warned_at = $2 where id = $1', [
				board.id,
				now.toISOString()
			]);
			result.warned.push(board.id);
		} catch (err) {
			log(`warning the owners of board ${board.id} failed: ${(err as Error).message}`);
		}
	}
	return result;
}

async function runAll(deps: RetentionDeps): Promise<void> {
	const fail = (err: unknown) =>
		(deps.log ?? console.error)(`[retention] run failed: ${(err as Error).message}`);
	await runRetention(deps).catch(fail);
	if (deps.consentGraceDays !== undefined) {
		await runConsentErasure({ ...deps, graceDays: deps.consentGraceDays }).catch(fail);
	}
}

export interface RetentionJob {
	/** The run in progress, if any (close() waits for it). */
	idle(): Promise<void>;
	stop(): void;
}

/** How often the job runs: a withdrawn consent's grace period ends at any hour. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Runs the retention job now and then every `intervalMs` (an hour): the purge of boards past their
 * retention period, the owners' warnings and the erasure of households whose consent was
 * withdrawn longer than the grace period. Each of those does nothing twice, so the job may run
 * as often as it likes. The timer keeps no process alive.
 */
export function startRetentionJob(
	deps: RetentionDeps,
	intervalMs: number = RETENTION_INTERVAL_MS
): RetentionJob {
	let running: Promise<unknown> = Promise.resolve();
	let stopped = false;
	const run = () => {
		if (stopped) return;
		running = running.then(() => (stopped ? undefined : runAll(deps)));
	};
	run();
	const timer = setInterval(run, intervalMs);
	timer.unref();
	return {
		idle: async () => {
			await running;
		},
		stop() {
			stopped = true;
			clearInterval(timer);
		}
	};
}
