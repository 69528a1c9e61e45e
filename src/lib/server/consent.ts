import * as Y from 'yjs';
import { gesprekkenMap, householdWithdrawn, withdrawnAddresses } from '../board/gesprekken';
import { TOP_LEVEL } from '../board/layout';
import { formatAddress } from '../geo/address';
import { recordAudit } from './audit';
import type { Db, Queryable } from './db';
import { eraseHousehold, type ErasureSync } from './erasure';
import type { SyncHooks } from './sync/hooks';
import { parseDocName } from './sync/org-docs';

/**
 * Withdrawn consent (AVG): a household whose consent an editor marked withdrawn ("Ingetrokken" on
 * any of its gesprekken) is listed for the board's owners (public.consent_withdrawals: address,
 * since when, who marked it) and erased after the grace period by the retention job, through the
 * same code as an owner's erasure (erasure.ts). Unmarking it within the grace period (a misclick)
 * removes it from the list, so nothing is erased. The list follows the board document: the server
 * reads every applied client update for changes of `consent.withdrawn` (withConsentTracking).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Withdrawal {
	addressId: string;
	/** The address as the register has it; null for an address not (or no longer) in it. */
	address: string | null;
	markedAt: Date;
	/** Who marked it; null when the server found it (a withdrawal from before this list). */
	markedBy: { name: string; organisation: string | null } | null;
	/** When the retention job erases it. */
	eraseAt: Date;
}

/** A board's households waiting for erasure, oldest first (owners' settings page). */
export async function listWithdrawals(
	db: Queryable,
	boardId: string,
	graceDays: number
): Promise<Withdrawal[]> {
	const rows = await db.query<{
		address_id: string;
		marked_at: Date | string;
		name: string | null;
		organisation: string | null;
		marked_by: string | null;
		street: string | null;
		house_number: number | null;
		house_letter: string | null;
		addition: string | null;
	}>(
		`select w.address_id, w.marked_at, w.marked_by, p.display_name as name, o.name as organisation,
			a.street, a.house_number, a.house_letter, a.addition
		 from public.consent_withdrawals w
		 left join public.profiles p on p.id = w.marked_by
		 left join public.organisations o on o.id = p.organisation_id
		 left join public.addresses a on a.board_id = w.board_id and a.id = w.address_id
		 where w.board_id = $1
		 order by w.marked_at, w.address_id`,
		[boardId]
	);
	return rows.map((r) => {
		// Stored to the millisecond (markWithdrawn): the job's cut-off compares it exactly.
		const markedAt = new Date(r.marked_at);
		return {
			addressId: r.address_id,
			address:
				r.street === null
					? null
					: formatAddress({
							street: r.street,
							houseNumber: r.house_number ?? 0,
							houseLetter: r.house_letter,
							addition: r.addition
						}),
			markedAt,
			markedBy:
				r.marked_by === null ? null : { name: r.name ?? '', organisation: r.organisation ?? null },
			eraseAt: new Date(markedAt.getTime() + graceDays * DAY_MS)
		};
	});
}

export async function countWithdrawals(db: Queryable, boardId: string): Promise<number> {
	const [row] = await db.query<{ n: number | string }>(
		'select count(*)::int as n from public.consent_withdrawals where board_id = $1',
		[boardId]
	);
	return Number(row?.n ?? 0);
}

interface Mark {
	boardId: string;
	addressId: string;
	/** Who changed it; null for the server. */
	actorId: string | null;
	/** The gesprek whose consent changed (the audit log's subject: an id, never content). */
	gesprekId: string | null;
	at?: Date;
}

/** Lists a household for erasure; audited once ('consent.withdraw'). Returns whether it was new. */
export async function markWithdrawn(db: Db, mark: Mark): Promise<boolean> {
	return db.transaction(async (tx) => {
		const rows = await tx.query(
			`insert into public.consent_withdrawals (board_id, address_id, marked_by, marked_at)
			 values ($1, $2, $3, coalesce($4::timestamptz, date_trunc('milliseconds', now())))
			 on conflict (board_id, address_id) do nothing
			 returning address_id`,
			[mark.boardId, mark.addressId, mark.actorId, mark.at?.toISOString() ?? null]
		);
		if (rows.length === 0) return false;
		await recordAudit(tx, auditOf(mark, 'consent.withdraw'), { at: mark.at });
		return true;
	});
}

