import { spawnSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addFollowUp,
	addGesprek,
	addInitiatief,
	addPin,
	addToGesprekList,
	deleteNotes,
	getInitiatief,
	insertNotes,
	listGesprekken,
	listPins,
	removeGesprek,
	updateGesprek
} from '../../src/lib/board';
import { addConfidentialGesprek, getOrgNotes } from '../../src/lib/board/org-notes';
import { openDb } from '../../src/lib/server/db';
import { seedServerUsers, type SeededUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS, freshDatabase } from '../support/drivers';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * Erasing a household (consent withdrawn) through the real server, on PGlite and PostgreSQL 15:
 * a connected editor sees it go, the other household stays, and afterwards not one byte of the
 * erased household is left anywhere in the database: every row of every table of every schema is
 * dumped and scanned for the erased strings as text, hex (bytea) and base64.
 */

const PG_DUMP = `${process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'}/pg_dump`;

/** Strings only the erased household's data holds. */
const ERASED = {
	notes: 'Zoonfabiaanvertrouwelijk heeft schulden',
	earlierNotes: 'Eerderegetyptezinmetgeheim',
	heldBy: 'Gespreksvoerdervanwaalwijk',
	oldHeldBy: 'Eerstegespreksvoerdernaam',
	talent: 'Kanprachtigtuinierenxq',
	wish: 'Wiltaalcafeopzettenxq',
	worry: 'Eenzaamsindsscheidingxq',
	followUp: 'Belschuldhulpmaatjexq',
	followUpWho: 'Buurtcoachdorienxq',
	consentBy: 'Toestemminggenoteerddoorxq',
	pinTitle: 'Familievandermeulenpin',
	confidential: 'Vertrouwelijkediagnosedepressiexq',
	// A gesprek at the address deleted before the erasure: only its history remembers these.
	deletedHeldBy: 'Verwijderdgesprekvoerderxq',
	deletedNewHeldBy: 'Verwijderdgesprektweedexq',
	deletedTalent: 'Verwijderdtalentxq'
};
/** The same kinds of data of the household that stays. */
const KEPT = {
	notes: 'Blijftstaannotitiebuurvrouw',
	heldBy: 'Blijvendegespreksvoerder',
	talent: 'Blijvendtalentkokenxq',
	followUp: 'Blijvendevervolgactiexq',
	pinTitle: 'Blijvendepinfamilie',
	confidential: 'Blijvendvertrouwelijkxq'
};

/** Every form a string can take in a dump: UTF-8 text, hex (bytea) and base64 in each alignment. */
function forms(text: string): string[] {
	const bytes = Buffer.from(text, 'utf8');
	const out = [text, bytes.toString('hex')];
	for (let shift = 0; shift < 3; shift++) {
		const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
		// Only the characters that depend on the text alone (not on the padding bytes or what follows).
		const start = [0, 2, 3][shift]!;
		const end = Math.floor((shift + bytes.length) / 3) * 4;
		out.push(b64.slice(start, end));
	}
	return out;
}

function hits(dump: string, text: string): string[] {
	const lower = dump.toLowerCase();
	return forms(text).filter((form) =>
		/^[0-9a-f]+$/.test(form) ? lower.includes(form) : dump.includes(form)
	);
}

/** Every row of every table in every non-system schema, as text. */
async function dumpDatabase(target: { dataDir?: string; databaseUrl?: string }): Promise<string> {
	if (target.databaseUrl) {
		const res = spawnSync(
			PG_DUMP,
			['--data-only', '--no-owner', `--dbname=${target.databaseUrl}`],
			{
				encoding: 'utf8',
				maxBuffer: 512 * 1024 * 1024
			}
		);
		if (res.status !== 0) throw new Error(`pg_dump failed: ${res.stderr}`);
		return res.stdout;
	}
	const pg = await PGlite.create(target.dataDir!);
	try {
		const tables = await pg.query<{ schema: string; name: string }>(
			`select table_schema as schema, table_name as name from information_schema.tables
			 where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`
		);
		const parts: string[] = [];
		for (const { schema, name } of tables.rows) {
			const rows = await pg.query<{ row: string }>(
				`select t::text as row from "${schema}"."${name}" t`
			);
			parts.push(`-- ${schema}.${name}`, ...rows.rows.map((r) => r.row));
		}
		return parts.join('\n');
	} finally {
		await pg.close();
	}
}

/** The rows of one table in a dump (pg_dump's COPY block, or our per-table section). */
function tableRows(dump: string, table: string): string[] {
	const lines = dump.split('\n');
	const start = lines.findIndex((l) => l.startsWith(`COPY ${table} `) || l === `-- ${table}`);
	if (start < 0) return [];
	const rows: string[] = [];
	for (const line of lines.slice(start + 1)) {
		if (line === '\\.' || line.startsWith('-- ')) break;
		rows.push(line);
	}
	return rows;
}

