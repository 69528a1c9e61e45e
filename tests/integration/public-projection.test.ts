import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDb, type Db } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import { withPublicProjection } from '../../src/lib/server/public/projector';
import {
	clearPublicCache,
	getPublication,
	readPublicBoard,
	setPublication
} from '../../src/lib/server/public/store';
import { postgresHooks } from '../../src/lib/server/sync/postgres-hooks';
import { listInitiatieven, removeInitiatief } from '../../src/lib/board';
import { freshDatabase } from '../support/drivers';
import { PUBLIC_STORY, SECRETS, seedPublicStory } from '../support/public-board';
import { approveStory } from '../support/public-store';
import { approveText } from '../../src/lib/server/public/reviews';

/**
 * The public projection on PostgreSQL 15: written by the sync hooks when a board document is
 * stored, and read through Supabase's API path, i.e. as PostgREST reads it for a request with the
 * anon key: in a transaction that switches to the role `anon` with the request's JWT claims.
 */
describe('public projection on PostgreSQL', () => {
	let db: Db;

	beforeAll(async () => {
		const { databaseUrl } = await freshDatabase('postgres');
		db = await openDb({ databaseUrl, dataDir: '' });
		await ensureDemoBoard(db);
	});
	afterAll(async () => {
		await db?.close();
	});

	/** What the anon key gets through PostgREST (`select * from <table>`, no filters). */
	async function asAnon<T extends object>(sql: string): Promise<T[]> {
		return db.transaction(async (tx) => {
			await tx.query(`select set_config('role', 'anon', true)`);
			await tx.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
			return tx.query<T>(sql);
		});
	}

	it('is computed from the stored document and readable with the anon key', async () => {
		const hooks = withPublicProjection(postgresHooks(db), db, { debounceMs: 20, log: () => {} });
		const doc = new Y.Doc();
		seedPublicStory(doc);
		await approveStory(db, doc);
		await hooks.onStoreDocument('spoorbuurt', Y.encodeStateAsUpdate(doc), doc);
		await hooks.drain();

		const streets = await asAnon<{ slug: string; rounds: unknown }>(
			'select slug, rounds from public.street_signals'
		);
		expect(streets.map((s) => s.slug)).toContain('sweelinckstraat');
		const initiatives = await asAnon<{ title: string }>('select * from public.public_initiatives');
		expect(initiatives.map((i) => i.title).sort()).toEqual(
			[PUBLIC_STORY.coffee, PUBLIC_STORY.garden].sort()
		);
		const everything = JSON.stringify([
			streets,
			initiatives,
			await asAnon('select * from public.public_boards')
		]);
		for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);

		// Nothing else is open to anon.
		expect(await asAnon('select * from public.board_updates')).toEqual([]);
		await expect(asAnon('select * from public.board_publication')).rejects.toThrow(
			/permission denied/
		);
		expect(await asAnon('select * from public.addresses')).toEqual([]);
		await expect(asAnon('select * from public.initiative_reviews')).rejects.toThrow(
			/permission denied/
		);
		await expect(
			asAnon(`update public.public_initiatives set title = 'x' returning 1`)
		).rejects.toThrow(/permission denied/);
		doc.destroy();
	});

	it('forgets an approved text once its initiatief is deleted, and keeps the others', async () => {
		const hooks = withPublicProjection(postgresHooks(db), db, { debounceMs: 20, log: () => {} });
		await db.query(`delete from public.initiative_reviews where board_id = 'spoorbuurt'`);
		const doc = new Y.Doc();
		seedPublicStory(doc);
		await approveStory(db, doc);
		// An initiatief this document has not received yet (made on another process) keeps its
		// approval.
		await approveText(
			db,
			'spoorbuurt',
			'elders-gemaakt',
			{ title: 'Nog onderweg', description: '', publicContact: '' },
			null
		);
		const reviewed = async () =>
			(
				await db.query<{ title: string }>(
					`select title from public.initiative_reviews where board_id = 'spoorbuurt' order by 1`
				)
			).map((r) => r.title);
		await hooks.onStoreDocument('spoorbuurt', Y.encodeStateAsUpdate(doc), doc);
		await hooks.drain();
		expect(await reviewed()).toEqual(
			[PUBLIC_STORY.coffee, PUBLIC_STORY.garden, 'Nog onderweg'].sort()
		);
		const garden = listInitiatieven(doc).find((i) => i.title === PUBLIC_STORY.garden)!;
		removeInitiatief(doc, garden.id);
		await hooks.onStoreDocument('spoorbuurt', Y.encodeStateAsUpdate(doc), doc);
		await hooks.drain();
		expect(await reviewed()).toEqual([PUBLIC_STORY.coffee, 'Nog onderweg'].sort());
		const initiatives = await asAnon<{ title: string }>(
			'select title from public.public_initiatives'
		);
		expect(initiatives.map((i) => i.title)).toEqual([PUBLIC_STORY.coffee]);
		doc.destroy();
	});

	it('unpublishing hides it at once, for the API and the pages', async () => {
		clearPublicCache();
		expect(await readPublicBoard(db, 'spoorbuurt')).not.toBeNull();
		// The policy alone hides it, before the server removes the projection.
		await db.query(
			`update public.board_publication set published = false where board_id = 'spoorbuurt'`
		);
		expect(await asAnon('select * from public.street_signals')).toEqual([]);
		expect(await asAnon('select * from public.public_initiatives')).toEqual([]);

		await setPublication(db, 'spoorbuurt', { published: false, k: 5, streets: null });
		expect(await readPublicBoard(db, 'spoorbuurt')).toBeNull();
		await setPublication(db, 'spoorbuurt', { published: true, k: 3, streets: null });
		// k is never below 5.
		expect((await getPublication(db, 'spoorbuurt')).k).toBe(5);
		expect((await readPublicBoard(db, 'spoorbuurt'))?.k).toBe(5);
	});
	it('follows a board edited without a pause at least once per maxWait', async () => {
		const hooks = withPublicProjection(postgresHooks(db), db, {
			debounceMs: 300,
			maxWaitMs: 600,
			log: () => {}
		});
		const doc = new Y.Doc();
		seedPublicStory(doc);
		await db.query(`delete from public.street_signals where board_id = 'spoorbuurt'`);
		const count = async () =>
			(
				await db.query<{ n: number }>(
					`select count(*)::int as n from public.street_signals where board_id = 'spoorbuurt'`
				)
			)[0]!.n;
		// A store every 50 ms, never the 300 ms of quiet the debounce waits for.
		let seenWhileEditing = false;
		const until = Date.now() + 5_000;
		while (Date.now() < until && !seenWhileEditing) {
			await hooks.onStoreDocument('spoorbuurt', Y.encodeStateAsUpdate(doc), doc);
			await new Promise((r) => setTimeout(r, 50));
			seenWhileEditing = (await count()) > 0;
		}
		expect(seenWhileEditing).toBe(true);
		await hooks.drain();
		doc.destroy();
	});
});
