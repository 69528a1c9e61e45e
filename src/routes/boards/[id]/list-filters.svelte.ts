import type { PresenceFilters } from '$lib/collab/presence-state';

export type ListTab = PresenceFilters['tab'];

/**
 * The list view's tab, filters and sort order, outside the component so that a presenter can
 * share them with followers (PresenceBar / BoardView).
 */
export class ListFilters {
	tab = $state<ListTab>('addresses');
	/** The theme the user chose (ListView follows merges to what it is now). */
	theme = $state('');
	status = $state('');
	round = $state('');
	street = $state('');
	sort = $state<'street' | 'date'>('street');

	get value(): PresenceFilters {
		const { tab, theme, status, round, street, sort } = this;
		return { tab, theme, status, round, street, sort };
	}

	set(value: PresenceFilters): void {
		this.tab = value.tab;
		this.theme = value.theme;
		this.status = value.status;
		this.round = value.round;
		this.street = value.street;
		this.sort = value.sort;
	}
}