/** Takes a household off the list (consent no longer withdrawn); audited ('consent.restore'). */
export async function unmarkWithdrawn(db: Db, mark: Mark): Promise<boolean> {
	return db.transaction(async (tx) => {
		const rows = await tx.query(
			`delete from public.consent_withdrawals where board_id = $1 and address_id = $2
			 returning address_id`,
			[mark.boardId, mark.addressId]
		);
		if (rows.length === 0) return false;
		await recordAudit(tx, auditOf(mark, 'consent.restore'), { at: mark.at });
		return true;
	});
}

function auditOf(mark: Mark, action: 'consent.withdraw' | 'consent.restore') {
	return { boardId: mark.boardId, actorId: mark.actorId, action, subject: mark.gesprekId };
}

/** A shared type as Yjs keys its changed types. */
type ChangedType = Y.Transaction['changedParentTypes'] extends Map<infer K, unknown> ? K : never;

/** A household whose consent a transaction changed: its gesprek and address. */
export interface ConsentChange {
	gesprekId: string;
	addressId: string;
}

/**
 * The gesprekken whose `consent.withdrawn` a transaction changed, and the new gesprekken that came
 * in withdrawn (a new gesprek, or one restored from its history). Read in afterTransaction.
 */
export function consentChanges(transaction: Y.Transaction): ConsentChange[] {
	if (!transaction.doc.share.has(TOP_LEVEL.gesprekken)) return [];
	const top = gesprekkenMap(transaction.doc);
	const events = transaction.changedParentTypes.get(top as unknown as ChangedType);
	if (!events) return [];
	const out = new Map<string, ConsentChange>();
	const add = (gesprekId: string, fields: unknown) => {
		const addressId = fields instanceof Y.Map ? fields.get('addressId') : undefined;
		if (typeof addressId === 'string') out.set(gesprekId, { gesprekId, addressId });
	};
	for (const event of events) {
		if (event.target === (top as unknown as ChangedType)) {
			for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
				if (change.action === 'delete') continue;
				const fields = top.get(key);
				const consent = fields instanceof Y.Map ? fields.get('consent') : undefined;
				if (consent instanceof Y.Map && consent.get('withdrawn') === true) add(key, fields);
			}
			continue;
		}
		// The consent map of a gesprek: its parent is the gesprek, whose parent is the top level.
		const target = event.target;
		const gesprek = target._item?.parent;
		if (
			!(target instanceof Y.Map) ||
			target._item?.parentSub !== 'consent' ||
			!(gesprek instanceof Y.Map) ||
			gesprek._item?.parent !== (top as unknown) ||
			!(event as Y.YMapEvent<unknown>).keysChanged.has('withdrawn')
		)
			continue;
		const gesprekId = gesprek._item?.parentSub;
		if (gesprekId) add(gesprekId, gesprek);
	}
	return [...out.values()];
}

export interface TrackingOptions {
	/** Tells the board's open pages that its list changed (owners' count). */
	notify?: (boardId: string) => void;
	log?: (message: string) => void;
}

/**
 * Wraps the sync hooks so that the list of withdrawn households follows the board document: a
 * client's update that marks a household withdrawn lists it (who and when: the connection's user,
 * the server's clock); one that leaves no gesprek of the household withdrawn takes it off. A
 * gesprek deleted meanwhile does not: its history still holds the household's data until the
 * erasure. When a board is loaded, a household withdrawn in the document but not listed (marked
 * before this list existed) is listed by the server.
 */
