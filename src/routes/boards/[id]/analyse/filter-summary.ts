import type { BoardFilterValue } from '$lib/collab/presence-filters';
import { m } from '$lib/paraglide/messages';
import { outcomeLabel, roundText } from '../content-labels';

/**
 * The board's filter in words, criterion by criterion (several values of one joined with "of"),
 * for the "Analyse en export" page: what its figures are narrowed to. Empty when nothing is.
 */
export function filterSummary(
	value: BoardFilterValue,
	themeName: (id: string) => string
): string[] {
	const { filter } = value;
	const or = (list: readonly string[]) => list.join(` ${m.filter_or()} `);
	const parts: string[] = [];
	if (filter.themeIds.length) parts.push(or(filter.themeIds.map(themeName)));
	if (filter.rounds.length) parts.push(or(filter.rounds.map(roundText)));
	if (filter.outcomes.length) parts.push(or(filter.outcomes.map(outcomeLabel)));
	if (filter.streets.length) parts.push(or(filter.streets));
	if (filter.from || filter.to)
		parts.push(m.filters_also_period({ from: filter.from ?? '…', to: filter.to ?? '…' }));
	if (filter.heldBy.length) parts.push(m.filters_also_held_by({ names: or(filter.heldBy) }));
	if (value.openOnly) parts.push(m.filters_also_open_only());
	return parts;
}