describe.each(DRIVERS)('erasing a household on %s', (driver) => {
	let target: { dataDir?: string; databaseUrl?: string };
	let server: ServerProcess;
	let users: Record<'owner' | 'editor' | 'viewer' | 'outsider', SeededUser>;
	let erasedAddress = '';
	let keptAddress = '';
	let editor: TestClient;
	let editorOrg: TestClient;
	const clients: TestClient[] = [];
	let initiatiefId = '';

	const erase = (user: SeededUser | null, body: unknown) =>
		fetch(`${server.url}/boards/spoorbuurt/wissen`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(user ? { cookie: user.cookie } : {}) },
			body: JSON.stringify(body)
		});

	beforeAll(async () => {
		target = await freshDatabase(driver);
		users = await seedServerUsers(target, {
			owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } },
			editor: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor' } },
			viewer: { org: 'Woonwaarts', boards: { spoorbuurt: 'viewer' } },
			outsider: { org: 'Elders' }
		});
		const db = await openDb({ dataDir: target.dataDir ?? '', databaseUrl: target.databaseUrl });
		try {
			const rows = await db.query<{ id: string }>(
				"select id from public.addresses where board_id = 'spoorbuurt' order by id limit 2"
			);
			[erasedAddress, keptAddress] = rows.map((r) => r.id) as [string, string];
		} finally {
			await db.close();
		}
		server = await startServer(target);
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop('SIGKILL');
	});

	it('stores two households, seen by a second client', async () => {
		editor = connectClient(server.port, 'spoorbuurt', { cookie: users.editor.cookie });
		editorOrg = connectClient(server.port, 'spoorbuurt/org', { cookie: users.editor.cookie });
		clients.push(editor, editorOrg);
		await Promise.all([whenSynced(editor), whenSynced(editorOrg)]);
		const doc = editor.doc;
		// The erased household: every field holds something personal, some of it edited over time,
		// so the stored log holds older versions too.
		const g = addGesprek(doc, {
			addressId: erasedAddress,
			date: '2026-03-12',
			heldBy: ERASED.oldHeldBy,
			outcome: 'niet-thuis',
			talents: [ERASED.talent],
			wishes: [ERASED.wish],
			worries: [ERASED.worry],
			followUps: [{ what: ERASED.followUp, who: ERASED.followUpWho }],
			consent: { recordedBy: ERASED.consentBy, date: '2026-03-12' },
			notes: `${ERASED.earlierNotes} `
		});
		updateGesprek(doc, g.id, { heldBy: ERASED.heldBy });
		deleteNotes(doc, g.id, 0, ERASED.earlierNotes.length + 1);
		insertNotes(doc, g.id, 0, ERASED.notes);
		addFollowUp(doc, g.id, { what: `${ERASED.followUp} tweede` });
		addPin(doc, {
			kind: 'gesprek',
			title: ERASED.pinTitle,
			addressId: erasedAddress,
			lon: 5.87,
			lat: 51.83
		});
		addConfidentialGesprek(doc, editorOrg.doc, users.editor.organisationId, {
			addressId: erasedAddress,
			date: '2026-03-13',
			heldBy: ERASED.heldBy,
			outcome: 'gesproken',
			notes: ERASED.confidential
		});
		// The household that stays.
		addGesprek(doc, {
			addressId: keptAddress,
			date: '2026-03-12',
			heldBy: KEPT.heldBy,
			outcome: 'gesproken',
			talents: [KEPT.talent],
			followUps: [{ what: KEPT.followUp }],
			notes: KEPT.notes
		});
		addPin(doc, {
			kind: 'gesprek',
			title: KEPT.pinTitle,
			addressId: keptAddress,
			lon: 5.871,
			lat: 51.831
		});
		addConfidentialGesprek(doc, editorOrg.doc, users.editor.organisationId, {
			addressId: keptAddress,
			date: '2026-03-13',
			heldBy: KEPT.heldBy,
			outcome: 'gesproken',
			notes: KEPT.confidential
		});
		initiatiefId = addInitiatief(doc, {
			title: 'Straatfeest',
			place: { addressId: keptAddress },
			addressIds: [erasedAddress, keptAddress]
		}).id;
		// A gesprek at the erased address, changed and then deleted before the erasure: its history
		// rows of those changes do not name the address.
		const gone = addGesprek(doc, {
			addressId: erasedAddress,
			date: '2026-02-01',
			heldBy: ERASED.deletedHeldBy,
			outcome: 'gesproken'
		});
		updateGesprek(doc, gone.id, { heldBy: ERASED.deletedNewHeldBy });
		addToGesprekList(doc, gone.id, 'talents', ERASED.deletedTalent);
		removeGesprek(doc, gone.id);

		// Everything reached the server: a second client sees it all.
		const check = connectClient(server.port, 'spoorbuurt', { cookie: users.owner.cookie });
		const checkOrg = connectClient(server.port, 'spoorbuurt/org', { cookie: users.owner.cookie });
		clients.push(check, checkOrg);
		await expect.poll(() => listGesprekken(check.doc).length, { timeout: 10_000 }).toBe(4);
		await expect.poll(() => checkOrg.doc.getMap('notes').size, { timeout: 10_000 }).toBe(2);
		// The item history holds the change of who held the gesprek (old and new name): the scan
		// below must find neither after the erasure.
		await expect
			.poll(
				async () => {
					const res = await fetch(
						`${server.url}/boards/spoorbuurt/geschiedenis?kind=gesprek&id=${g.id}`,
						{ headers: { cookie: users.owner.cookie, accept: 'application/json' } }
					);
					return JSON.stringify(await res.json());
				},
				{ timeout: 10_000 }
			)
			.toContain(ERASED.oldHeldBy);
		await expect
			.poll(
				async () => {
					const res = await fetch(
						`${server.url}/boards/spoorbuurt/geschiedenis?kind=gesprek&id=${gone.id}`,
						{ headers: { cookie: users.owner.cookie, accept: 'application/json' } }
					);
					return JSON.stringify(await res.json());
				},
				{ timeout: 10_000 }
			)
			.toContain(ERASED.deletedTalent);
		check.destroy();
		checkOrg.destroy();
	});

	const atErased = () => listGesprekken(editor.doc, { addressId: erasedAddress });

	it('refuses everyone but an owner, and erases nothing then', async () => {
		expect((await erase(null, { addressId: erasedAddress })).status).toBe(401);
		expect((await erase(users.viewer, { addressId: erasedAddress })).status).toBe(403);
		expect((await erase(users.editor, { addressId: erasedAddress })).status).toBe(403);
		expect((await erase(users.outsider, { addressId: erasedAddress })).status).toBe(404);
		expect(atErased()).toHaveLength(2);
	});

	it('answers a bad address id with a clear 400, erasing nothing', async () => {
		const unknown = await erase(users.owner, { addressId: 'bestaat-niet' });
		expect(unknown.status).toBe(400);
		expect(await unknown.text()).toMatch(/address register/);
		expect((await erase(users.owner, { addressId: '' })).status).toBe(400);
		expect((await erase(users.owner, { address: erasedAddress })).status).toBe(400);
		expect(atErased()).toHaveLength(2);
	});

	it('erases the household for a connected editor at once and keeps the other', async () => {
		const res = await erase(users.owner, { addressId: erasedAddress });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			erased: { gesprekken: 2, pins: 1, initiatieven: 1, confidentialNotes: 1 }
		});
		await expect.poll(() => atErased()).toEqual([]);
		await expect.poll(() => listPins(editor.doc).map((p) => p.title)).toEqual([KEPT.pinTitle]);
		await expect
			.poll(() => getInitiatief(editor.doc, initiatiefId)?.addressIds)
			.toEqual([keptAddress]);
		const kept = listGesprekken(editor.doc, { addressId: keptAddress });
		expect(kept.map((g) => g.heldBy)).toEqual([KEPT.heldBy, KEPT.heldBy]);
		// The confidential note of the erased household left the organisation's document too.
		await expect.poll(() => editorOrg.doc.getMap('notes').size).toBe(1);
		const keptConfidential = kept.find((g) => g.confidential)!;
		expect(getOrgNotes(editorOrg.doc, keptConfidential.id)).toBe(KEPT.confidential);
	});

	it('leaves not one trace of the erased household in any table', async () => {
		for (const c of clients.splice(0)) c.destroy();
		expect(await server.stop('SIGTERM')).toBe(0);
		const dump = await dumpDatabase(target);

		// The scan can fail: the household that stays is found.
		for (const text of Object.values(KEPT)) expect(hits(dump, text), text).not.toEqual([]);
		for (const text of [...Object.values(ERASED), 'niet-thuis'])
			expect(hits(dump, text), text).toEqual([]);

		// The audit log knows that an erasure happened, by whom and when; not where.
		const auditRows = tableRows(dump, 'public.audit_log').filter((line) =>
			line.includes('household.erase')
		);
		expect(auditRows).toHaveLength(1);
		expect(auditRows[0]).toContain(users.owner.id);
		expect(auditRows[0]).not.toContain(erasedAddress);
	});
});