export function withConsentTracking<H extends SyncHooks & { drain(): Promise<void> }>(
	hooks: H,
	db: Db,
	{ notify = () => {}, log = (m) => console.log(`[consent] ${m}`) }: TrackingOptions = {}
): H {
	// One board's changes are written in the order they were applied.
	const queues = new Map<string, Promise<unknown>>();
	const enqueue = (boardId: string, work: () => Promise<boolean>) => {
		const job = (queues.get(boardId) ?? Promise.resolve())
			.then(work)
			.then((changed) => changed && notify(boardId))
			.catch((err: unknown) =>
				log(`the withdrawn households of ${boardId} were not updated: ${(err as Error).message}`)
			);
		queues.set(boardId, job);
		void job.finally(() => {
			if (queues.get(boardId) === job) queues.delete(boardId);
		});
	};

	return {
		...hooks,
		async onLoadDocument(docName, doc) {
			await hooks.onLoadDocument(docName, doc);
			if (parseDocName(docName)?.kind !== 'board') return;
			const withdrawn = [...withdrawnAddresses(doc)];
			if (withdrawn.length === 0) return;
			enqueue(docName, async () => {
				let changed = false;
				for (const addressId of withdrawn) {
					const mark = { boardId: docName, addressId, actorId: null, gesprekId: null };
					changed = (await markWithdrawn(db, mark)) || changed;
				}
				return changed;
			});
		},
		onChange(docName, context, transaction) {
			hooks.onChange?.(docName, context, transaction);
			if (parseDocName(docName)?.kind !== 'board') return;
			const changes = consentChanges(transaction);
			if (changes.length === 0) return;
			const doc = transaction.doc;
			for (const { gesprekId, addressId } of changes) {
				// Read now: the document may change again before the write.
				const withdrawn = householdWithdrawn(doc, addressId);
				const mark = { boardId: docName, addressId, actorId: context.userId ?? null, gesprekId };
				enqueue(docName, () => (withdrawn ? markWithdrawn(db, mark) : unmarkWithdrawn(db, mark)));
			}
		},
		async drain() {
			await Promise.allSettled([...queues.values()]);
			await hooks.drain();
		}
	};
}

export interface ConsentErasureDeps {
	db: Db;
	sync: ErasureSync;
	/** The grace period in days (BUURTBORD_CONSENT_GRACE_DAYS). */
	graceDays: number;
	/** The clock (tests move it instead of waiting). */
	now?: () => Date;
	log?: (message: string) => void;
}

/**
 * One run of the automatic erasure: every household listed longer than the grace period is erased
 * as an owner's erasure does it (live document, organisations' notes, item history, stored log,
 * VACUUM FULL), audited as 'household.erase' by the server. A household whose gesprekken no
 * longer say withdrawn (its unmarking was not recorded) is taken off the list instead; one whose
 * gesprekken were all deleted is erased (their history still holds its data). Returns the erased
 * addresses per board as `board/address`; a failure is logged and tried again on the next run.
 */
export async function runConsentErasure(deps: ConsentErasureDeps): Promise<string[]> {
	const { db, sync } = deps;
	const now = (deps.now ?? (() => new Date()))();
	const log = deps.log ?? ((message: string) => console.log(`[consent] ${message}`));
	const due = await db.query<{ board_id: string; address_id: string }>(
		`select board_id, address_id from public.consent_withdrawals
		 where marked_at <= $1::timestamptz
		 order by marked_at, board_id, address_id`,
		[new Date(now.getTime() - deps.graceDays * DAY_MS).toISOString()]
	);
	const erased: string[] = [];
	for (const { board_id: boardId, address_id: addressId } of due) {
		try {
			const state = await sync.readDocument(boardId, (doc) =>
				householdWithdrawn(doc, addressId)
					? 'withdrawn'
					: [...gesprekkenMap(doc).values()].some((g) => g.get('addressId') === addressId)
						? 'given'
						: 'gone'
			);
			if (state === 'given') {
				await unmarkWithdrawn(db, { boardId, addressId, actorId: null, gesprekId: null, at: now });
				continue;
			}
			await eraseHousehold({ db, sync }, { boardId, addressId, actorId: null, at: now });
			erased.push(`${boardId}/${addressId}`);
			log(`erased a household of board ${boardId} whose consent was withdrawn`);
		} catch (err) {
			log(`erasing a household of board ${boardId} failed: ${(err as Error).message}`);
		}
	}
	return erased;
}
