import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGesprek, listGesprekken } from '../../src/lib/board';
import { orgNotesMap } from '../../src/lib/board/org-notes';
import { listAudit } from '../../src/lib/server/audit';
import { createBoard } from '../../src/lib/server/boards';
import type { Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import type { MailMessage } from '../../src/lib/server/mail';
import {
	getRetention,
	retentionNotices,
	runRetention,
	setRetention,
	startRetentionJob
} from '../../src/lib/server/retention';
import { postgresHooks } from '../../src/lib/server/sync/postgres-hooks';
import { orgDocName } from '../../src/lib/server/sync/org-docs';
import { SyncServer } from '../../src/lib/server/sync/server';
import { seedUsers, type SeededUser } from '../support/accounts';
import { migratedDb } from '../support/db';
import { DRIVERS } from '../support/drivers';

/**
 * The retention job in-process, on both drivers, with a clock the test moves instead of waiting:
 * a board past its end date plus retention period loses its private content (in the stored
 * document, not only the live one), a current board keeps it, owners are mailed once within 30
 * days of the purge.
 */

const SECRET = {
	notes: 'Geheimenotitiebewaartermijnxq',
	confidential: 'Vertrouwelijkalleenwoonwaartsxq',
	talent: 'Kanprachtigzingenxq',
	heldBy: 'Gespreksvoerdernaamxq'
};

function gesprek(addressId: string) {
	return {
		addressId,
		date: '2025-06-01',
		round: 1,
		heldBy: SECRET.heldBy,
		outcome: 'gesproken' as const,
		talents: [SECRET.talent],
		notes: SECRET.notes
	};
}

/** The board's document as stored (board_updates), not as any live room holds it. */
async function storedDoc(db: Db, boardId: string): Promise<{ doc: Y.Doc; bytes: Buffer }> {
	const rows = await db.query<{ data: Uint8Array }>(
		'select data from public.board_updates where board_id = $1 order by seq',
		[boardId]
	);
	const doc = new Y.Doc();
	for (const row of rows) Y.applyUpdate(doc, row.data);
	return { doc, bytes: Buffer.concat(rows.map((r) => Buffer.from(r.data))) };
}

/** An organisation's stored confidential notes on a board, as text (latin1 keeps every byte). */
async function orgNoteBytes(db: Db, boardId: string): Promise<string> {
	const rows = await db.query<{ data: Uint8Array }>(
		'select data from public.org_note_updates where board_id = $1',
		[boardId]
	);
	return Buffer.concat(rows.map((r) => Buffer.from(r.data))).toString('latin1');
}

describe.each(DRIVERS)('the retention job on %s', (driver) => {
	let db: Db;
	let sync: SyncServer;
	let users: Record<'owner' | 'editor', SeededUser>;
	const mails: MailMessage[] = [];
	let clock = new Date('2026-01-10T08:00:00Z');
	const deps = () => ({
		db,
		sync,
		now: () => clock,
		mail: async (message: MailMessage) => void mails.push(message),
		log: () => {}
	});

	beforeAll(async () => {
		db = await migratedDb(driver);
		await ensureDemoBoard(db);
		for (const id of ['afgelopen', 'lopend']) {
			await createBoard(db, { id, name: `Bord ${id}`, centerLon: 5.9, centerLat: 52, zoom: 15 });
		}
		users = await seedUsers(db, {
			owner: { org: 'Woonwaarts', boards: { afgelopen: 'owner', lopend: 'owner' } },
			editor: { org: 'Woonwaarts', boards: { afgelopen: 'editor', lopend: 'editor' } }
		});
		sync = new SyncServer({
			hooks: postgresHooks(db, { log: () => {} }),
			debounceMs: 10,
			maxWaitMs: 50,
			log: () => {}
		});
		for (const id of ['afgelopen', 'lopend']) {
			const { id: gesprekId } = await sync.withDocument(id, (doc) =>
				addGesprek(doc, gesprek('a1'))
			);
			// The owner's organisation keeps a confidential note on it, in its own document.
			await sync.withDocument(orgDocName(id, users.owner.organisationId), (doc) =>
				orgNotesMap(doc).set(gesprekId, new Y.Text(SECRET.confidential))
			);
		}
		expect(await orgNoteBytes(db, 'afgelopen')).toContain(SECRET.confidential);
		// Ends 2026-01-31, kept 14 days: purged on 2026-02-14, warned from 2026-01-15.
		await setRetention(db, 'afgelopen', { endsOn: '2026-01-31', retentionDays: 14 });
		await setRetention(db, 'lopend', { endsOn: '2027-12-31', retentionDays: 365 });
	});
	afterAll(async () => {
		await sync?.close();
		await db?.close();
	});

	it('does nothing while no purge is within 30 days', async () => {
		clock = new Date('2026-01-14T08:00:00Z');
		expect(await runRetention(deps())).toEqual({ purged: [], warned: [] });
		expect(mails).toHaveLength(0);
		expect(await retentionNotices(db, users.owner.id, clock)).toEqual([]);
	});

	it('warns the owners within 30 days of the purge, by mail once and on the pages', async () => {
		clock = new Date('2026-01-20T08:00:00Z');
		expect(await runRetention(deps())).toEqual({ purged: [], warned: ['afgelopen'] });
		expect(mails).toHaveLength(1);
		expect(mails[0]!.to).toBe(users.owner.email);
		expect(mails[0]!.subject).toContain('Bord afgelopen');
		expect(mails[0]!.text).toContain('2026-02-14');
		expect((await getRetention(db, 'afgelopen')).purgeWarnedAt).not.toBeNull();
		// The next day: no second mail.
		clock = new Date('2026-01-21T08:00:00Z');
		expect(await runRetention(deps())).toEqual({ purged: [], warned: [] });
		expect(mails).toHaveLength(1);
		// The banners: the owner sees the date; an editor sees nothing.
		expect(await retentionNotices(db, users.owner.id, clock)).toEqual([
			{ boardId: 'afgelopen', boardName: 'Bord afgelopen', purgeOn: '2026-02-14', daysLeft: 24 }
		]);
		expect(await retentionNotices(db, users.editor.id, clock)).toEqual([]);
	});

	it('warns again after the owner moved the end date', async () => {
		await setRetention(db, 'afgelopen', { endsOn: '2026-01-31', retentionDays: 15 });
		expect((await getRetention(db, 'afgelopen')).purgeWarnedAt).toBeNull();
		expect(await runRetention(deps())).toEqual({ purged: [], warned: ['afgelopen'] });
		expect(mails).toHaveLength(2);
		expect(mails[1]!.text).toContain('2026-02-15');
	});

	it('purges a board past its retention period, in storage too, and leaves a current one', async () => {
		clock = new Date('2026-02-14T23:00:00Z');
		expect((await runRetention(deps())).purged).toEqual([]);
		clock = new Date('2026-02-15T00:30:00Z');
		expect(await runRetention(deps())).toEqual({ purged: ['afgelopen'], warned: [] });

		const past = await storedDoc(db, 'afgelopen');
		const [purged] = listGesprekken(past.doc);
		// What the board counts stays; the private content is gone, from the stored bytes as well.
		expect(purged).toMatchObject({ addressId: 'a1', date: '2025-06-01', outcome: 'gesproken' });
		expect(purged!.notes).toBe('');
		expect(purged!.talents).toEqual([]);
		expect(purged!.heldBy).not.toBe(SECRET.heldBy);
		for (const secret of Object.values(SECRET)) {
			expect(past.bytes.includes(Buffer.from(secret))).toBe(false);
		}

		// The organisations' confidential notes on it are gone too; those on the current board stay.
		expect(await orgNoteBytes(db, 'afgelopen')).not.toContain(SECRET.confidential);
		expect(await orgNoteBytes(db, 'lopend')).toContain(SECRET.confidential);

		const current = await storedDoc(db, 'lopend');
		expect(listGesprekken(current.doc)[0]).toMatchObject({
			notes: SECRET.notes,
			talents: [SECRET.talent],
			heldBy: SECRET.heldBy
		});

		expect((await getRetention(db, 'afgelopen')).purgedAt).toEqual(clock);
		const { rows } = await listAudit(db, 'afgelopen');
		expect(rows.map((r) => [r.action, r.actorId])).toContainEqual(['board.purge', null]);
		expect(await retentionNotices(db, users.owner.id, clock)).toEqual([]);
	});

	it('purges once: a later run leaves the board alone', async () => {
		clock = new Date('2026-03-01T08:00:00Z');
		expect(await runRetention(deps())).toEqual({ purged: [], warned: [] });
		const { rows } = await listAudit(db, 'afgelopen');
		expect(rows.filter((r) => r.action === 'board.purge')).toHaveLength(1);
	});

	it('runs at start and then on its interval', async () => {
		await createBoard(db, { id: 'later', name: 'Later', centerLon: 5.9, centerLat: 52, zoom: 15 });
		await sync.withDocument('later', (doc) => void addGesprek(doc, gesprek('a2')));
		await setRetention(db, 'later', { endsOn: '2026-02-01', retentionDays: 0 });
		const job = startRetentionJob(deps(), 50);
		try {
			await expect.poll(async () => (await getRetention(db, 'later')).purgedAt).not.toBeNull();
			await createBoard(db, {
				id: 'nog-later',
				name: 'Nog later',
				centerLon: 5.9,
				centerLat: 52,
				zoom: 15
			});
			await setRetention(db, 'nog-later', { endsOn: '2026-02-01', retentionDays: 0 });
			await expect.poll(async () => (await getRetention(db, 'nog-later')).purgedAt).not.toBeNull();
		} finally {
			job.stop();
			await job.idle();
		}
	});
});
