import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { BoardPresence } from '../../../src/lib/collab/presence.svelte';
import { presenceColour, type PresenceUser } from '../../../src/lib/collab/presence-state';

/** Following in the browser (BoardPresence) over real awareness instances, as the server relays them. */

const user = (id: string, name: string): PresenceUser => ({
	id,
	name,
	organisation: 'Buurtteam',
	colour: presenceColour(id)
});
const olga = user('u-olga', 'Olga');
const erik = user('u-erik', 'Erik');

describe('BoardPresence following', () => {
	const cleanup: (() => void)[] = [];
	afterEach(() => {
		for (const f of cleanup.splice(0)) f();
	});

	function tab(self: PresenceUser) {
		const doc = new Y.Doc();
		const awareness = new awarenessProtocol.Awareness(doc);
		const presence = new BoardPresence(awareness, self);
		cleanup.push(() => {
			presence.destroy();
			awareness.destroy();
			doc.destroy();
		});
		return { awareness, presence };
	}

	/** What the server would relay: `from`'s local state (stamped) reaches `to`. */
	function relay(from: awarenessProtocol.Awareness, to: awarenessProtocol.Awareness) {
		const update = awarenessProtocol.encodeAwarenessUpdate(from, [from.clientID]);
		awarenessProtocol.applyAwarenessUpdate(to, update, 'server');
	}

	it('choosing the presenter by name after stepping out follows the presentation, filters included', () => {
		const presenter = tab(olga);
		const other = tab(olga); // Olga's second tab, not presenting
		const follower = tab(erik);
		presenter.awareness.setLocalState({
			user: olga,
			presenting: true,
			presentingSince: 1000,
			filters: {
				tab: 'gesprekken',
				theme: '',
				status: '',
				round: '',
				street: 'Valeriusstraat',
				sort: 'street'
			}
		});
		relay(presenter.awareness, follower.awareness);
		other.awareness.setLocalState({ user: olga, cursor: { lon: 5, lat: 52 } });
		relay(other.awareness, follower.awareness);

		const { presence } = follower;
		expect(presence.followingPresenter).toBe(true);
		presence.unfollow();
		expect(presence.steppedOut).toBe(true);
		expect(presence.followed).toBeNull();

		// The list of people has one entry per person: Olga's button may name either of her tabs.
		for (const clientId of [presenter.awareness.clientID, other.awareness.clientID]) {
			presence.unfollow();
			presence.follow(clientId);
			expect(presence.followed?.clientId).toBe(presenter.awareness.clientID);
			// Following the presenter, not "a person": her filters are followed too (PresenceLayer).
			expect(presence.followingPresenter).toBe(true);
			expect(presence.steppedOut).toBe(false);
		}
	});

	it('choosing someone who does not present follows them (view and selection only)', () => {
		const presenter = tab(olga);
		const follower = tab(erik);
		const third = tab(user('u-bram', 'Bram'));
		presenter.awareness.setLocalState({ user: olga, presenting: true, presentingSince: 1000 });
		third.awareness.setLocalState({ user: third.presence.self, cursor: { lon: 5, lat: 52 } });
		relay(presenter.awareness, follower.awareness);
		relay(third.awareness, follower.awareness);
		follower.presence.follow(third.awareness.clientID);
		expect(follower.presence.followed?.clientId).toBe(third.awareness.clientID);
		expect(follower.presence.followingPresenter).toBe(false);
	});
});
