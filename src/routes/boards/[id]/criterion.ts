import { OUTCOMES, type Thema } from '$lib/board';
import { outcomeLabel, roundText, themaLabel } from './content-labels';

/**
 * A select for one criterion of the board's filter (BoardFilters), in the Analyse panel and in the
 * list: the filter holds a list per criterion (several values: OR), a select shows one. With
 * several chosen (by a presenter, say) the select says so instead of showing "Alle".
 */

/** The value of the disabled option that stands for several chosen values. */
export const SEVERAL = '\u0000several';

/** The select's value: '' for all, the one value, or {@link SEVERAL}. */
export function selectValue(list: readonly (string | number)[]): string {
	if (list.length === 0) return '';
	return list.length === 1 ? String(list[0]) : SEVERAL;
}

/** The criterion's list for a value the user picked in the select. */
export function picked(value: string): string[] {
	return value && value !== SEVERAL ? [value] : [];
}

/** One value a criterion's select offers. */
export interface CriterionOption {
	value: string;
	label: string;
}

/**
 * What the board offers to choose from, per criterion, as the selects show it. The rounds are
 * those of the board's gesprekken and the chosen ones: a link may ask for round 2 before any
 * round-2 gesprek is held (the doors still to walk in it), and the select shows that, so that one
 * sees it is applied and can set it back to all.
 */
export function criterionOptions(
	view: {
		readonly themeChoices: readonly Pick<Thema, 'id' | 'name'>[];
		readonly rounds: readonly number[];
		readonly streets: readonly string[];
		readonly holders: readonly string[];
	},
	chosen: { readonly rounds: readonly number[] } = { rounds: [] }
): Record<'themes' | 'rounds' | 'outcomes' | 'streets' | 'holders', CriterionOption[]> {
	const plain = (value: string) => ({ value, label: value });
	const rounds = [...new Set([...view.rounds, ...chosen.rounds])].sort((a, b) => a - b);
	return {
		themes: view.themeChoices.map((t) => ({ value: t.id, label: themaLabel(t) })),
		rounds: rounds.map((r) => ({ value: String(r), label: roundText(r) })),
		outcomes: OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) })),
		streets: view.streets.map(plain),
		holders: view.holders.map(plain)
	};
}
