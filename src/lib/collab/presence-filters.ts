import { emptyFilter, type AnalysisFilter } from '../board/analysis/filter';
import { OUTCOMES, type Outcome } from '../board/layout';
import type { z } from 'zod';
import {
	FILTER_VALUES_MAX,
	INITIATIEF_STATUS_MAX,
	filterDaySchema,
	filterNameSchema,
	filterRoundSchema,
	type PresenceFilters
} from './presence-state';

/**
 * The board page's one filter as a plain value, and how a presenter shares it (presence `filters`,
 * presence-state.ts): in full as `criteria`, and as the six older fields that older pages read.
 */

export type ListTab = PresenceFilters['tab'];
export type ListSort = PresenceFilters['sort'];

export interface BoardFilterValue {
	/** What the map's analysis and the lists both apply. */
	filter: AnalysisFilter;
	/** Doors still to walk only (map, open-door list, address and gesprek lists). */
	openOnly: boolean;
	/** The lists' own: which list is shown, the initiatieven's status, the order. */
	tab: ListTab;
	initiatiefStatus: string;
	sort: ListSort;
}

export function emptyBoardFilter(): BoardFilterValue {
	return {
		filter: emptyFilter(),
		openOnly: false,
		tab: 'addresses',
		initiatiefStatus: '',
		sort: 'street'
	};
}

/** The single value of a criterion, or '' for none or several (the older fields hold one). */
function one(list: readonly (string | number)[]): string {
	return list.length === 1 ? String(list[0]) : '';
}

/**
 * The values of a criterion that presence may carry, at most FILTER_VALUES_MAX. What the page may
 * hold but the schema refuses (a date typed with a six-digit year, "202677-01-01", is what a date
 * field gives) is left out: the server drops a state with a value out of bounds whole, so one such
 * value froze the presenter's view for every follower and, 30 s later, hid them altogether.
 */
function valid<T>(schema: z.ZodType<T>, list: readonly T[]): T[] {
	return list.filter((v) => schema.safeParse(v).success).slice(0, FILTER_VALUES_MAX);
}

const validDay = (day: string | null): string | null =>
	day !== null && filterDaySchema.safeParse(day).success ? day : null;

/**
 * What a presenter sends. The older fields say what an older follower can show: one theme, round
 * and street (none when several are chosen), and as `status` the outcome on the gesprekken tab or
 * the initiatieven's status on theirs, as the older list used it.
 */
export function toPresenceFilters(value: BoardFilterValue): PresenceFilters {
	const { tab } = value;
	const filter = {
		themeIds: valid(filterNameSchema, value.filter.themeIds),
		rounds: valid(filterRoundSchema, value.filter.rounds),
		outcomes: value.filter.outcomes.filter(isOutcome).slice(0, FILTER_VALUES_MAX),
		streets: valid(filterNameSchema, value.filter.streets),
		heldBy: valid(filterNameSchema, value.filter.heldBy)
	};
	const initiatiefStatus =
		value.initiatiefStatus.length <= INITIATIEF_STATUS_MAX ? value.initiatiefStatus : '';
	return {
		tab,
		theme: one(filter.themeIds),
		status:
			tab === 'initiatieven' ? initiatiefStatus : tab === 'gesprekken' ? one(filter.outcomes) : '',
		round: one(filter.rounds),
		street: one(filter.streets),
		sort: value.sort,
		criteria: {
			...filter,
			from: validDay(value.filter.from),
			to: validDay(value.filter.to),
			openOnly: value.openOnly,
			initiatiefStatus
		}
	};
}

function isOutcome(value: string): value is Outcome {
	return (OUTCOMES as readonly string[]).includes(value);
}

/**
 * What a follower applies: the whole filter from `criteria`, or — from an older presenter, who
 * sends only the six older fields — its theme, round and street, and its status as the outcome
 * (gesprekken tab) or the initiatieven's status (initiatieven tab), as the older list applied it.
 */
export function fromPresenceFilters(shared: PresenceFilters): BoardFilterValue {
	const { tab, sort, criteria } = shared;
	if (criteria) {
		const { openOnly, initiatiefStatus, ...filter } = criteria;
		return {
			filter: {
				themeIds: [...filter.themeIds],
				rounds: [...filter.rounds],
				outcomes: [...filter.outcomes],
				from: filter.from,
				to: filter.to,
				streets: [...filter.streets],
				heldBy: [...filter.heldBy]
			},
			openOnly,
			tab,
			initiatiefStatus,
			sort
		};
	}
	const round = Number(shared.round);
	return {
		filter: {
			...emptyFilter(),
			themeIds: shared.theme ? [shared.theme] : [],
			rounds: shared.round && Number.isInteger(round) && round > 0 ? [round] : [],
			outcomes: tab === 'gesprekken' && isOutcome(shared.status) ? [shared.status] : [],
			streets: shared.street ? [shared.street] : []
		},
		openOnly: false,
		tab,
		initiatiefStatus: tab === 'initiatieven' ? shared.status : '',
		sort
	};
}
