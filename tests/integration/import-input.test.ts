import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_REGISTER_CHANGED } from '../../src/lib/collab/register-changed';
import { IMPORT_PART_ROWS } from '../../src/lib/geo/import';
import { connectClient, whenSynced } from '../support/clients';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/**
 * Address import input against the real server (issue 8, point 8): a control character is refused
 * with a clear answer naming the row and field (it was HTTP 500), and an import larger than one
 * request body arrives in parts and is stored as a whole.
 */
describe('address import input', () => {
	let seeded: SeededServer<'owner'>;

	beforeAll(async () => {
		seeded = await startSeededServer(
			{},
			{ owner: { org: 'Woonwaarts', boards: { spoorbuurt: 'owner' } } }
		);
	});
	afterAll(async () => {
		await seeded.server.stop('SIGKILL');
	});

	function row(line: number, over: Record<string, unknown> = {}) {
		return {
			line,
			street: 'Testlaan',
			houseNumber: line,
			houseLetter: null,
			addition: null,
			postcode: '6521ZZ',
			city: 'Nijmegen',
			lon: 5.87 + (line % 100) * 0.00001,
			lat: 51.83 + Math.floor(line / 100) * 0.00001,
			bagId: null,
			complexNumber: null,
			...over
		};
	}

	function post(rows: unknown[], headers: Record<string, string> = {}) {
		return fetch(`${seeded.server.url}/boards/spoorbuurt/adressen/import`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				origin: seeded.server.url,
				cookie: seeded.users.owner.cookie,
				...headers
			},
			body: JSON.stringify({ rows })
		});
	}

	it('tells the pages that have the board open that the register changed, once it is stored', async () => {
		const page = connectClient(seeded.server.port, 'spoorbuurt', {
			cookie: seeded.users.owner.cookie,
			params: { access: 'write' }
		});
		// A connection that does not say which page it serves (an old page, a script) is not told.
		const other = connectClient(seeded.server.port, 'spoorbuurt', {
			cookie: seeded.users.owner.cookie
		});
		try {
			const told = [0, 0];
			page.provider.messageHandlers[MESSAGE_REGISTER_CHANGED] = () => told[0]!++;
			other.provider.messageHandlers[MESSAGE_REGISTER_CHANGED] = () => told[1]!++;
			await Promise.all([whenSynced(page), whenSynced(other)]);
			// A refused import changes nothing.
			expect((await post([row(1, { street: 'Test\u0000laan' })])).status).toBe(400);
			expect((await post([row(9001), row(9002)])).status).toBe(200);
			await expect.poll(() => told[0]).toBe(1);
			expect(told[1]).toBe(0);
		} finally {
			page.destroy();
			other.destroy();
		}
	});

	it('refuses a street name with a NUL character as a bad row, not a server error', async () => {
		const res = await post([row(1), row(2, { street: 'Test\u0000laan' })]);
		expect(res.status).toBe(400);
		const body = (await res.json()) as { error: string; issues: { line: number; field: string }[] };
		expect(body.error).toBe('rows');
		expect(body.issues).toEqual([{ line: 2, field: 'street' }]);
	});

	it('refuses half a surrogate pair in a street, place or toevoeging as a bad row, not a server error', async () => {
		// What a script (or an edited request) can send: JSON.stringify writes half a pair as
		// "\ud800", which no Postgres text accepts; it gave HTTP 500 (22P02).
		const res = await post([
			row(1),
			row(2, { street: 'Test\ud800laan' }),
			row(3, { city: '\udfffNijmegen' }),
			row(4, { addition: '\ud83d' })
		]);
		expect(res.status).toBe(400);
		const answer = (await res.json()) as { error: string; issues: unknown[]; count: number };
		expect(answer.error).toBe('rows');
		expect(answer.issues).toEqual([
			{ line: 2, field: 'street' },
			{ line: 3, field: 'city' },
			{ line: 4, field: 'addition' }
		]);
		// A whole pair (an emoji) is text like any other.
		const whole = row(5, { street: 'Zon\u2600laan \ud83c\udfe0', postcode: '6599AA' });
		expect((await post([whole])).status).toBe(200);
	});

	it('stores an import sent in parts once the last part arrives', async () => {
		const total = IMPORT_PART_ROWS * 2 + 10;
		const rows = Array.from({ length: total }, (_, i) => row(i + 1));
		const id = crypto.randomUUID();
		const parts = Math.ceil(total / IMPORT_PART_ROWS);
		const answers: unknown[] = [];
		for (let i = 0; i < parts; i++) {
			const res = await post(rows.slice(i * IMPORT_PART_ROWS, (i + 1) * IMPORT_PART_ROWS), {
				'x-import-id': id,
				'x-import-part': `${i}/${parts}`
			});
			expect(res.status).toBe(200);
			answers.push(await res.json());
		}
		const last = answers.at(-1) as { stored?: unknown };
		expect(last.stored).toBeTruthy();
		expect(JSON.stringify(last.stored)).toContain(String(total));
	});
});
