import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedUser } from '../support/accounts';
import { connectClient, whenSynced, type TestClient } from '../support/clients';
import { startSeededServer, type SeededServer } from '../support/seeded-server';

/**
 * One bad value in a tab's presence drops that value only (QA sec2). Before, the server dropped
 * the whole state: a malformed cursor or an overlong street name in the filters made that person
 * vanish from everybody's presence bar, map and "X bewerkt dit", and their followers stopped
 * following. Real y-websocket clients against the real server process.
 */
const CAST = {
	owner: { org: 'Woonwaarts', displayName: 'Olga Eigenaar', boards: { spoorbuurt: 'owner' } },
	editor: { org: 'Bindkracht10', displayName: 'Erik Bewerker', boards: { spoorbuurt: 'editor' } }
} satisfies Record<string, SeedUser>;

interface Seen {
	cursor?: { lon: number; lat: number };
	view?: { lon: number; lat: number; zoom: number };
	selection?: { kind: string; id: string };
	presenting?: boolean;
	filters?: { street: string };
	user?: { name: string };
}

describe('presence fields on the sync server', () => {
	let seeded: SeededServer<keyof typeof CAST>;
	const clients: TestClient[] = [];

	beforeAll(async () => {
		seeded = await startSeededServer({}, CAST);
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await seeded?.server.stop('SIGKILL');
	});

	async function client(cookie: string): Promise<TestClient> {
		const c = connectClient(seeded.server.port, 'spoorbuurt', { cookie });
		clients.push(c);
		await whenSynced(c);
		return c;
	}

	it('a malformed cursor and an overlong filter value are dropped alone; the rest is seen', async () => {
		const owner = await client(seeded.users.owner.cookie);
		const editor = await client(seeded.users.editor.cookie);
		const seen = () =>
			editor.provider.awareness.getStates().get(owner.doc.clientID) as Seen | undefined;
		const view = { lon: 5.873, lat: 51.833, zoom: 17 };
		const selection = { kind: 'notitie', id: 'notitie-1' };
		owner.provider.awareness.setLocalState({
			cursor: { lon: 5.87, lat: 'noord' },
			view,
			selection,
			presenting: true,
			filters: {
				tab: 'addresses',
				theme: '',
				status: '',
				round: '',
				street: 'Sweelinckstraat'.repeat(1000),
				sort: 'street'
			}
		});
		await expect.poll(() => seen()?.selection).toEqual(selection);
		const state = seen()!;
		expect(state.view).toEqual(view);
		expect(state.presenting).toBe(true);
		expect(state.user?.name).toBe('Olga Eigenaar');
		expect(state.cursor).toBeUndefined();
		expect(state.filters).toBeUndefined();

		// Fixed on the next change: the cursor shows again, the rest stays.
		owner.provider.awareness.setLocalStateField('cursor', { lon: 5.87, lat: 51.83 });
		await expect.poll(() => seen()?.cursor).toEqual({ lon: 5.87, lat: 51.83 });
		expect(seen()?.selection).toEqual(selection);
	});
});
